import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

/**
 * The guards' own cost, without the placement of memory in it: ONE `cpu`
 * backend (microcircuit 0.1, guards on) whose guard kernel is switched off
 * and on between blocks of `steps` steps (the order flips every pair), CPU
 * time per block; the median of the per-pair ratios on / off. The same
 * state, rings and synapses serve both arms, so what differs is only the
 * guards' work (the input pass, the state-bound proofs, the guarded
 * kernels where they run). The guards change no spike of the healthy
 * microcircuit, so the run is the same either way. Prints one JSON line.
 * `node dist/bench/guard-toggle-child.js [pairs] [steps]`.
 */
const pairs = Number(process.argv[2] ?? 40);
const steps = Number(process.argv[3] ?? 200);
const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
const sim = new ReferenceBackend(net, { guards: { enabled: true } });
// The backend's guard kernel (private): null runs the unguarded kernels, as guards off would.
const internals = sim as unknown as { guard: object | null };
const guard = internals.guard;
sim.advance(500);
const block = (g: object | null) => {
  internals.guard = g;
  const c0 = process.cpuUsage();
  sim.advance(steps);
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};
const ratios: number[] = [];
for (let p = 0; p < pairs; p++) {
  let on: number;
  let off: number;
  if (p % 2 === 0) {
    on = block(guard);
    off = block(null);
  } else {
    off = block(null);
    on = block(guard);
  }
  ratios.push(on / off);
}
internals.guard = guard;
ratios.sort((a, b) => a - b);
const at = (q: number) => ratios[Math.min(pairs - 1, Math.floor(q * pairs))];
process.stdout.write(`${JSON.stringify({ pairs, stepsPerBlock: steps, medianRatio: at(0.5), q1: at(0.25), q3: at(0.75) })}\n`);
