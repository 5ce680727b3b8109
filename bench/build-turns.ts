import { buildNetworkAsync } from '../src/model/builder.js';
import { resolveModel, type ModelChoice } from '../src/model/resolve-model.js';

/**
 * How long Ctrl-C can wait during a network build: buildNetworkAsync with a
 * 1 ms interval timer running, reporting the longest wait between two of
 * its ticks (what a signal handler would wait at most), against the build's
 * whole wall time. A synchronous build's longest wait is the build itself.
 *
 *   node dist/bench/build-turns.js '{"model":"microcircuit","scale":1}' [seed]
 *
 * @param choice a model choice as JSON (resolveModel: model, scale, kScale, background)
 */
export async function buildTurns(choice: ModelChoice, seed = 1): Promise<{ neurons: number; synapses: number; buildMs: number; longestWaitMs: number }> {
  const spec = resolveModel(choice);
  const t0 = performance.now();
  let last = t0;
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const network = await buildNetworkAsync(spec, { seed });
  clearInterval(tick);
  const end = performance.now();
  longest = Math.max(longest, end - last);
  return { neurons: network.neuronCount, synapses: network.synapseCount, buildMs: end - t0, longestWaitMs: longest };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let choice: ModelChoice;
  try {
    choice = JSON.parse(process.argv[2] ?? '{"model":"microcircuit","scale":0.1}') as ModelChoice;
  } catch {
    process.stderr.write('build-turns: the model choice must be JSON, e.g. \'{"model":"cuba","scale":2}\'\n');
    process.exit(2);
  }
  const r = await buildTurns(choice, Number(process.argv[3] ?? 1));
  process.stdout.write(`${JSON.stringify(choice)}: ${r.neurons} neurons, ${r.synapses} synapses, build ${r.buildMs.toFixed(0)} ms, longest wait between turns ${r.longestWaitMs.toFixed(0)} ms\n`);
}
