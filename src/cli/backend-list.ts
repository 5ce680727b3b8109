import { BACKENDS } from '../backends/registered-backends.js';
import { autoSummary } from './backend-help.js';
import type { CliContext } from './context.js';

/** The backends part of `neurochaos list`: every registered backend, what it is, and whether it runs here and why (from the registry). */
export async function writeBackendList(ctx: CliContext): Promise<void> {
  ctx.stdout.write('Backends (--backend, or the backend of a scenario):\n');
  const width = Math.max(...BACKENDS.choices().map((n) => n.length)) + 2;
  for (const d of BACKENDS.list()) {
    const here = await d.isAvailable().catch((e: unknown) => ({ available: false, reason: e instanceof Error ? e.message : String(e) }));
    ctx.stdout.write(`  ${d.name.padEnd(width)}${d.summary}\n  ${' '.repeat(width)}${here.available ? 'runs here' : 'not here'}: ${here.reason}\n`);
  }
  ctx.stdout.write(`  ${'auto'.padEnd(width)}${autoSummary()}\n`);
}
