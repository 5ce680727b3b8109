import type { ColumnHarness } from './column-harness.js';
import { point, type Curve } from './curve.js';

/**
 * Spike-storm rate (and amplitude, one series each) -> throughput during the
 * storm relative to the control window, rate deviation during the storm, and
 * recovery time after it. Storms hit half of L4E in every replica (the trials).
 */
export async function stormSweep(h: ColumnHarness, defences: 'on' | 'off', onPoint: (label: string) => void): Promise<Curve[]> {
  const curves: Curve[] = [];
  const x = 'storm rate per target (Hz)';
  const cfg = h.cfg;
  const dt = h.backend.network.dtMs;
  for (const amplitude of cfg.stormAmplitudesPa) {
    const series = `${amplitude} pA`;
    const thr: Curve = { figure: 'spike storm: throughput', series, defences, xLabel: x, yLabel: 'steps per wall second / control', logX: true, points: [], reference: { y: 1, label: 'control' } };
    const dev: Curve = { figure: 'spike storm: rate deviation during the storm', series, defences, xLabel: x, yLabel: 'mean |rate - control| (Hz)', logX: true, points: [] };
    const rec: Curve = { figure: 'spike storm: recovery time', series, defences, xLabel: x, yLabel: `ms after the storm (censored at ${cfg.postStormMs - 20} ms)`, logX: true, points: [] };
    for (const rateHz of cfg.stormRatesHz) {
      await h.reset();
      const from = h.backend.currentStep;
      await h.chaos.inject({ kind: 'spike-storm', id: `storm-${amplitude}-${rateHz}`, target: { populations: ['L4E'], percent: 50 }, rateHz, amplitude, train: 'poisson', durationMs: cfg.stormMs });
      const w = await h.plainWindow(cfg.stormMs, cfg.postStormMs);
      await h.chaos.stopAll();
      const stormEnd = from + Math.round(cfg.stormMs / dt);
      // One wall measurement per point covers the whole batch: a single trial.
      thr.points.push(point(rateHz, [h.controlPlain.stormWallMs / w.stormWallMs]));
      dev.points.push(point(rateHz, h.rateDeviation(w, h.controlPlain, stormEnd)));
      rec.points.push(point(rateHz, h.recoveryMs(w, h.controlPlain, stormEnd)));
      onPoint(`spike storm ${amplitude} pA ${rateHz} Hz, defences ${defences}`);
    }
    curves.push(thr, dev, rec);
  }
  return curves;
}
