import { WEIGHT_CORRUPTION_MODES } from '../../src/chaos/weight-corruption.js';
import type { ColumnHarness } from './column-harness.js';
import { point, type Curve } from './curve.js';
import { CORRUPTION_PARAMETERS } from './sweep-config.js';

/**
 * Weight corruption fraction -> task accuracy, rate deviation and spike-train
 * distance to the control, for every corruption mode. The corruption is
 * applied at the checkpoint and lasts the whole held-out window; the trials
 * are the replicas of the batch (connectivity is shared, so the same synapses
 * are hit in every replica; the replicas differ by their noise).
 */
export async function corruptionSweep(h: ColumnHarness, defences: 'on' | 'off', onPoint: (label: string) => void): Promise<Curve[]> {
  const curves: Curve[] = [];
  const x = 'corrupted fraction of synapses';
  for (const mode of WEIGHT_CORRUPTION_MODES) {
    const acc: Curve = { figure: 'weight corruption: task accuracy', series: mode, defences, xLabel: x, yLabel: 'accuracy', logX: true, points: [], reference: { y: h.chance, label: 'chance' } };
    const dev: Curve = { figure: 'weight corruption: rate deviation', series: mode, defences, xLabel: x, yLabel: 'mean |rate - control| (Hz)', logX: true, points: [] };
    const dist: Curve = { figure: 'weight corruption: spike-train distance to control', series: mode, defences, xLabel: x, yLabel: 'van Rossum distance per neuron (tau 10 ms)', logX: true, points: [] };
    for (const fraction of h.cfg.corruptionFractions) {
      await h.reset();
      await h.chaos.inject({ kind: 'weight-corruption', id: `wc-${mode}-${fraction}`, fraction, mode, ...CORRUPTION_PARAMETERS[mode] });
      const w = await h.taskWindow(() => {});
      await h.chaos.stopAll();
      acc.points.push(point(fraction, h.readout.accuracyByReplica(w.samples!).map((r) => r.accuracy)));
      dev.points.push(point(fraction, h.rateDeviation(w, h.controlTask)));
      dist.points.push(point(fraction, h.spikeDistance(w, h.controlTask)));
      onPoint(`weight corruption ${mode} ${fraction}, defences ${defences}`);
    }
    curves.push(acc, dev, dist);
  }
  return curves;
}
