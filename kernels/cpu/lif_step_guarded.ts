import { bitsAt } from './counter_rng.js';
import type { FusedPoisson, GuardKernel, LifKernelParams } from './lif_step.js';

/**
 * LifStep with the guards fused into the loop (used for healthy ranges when
 * guards are on): the input arriving in this step (ring slot plus the fused
 * Poisson drive) is capped at +-capPa and dropped when non-finite, and a
 * neuron whose membrane or currents end the step non-finite is reset,
 * its currents zeroed, and held refractory for quarantineSteps.
 *
 * Fused because two separate passes over the state cost 9-14% of a step on
 * the scale-0.1 microcircuit (bench/guard-share-child.ts): they re-read from
 * memory what the update already holds in registers. A separate copy of the
 * loop, like lifStepFaulted, so that the unguarded LifStep keeps its tight
 * loop. Counts go to guard.counters like guard_scan.ts's.
 */
/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

export function lifStepGuarded(
  k: LifKernelParams,
  poisson: FusedPoisson | null,
  guard: GuardKernel,
  from: number,
  to: number,
  stateOffset: number,
  ringOffset: number,
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  spikes: Int32Array,
  count: number,
): number {
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = poisson ? poisson.table.lut : null;
  const thr = poisson ? poisson.table.thresholds : null;
  const wPoisson = poisson ? poisson.weightPa : 0;
  const key = poisson ? poisson.key : 0;
  const cap = guard.capPa;
  const quarantine = guard.quarantineSteps;
  let capped = 0;
  let contained = 0;
  for (let i = from; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    let arriving = ringEx[r];
    if (lut !== null) {
      const h = bitsAt(key, i);
      let n = lut[h >>> 20];
      if (n === 255) {
        n = 0;
        while (h > thr![n]) n++;
      }
      arriving = Math.fround(arriving + n * wPoisson);
    }
    let arrivingIn = ringIn[r];
    // NaN fails both comparisons and is caught here too.
    if (!(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap)) {
      arriving = arriving !== arriving ? 0 : arriving > cap ? cap : arriving < -cap ? -cap : arriving;
      arrivingIn = arrivingIn !== arrivingIn ? 0 : arrivingIn > cap ? cap : arrivingIn < -cap ? -cap : arrivingIn;
      capped++;
    }
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    ringEx[r] = 0;
    ringIn[r] = 0;
    const integrated = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    // The one check of the state: a non-finite membrane or current makes
    // `integrated` non-finite (refractory or not: it is computed for every
    // neuron), and a finite value past float32's range would be stored as
    // infinity. The currents cannot overflow here (finite currents decay and
    // take capped input), so the stored state stays finite.
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + arrivingIn;
    const ref = refractory[s];
    const refLeft = ref - 1;
    vm = ref === 0 ? integrated : vm;
    const spiked = vm >= th;
    refractory[s] = spiked ? refractorySteps : ref === 0 ? 0 : refLeft;
    v[s] = spiked ? reset : vm;
    spikes[count] = i;
    count += spiked ? 1 : 0;
    if (!(Math.abs(integrated) <= 3.4028234663852886e38)) {
      v[s] = reset;
      iEx[s] = 0;
      iIn[s] = 0;
      refractory[s] = quarantine;
      contained++;
      count -= spiked ? 1 : 0;
    }
  }
  guard.counters[2 * guard.slot] += contained;
  guard.counters[2 * guard.slot + 1] += capped;
  return count;
}
