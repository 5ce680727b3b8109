import { BACKENDS, DEFAULT_BACKEND } from '../backends/registered-backends.js';

/** `auto` in words, from the registry's auto priorities: e.g. "the first suited here of tfjs, workers, cpu". */
export function autoSummary(): string {
  const order = BACKENDS.list()
    .filter((d) => d.auto)
    .sort((a, b) => b.auto!.priority - a.auto!.priority)
    .map((d) => d.name);
  return `the first of ${order.join(', ')} suited to this machine (webgpu only on a hardware GPU adapter, tfjs only on a CUDA device)`;
}

/** The --backend lines of a command's help: every registered backend with its summary, then auto. */
export function backendHelpLines(indent: number): string {
  const pad = ' '.repeat(indent);
  const names = BACKENDS.choices();
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const rows = [...BACKENDS.list().map((d) => [d.name, d.summary]), ['auto', autoSummary()]];
  return [`(default ${DEFAULT_BACKEND}):`, ...rows.map(([n, s]) => `${pad}  ${n.padEnd(width)}${s}`)].join('\n');
}
