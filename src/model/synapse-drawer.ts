import type { StreamRng } from '../util/rng.js';
import type { ProjectionSpec } from './spec.js';
import { delayToSteps, drawSignKeeping } from './synapse-draws.js';
import { nearestStep } from '../util/time-steps.js';

/**
 * Draws weights and delays for runs of synapses. The common cases (constant
 * values, normal draws that keep their sign on the first try) run inline; the
 * rest go through the general draw functions.
 */
export class SynapseDrawer {
  private readonly wConst: boolean;
  private readonly wMean: number;
  private readonly wSd: number;
  private readonly dConstSteps: number;
  private readonly dMeanSteps: number;
  private readonly dSdSteps: number;
  private readonly weightField: string;
  private readonly delayField: string;
  minDelay = Infinity;
  maxDelay = 0;

  constructor(
    private readonly spec: ProjectionSpec,
    private readonly rng: StreamRng,
    private readonly dtMs: number,
    field: string,
  ) {
    const w = spec.weightPa;
    const d = spec.delayMs;
    this.weightField = `${field}.weightPa`;
    this.delayField = `${field}.delayMs`;
    this.wConst = w.kind === 'constant' || w.sd === 0;
    this.wMean = w.kind === 'constant' ? w.value : w.mean;
    this.wSd = w.kind === 'constant' ? 0 : w.sd;
    this.dConstSteps = d.kind === 'constant' || d.sd === 0 ? delayToSteps(d.kind === 'constant' ? d.value : d.mean, dtMs, this.delayField, true) : 0;
    this.dMeanSteps = d.kind === 'constant' ? 0 : d.mean / dtMs;
    this.dSdSteps = d.kind === 'constant' ? 0 : d.sd / dtMs;
  }

  /** Draws weight and delay of synapse `at`. */
  drawAt(at: number, weights: Float32Array, delays: Uint8Array): void {
    const rng = this.rng;
    let w = this.wMean;
    if (!this.wConst) {
      w += this.wSd * rng.normal();
      if (this.wMean > 0 ? w < 0 : this.wMean < 0 && w > 0) w = drawSignKeeping(this.spec.weightPa, rng, this.weightField);
    }
    weights[at] = w;
    let d = this.dConstSteps;
    if (d === 0) {
      const x = this.dMeanSteps + this.dSdSteps * rng.normal();
      d = x >= 0 && x < 255.5 ? Math.max(1, nearestStep(x)) : delayToSteps(drawSignKeeping(this.spec.delayMs, rng, this.delayField), this.dtMs, this.delayField);
    }
    delays[at] = d;
    if (d < this.minDelay) this.minDelay = d;
    if (d > this.maxDelay) this.maxDelay = d;
  }

  private normals = new Float64Array(1024);

  /** Draws a contiguous run [from, to): the hot path of the build, normals drawn in batches. */
  drawRun(from: number, to: number, weights: Float32Array, delays: Uint8Array): void {
    const rng = this.rng;
    const wConst = this.wConst;
    const wMean = this.wMean;
    const wSd = this.wSd;
    const dConst = this.dConstSteps;
    const dMean = this.dMeanSteps;
    const dSd = this.dSdSteps;
    const perSynapse = (wConst ? 0 : 1) + (dConst === 0 ? 1 : 0);
    let dMin = this.minDelay;
    let dMax = this.maxDelay;
    const chunk = 512;
    for (let base = from; base < to; base += chunk) {
      const end = Math.min(to, base + chunk);
      const z = this.normals;
      if (perSynapse > 0) rng.fillNormals(z, (end - base) * perSynapse);
      let zi = 0;
      for (let at = base; at < end; at++) {
        let w = wMean;
        if (!wConst) {
          w += wSd * z[zi++];
          if (wMean > 0 ? w < 0 : wMean < 0 && w > 0) w = drawSignKeeping(this.spec.weightPa, rng, this.weightField);
        }
        weights[at] = w;
        let d = dConst;
        if (d === 0) {
          const x = dMean + dSd * z[zi++];
          if (x >= 0.5 && x < 255.5) d = (x + 0.5) | 0;
          else d = x >= 0 && x < 0.5 ? 1 : delayToSteps(drawSignKeeping(this.spec.delayMs, rng, this.delayField), this.dtMs, this.delayField);
        }
        delays[at] = d;
        if (d < dMin) dMin = d;
        if (d > dMax) dMax = d;
      }
    }
    this.minDelay = dMin;
    this.maxDelay = dMax;
  }
}
