import { TfjsBackend } from '../src/backends/tfjs/tfjs-backend.js';
import { loadTfjs, type TfjsFlavour } from '../src/backends/tfjs/tfjs-runtime.js';
import { tinyNetwork } from '../test/conformance/networks.js';

export interface BatchFigure {
  flavour: string;
  neurons: number;
  batch: number;
  steps: number;
  wallMs: number;
  stepsPerSecond: number;
  /** Replica-steps per second: what batching buys. */
  replicaStepsPerSecond: number;
}

/**
 * Steps per second of the tfjs backend at batch 1, 8 and 64 on the
 * conformance suite's network (100 neurons, two delay slabs), after a
 * warm-up that lets the JIT and tfjs settle.
 */
export async function runTfjsBatchBench(flavour: 'tfjs' | TfjsFlavour = 'tfjs', batches = [1, 8, 64], steps = 300): Promise<BatchFigure[]> {
  const rt = await loadTfjs(flavour);
  const net = tinyNetwork();
  const out: BatchFigure[] = [];
  for (const batch of batches) {
    const sim = new TfjsBackend(net, rt, { batch });
    try {
      await sim.run(50);
      const t0 = performance.now();
      await sim.run(steps);
      const wallMs = performance.now() - t0;
      out.push({ flavour: rt.flavour, neurons: net.neuronCount, batch, steps, wallMs, stepsPerSecond: (steps * 1000) / wallMs, replicaStepsPerSecond: (steps * batch * 1000) / wallMs });
    } finally {
      await sim.dispose();
    }
  }
  return out;
}
