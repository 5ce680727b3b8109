import { bitsAt } from './counter_rng.js';
import type { FusedPoisson, LifBuffers, LifKernelParams } from './lif_step.js';
import { faultedNeuronUpdate, faultedNeuronUpdateF32 } from './neuron_fault.js';
import { integratedMv, integratedMvF32 } from './lif_neuron.js';
import { poissonFromLut } from './poisson_drive.js';

/**
 * What lifRun does besides the plain update: nothing (LifStep); the guards'
 * tests before it writes anything of a neuron (lifStepGuarded: input within
 * +-cap and finite, integrated membrane within float32), where a neuron that
 * fails stops the run and the kernel's slow path updates it; or the fault
 * table (lifStepFaulted): a neuron with a non-zero code takes the faulted
 * update (neuron_fault.ts) in place of the membrane update.
 */
export const LIF_PLAIN = 0;
export const LIF_GUARDED = 1;
export const LIF_FAULTED = 2;

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The guards' cap in pA for the next guarded run (set by lifStepGuarded),
 * passed through a Float64Array so that the loop gets it as an unboxed double
 * (a number argument is re-checked and unboxed at each use).
 */
export const lifGuardCap = new Float64Array(1);

/** Where the last run stopped: `to`, or the neuron that failed its check. */
const lifStop = new Int32Array(1);

export function lifStoppedAt(): number {
  return lifStop[0];
}

const NO_THRESHOLDS = new Uint32Array(0);

/**
 * The one source of the iaf_psc_exp update on the CPU: neurons [from, to)
 * until one fails the guards' tests (only LIF_GUARDED stops); sets
 * lifStoppedAt and returns the spike count. NEST's order: the membrane
 * integrates the currents of the previous step (unless refractory), then the
 * currents decay and take this step's arriving input, then threshold, reset
 * and refractory countdown. With `poisson`, the fused drive's input is added
 * to the arriving input and rounded to float32 as the ring slot would have
 * stored it (bit-identical to running PoissonDrive first).
 *
 * The kernels run it as lifRunPlain, lifRunGuarded and lifRunFaulted (see
 * there for why three). Built for V8:
 * - Straight-line update: after the check, every operation runs for every
 *   neuron, refractory or not, spiking or not (results are selected, not
 *   branched to). V8 compiles this loop during the first steps; a branch first
 *   taken after that (the first refractory neuron) deoptimised it, and the code
 *   it compiled next was sometimes much slower (see
 *   src/backends/warm-kernels.ts).
 * - No call in the loop of the plain and guarded kernels that V8 does not
 *   inline: a neuron that needs the rare clamping or containment leaves the
 *   loop, and the guarded kernel's slow path updates it (a possible call
 *   inside the loop slowed the healthy update down by more than 2x; compiled
 *   into the loop, the rare code cost 3% of a step). The faulted kernel's
 *   loop calls the fault update in place (its own loop: leaving and entering
 *   the loop at every faulted neuron cost 40% where one neuron in ten was
 *   faulted).
 * - Every value of a neuron is read and checked before any is written, so a
 *   stop leaves that neuron untouched.
 * - One check of the state for the guards: a non-finite membrane or current
 *   makes the integrated membrane non-finite (it is computed for refractory
 *   neurons too), and finite currents cannot overflow (they decay and take
 *   capped input), so checking that one value covers all three.
 *
 * `f32` picks the arithmetic (SimulationOptions.precision): false computes
 * each update in float64 and rounds once where a value is stored (the
 * reference, bit-identical to every earlier release); true rounds every
 * operation to float32 (integratedMvF32, the currents' product before their
 * sum), with `k` already rounded to float32 (planKernels), as the f32x4 wasm
 * kernels compute it. The fused drive's input is the same in both (input,
 * not the update: it is summed as the ring slot stores it).
 *
 * It uses no name from outside but those lifRunFor passes in (see there).
 */
export function lifRun(mode: number, f32: boolean, k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = f32 ? Math.fround(k.p20 * k.dcPa) : k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = poisson ? poisson.table.lut : null;
  const thr = poisson ? poisson.table.thresholds : NO_THRESHOLDS;
  const wPoisson = poisson ? poisson.weightPa : 0;
  const key = poisson ? poisson.key : 0;
  const cap = lifGuardCap[0];
  const { membraneMv: v, currentExcPa: iEx, currentInhPa: iIn, refractorySteps: refractory, ringExcPa: ringEx, ringInhPa: ringIn, faultCode, faultParams } = st;
  let i = from;
  for (; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    let arriving = ringEx[r];
    if (lut !== null) arriving = Math.fround(arriving + poissonFromLut(lut, thr, bitsAt(key, i)) * wPoisson);
    const arrivingIn = ringIn[r];
    const ex = iEx[s];
    const inh = iIn[s];
    const vm = v[s];
    const integrated = f32 ? integratedMvF32(vm, ex, inh, el, p22, dcTerm, p21ex, p21in) : integratedMv(vm, ex, inh, el, p22, dcTerm, p21ex, p21in);
    // NaN fails every comparison and stops a guarded run too.
    if (mode === LIF_GUARDED && !(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap && Math.abs(integrated) <= FLOAT32_MAX)) break;
    ringEx[r] = 0;
    ringIn[r] = 0;
    // The store rounds the sum; in float32 the product is rounded first.
    iEx[s] = f32 ? Math.fround(ex * p11ex) + arriving : ex * p11ex + arriving;
    iIn[s] = f32 ? Math.fround(inh * p11in) + arrivingIn : inh * p11in + arrivingIn;
    if (mode === LIF_FAULTED && faultCode[s] !== 0) {
      if ((f32 ? faultedNeuronUpdateF32 : faultedNeuronUpdate)(faultCode[s], faultParams, s, vm, ex, inh, el, th, reset, refractorySteps, v, refractory) !== 0) spikes[count++] = i;
      continue;
    }
    const ref = refractory[s];
    const refLeft = ref - 1; // for every neuron: straight-line (see above)
    const held = ref === 0 ? integrated : vm;
    const spiked = held >= th;
    refractory[s] = spiked ? refractorySteps : ref === 0 ? 0 : refLeft;
    v[s] = spiked ? reset : held;
    // Written always, kept only when it spiked: the slot exists, since the
    // buffer has room for every neuron of the range to spike.
    spikes[count] = i;
    count += spiked ? 1 : 0;
  }
  lifStop[0] = i;
  return count;
}

type LifRunOfMode = (k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number) => number;

/**
 * lifRun with its mode fixed, as a function of its own, made from lifRun's
 * source. Why not call lifRun: V8 compiles one piece of machine code per
 * function from the type feedback of all its callers, so one loop shared by
 * the three kernels carries the checks of all modes. Measured on the
 * scale-0.1 microcircuit (kernel bench state, CPU time), that cost the plain
 * update 5% with every mode run before V8 compiled it, and 30% when a mode's
 * check had never run (V8 compiles code it has not seen run into
 * deoptimisation exits, whose saved state is kept live through the loop).
 * Each function made here gets its own feedback and machine code, with the
 * other modes' checks folded away as constant: the same code as when the
 * three kernels were written out separately, from one source.
 */
function lifRunFor(mode: number, f32: boolean, name: string): LifRunOfMode {
  const source = lifRun.toString();
  try {
    if (!source.startsWith('function lifRun(mode, f32,')) throw new Error(`unexpected source of lifRun: ${source.slice(0, 40)}`);
    // The parameter list has no braces, so the first one opens the body;
    // `mode`, `f32` and the constants become local constants, which V8 folds.
    const params = source.slice(source.indexOf('(') + 1, source.indexOf(')')).replace(/^mode,\s*f32,\s*/, '');
    const body = source.slice(source.indexOf('{') + 1);
    const specialised = `function ${name}(${params}) { const mode = ${mode}, f32 = ${f32}, LIF_GUARDED = ${LIF_GUARDED}, LIF_FAULTED = ${LIF_FAULTED}, FLOAT32_MAX = ${FLOAT32_MAX};${body}`;
    const make = new Function('bitsAt', 'poissonFromLut', 'integratedMv', 'integratedMvF32', 'faultedNeuronUpdate', 'faultedNeuronUpdateF32', 'lifGuardCap', 'lifStop', 'NO_THRESHOLDS', `'use strict'; return ${specialised};`);
    return make(bitsAt, poissonFromLut, integratedMv, integratedMvF32, faultedNeuronUpdate, faultedNeuronUpdateF32, lifGuardCap, lifStop, NO_THRESHOLDS) as LifRunOfMode;
  } catch {
    // Code generation refused (node --disallow-code-generation-from-strings)
    // or a tool rewrote the source: the shared loop, same results, slower.
    return (k, poisson, from, to, stateOffset, ringOffset, st, spikes, count) => lifRun(mode, f32, k, poisson, from, to, stateOffset, ringOffset, st, spikes, count);
  }
}

export const lifRunPlain = lifRunFor(LIF_PLAIN, false, 'lifRunPlain');
export const lifRunGuarded = lifRunFor(LIF_GUARDED, false, 'lifRunGuarded');
export const lifRunFaulted = lifRunFor(LIF_FAULTED, false, 'lifRunFaulted');
/** The same three in single precision (lifRun with f32 true): functions of their own, so the float64 kernels' code and feedback stay as they were. */
export const lifRunPlainF32 = lifRunFor(LIF_PLAIN, true, 'lifRunPlainF32');
export const lifRunGuardedF32 = lifRunFor(LIF_GUARDED, true, 'lifRunGuardedF32');
export const lifRunFaultedF32 = lifRunFor(LIF_FAULTED, true, 'lifRunFaultedF32');
