import { bitsAt } from './counter_rng.js';
import { poissonFromBits } from './poisson_drive.js';
import type { FusedPoisson, GuardKernel, LifKernelParams } from './lif_step.js';

/**
 * LifStep with the guards fused in (used for healthy ranges when guards are
 * on): the input arriving in this step (ring slot plus the fused Poisson
 * drive) is capped at +-capPa and dropped when non-finite, and a neuron whose
 * membrane or currents are non-finite, or would overflow float32 in this
 * step, is reset, its currents zeroed, held refractory for quarantineSteps,
 * and emits no spike. Counts go to guard.counters like guard_scan.ts's.
 *
 * Built for speed (issue: guards under 5% of a microcircuit step):
 * - Fused, because two separate passes over the state cost 9-14% of a step on
 *   the scale-0.1 microcircuit (bench/guard-share-child.ts).
 * - One check of the state per neuron: a non-finite membrane or current makes
 *   the integrated membrane non-finite (it is computed for refractory neurons
 *   too), and finite currents cannot overflow (they decay and take capped
 *   input), so checking that one value covers all three.
 * - The fast loop only tests; a neuron that fails a test stops it before
 *   anything of that neuron is written, guardedNeuron updates that neuron with
 *   clamping and containment, and the fast loop resumes after it. Compiled into
 *   the loop, the rare clamping and containment code cost 3% of a step.
 */
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
  let i = from;
  capScratch[0] = guard.capPa;
  for (;;) {
    count = checkedRun(k, poisson, i, to, stateOffset, ringOffset, v, iEx, iIn, refractory, ringEx, ringIn, spikes, count);
    i = stoppedAt;
    if (i >= to) return count;
    count = guardedNeuron(k, poisson, guard, i, stateOffset, ringOffset, v, iEx, iIn, refractory, ringEx, ringIn, spikes, count);
    i++;
  }
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The cap, passed through a Float64Array so that the loop gets it as an
 * unboxed double (a number argument is re-checked and unboxed at each use).
 */
const capScratch = new Float64Array(1);

/** Where the last checkedRun stopped: `to`, or the neuron that failed a test. */
let stoppedAt = 0;

/** LifStep over [from, to) until a neuron fails a guard test; sets stoppedAt, returns the spike count. */
function checkedRun(
  k: LifKernelParams,
  poisson: FusedPoisson | null,
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
  const cap = capScratch[0];
  let i = from;
  for (; i < to; i++) {
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
    const arrivingIn = ringIn[r];
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    const integrated = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    // NaN fails every comparison and stops the run too.
    if (!(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap && Math.abs(integrated) <= FLOAT32_MAX)) break;
    ringEx[r] = 0;
    ringIn[r] = 0;
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + arrivingIn;
    const ref = refractory[s];
    const refLeft = ref - 1;
    vm = ref === 0 ? integrated : vm;
    const spiked = vm >= th;
    refractory[s] = spiked ? refractorySteps : ref === 0 ? 0 : refLeft;
    v[s] = spiked ? reset : vm;
    spikes[count] = i; // straight-line, as in lifStep
    count += spiked ? 1 : 0;
  }
  stoppedAt = i;
  return count;
}

/** One neuron that failed a test of checkedRun: the same update with its input clamped, or contained. */
function guardedNeuron(
  k: LifKernelParams,
  poisson: FusedPoisson | null,
  guard: GuardKernel,
  i: number,
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
  const s = stateOffset + i;
  const r = ringOffset + i;
  const cap = guard.capPa;
  let arriving = ringEx[r];
  if (poisson !== null) arriving = Math.fround(arriving + poissonFromBits(poisson.table, bitsAt(poisson.key, i)) * poisson.weightPa);
  let arrivingIn = ringIn[r];
  ringEx[r] = 0;
  ringIn[r] = 0;
  if (!(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap)) {
    arriving = arriving !== arriving ? 0 : arriving > cap ? cap : arriving < -cap ? -cap : arriving;
    arrivingIn = arrivingIn !== arrivingIn ? 0 : arrivingIn > cap ? cap : arrivingIn < -cap ? -cap : arrivingIn;
    guard.counters[2 * guard.slot + 1]++;
  }
  const ex = iEx[s];
  const inh = iIn[s];
  let vm = v[s];
  const integrated = k.restingMv + (vm - k.restingMv) * k.p22 + k.p20 * k.dcPa + ex * k.p21ex + inh * k.p21in;
  if (!(Math.abs(integrated) <= FLOAT32_MAX)) {
    v[s] = k.resetMv;
    iEx[s] = 0;
    iIn[s] = 0;
    refractory[s] = guard.quarantineSteps;
    guard.counters[2 * guard.slot]++;
    return count;
  }
  iEx[s] = ex * k.p11ex + arriving;
  iIn[s] = inh * k.p11in + arrivingIn;
  const ref = refractory[s];
  if (ref === 0) vm = integrated;
  else refractory[s] = ref - 1;
  if (vm >= k.thresholdMv) {
    refractory[s] = k.refractorySteps;
    vm = k.resetMv;
    spikes[count++] = i;
  }
  v[s] = vm;
  return count;
}
