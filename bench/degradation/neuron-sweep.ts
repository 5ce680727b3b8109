import { LinearReadout } from '../../src/task/linear-readout.js';
import type { ColumnHarness } from './column-harness.js';
import { point, type Curve } from './curve.js';

/**
 * Dead / saturated neuron fraction (of the whole column) -> task accuracy of
 * the healthy column's readout, and (full suite) of a readout retrained on
 * the faulted column. Each replica gets its own fault, with its own neurons
 * drawn, so the trials are independent draws.
 */
export async function neuronSweep(h: ColumnHarness, defences: 'on' | 'off', onPoint: (label: string) => void): Promise<Curve[]> {
  const curves: Curve[] = [];
  const x = 'fraction of neurons';
  for (const mode of ['dead', 'saturated'] as const) {
    const acc: Curve = { figure: 'neuron faults: task accuracy', series: `${mode}, healthy readout`, defences, xLabel: x, yLabel: 'accuracy', logX: true, points: [], reference: { y: h.chance, label: 'chance' } };
    const re: Curve = { ...acc, series: `${mode}, retrained readout`, points: [] };
    for (const fraction of h.cfg.neuronFractions) {
      await h.reset();
      for (let b = 0; b < h.backend.batch; b++) await h.chaos.inject({ kind: 'neuron-fault', id: `nf-${mode}-${fraction}-${b}`, mode, target: { percent: fraction * 100, replicas: [b] } });
      const w = await h.taskWindow(() => {});
      acc.points.push(point(fraction, h.readout.accuracyByReplica(w.samples!).map((r) => r.accuracy)));
      if (h.cfg.adaptRounds > 0) {
        const train = await h.task.collect(h.cfg.adaptRounds);
        re.points.push(point(fraction, LinearReadout.fit(train).accuracyByReplica(w.samples!).map((r) => r.accuracy)));
      }
      await h.chaos.stopAll();
      onPoint(`neuron faults ${mode} ${fraction}, defences ${defences}`);
    }
    curves.push(acc);
    if (re.points.length > 0) curves.push(re);
  }
  return curves;
}
