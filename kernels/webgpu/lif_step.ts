import { FAULT_DEAD, FAULT_DRIFT, FAULT_PARAM_STRIDE, FAULT_SATURATED, FAULT_STUCK } from '../cpu/neuron_fault.js';
import { partBindings, ringAccessorsWgsl } from './bindings.js';
import { COUNTER_RNG_WGSL, poissonFromBitsWgsl } from './counter_rng.js';
import { FIXED_READ_WGSL } from './fixed_point.js';
import * as L from './layout.js';

/**
 * The neuron kernel: one invocation per (replica, neuron), all replicas in
 * one dispatch. It does what kernels/cpu does for one step before delivery,
 * in the CPU's order (src/backends/cpu-step.ts integrateStep):
 *
 * 1. arriving input: the ring slot of this step (fixed point, read and
 *    cleared), then each Poisson drive of the population that is not fused
 *    (poissonDrive), then each active storm (injectStorm: pA into the input,
 *    or mV into a non-refractory membrane), then the fused drive (lifRun);
 * 2. the exact-integration update of lif_run.ts (NEST iaf_psc_exp: membrane
 *    with the previous step's currents, currents decay and take the input,
 *    threshold, reset, refractory countdown);
 * 3. where the (replica, population) is marked in the fault table, a faulted
 *    neuron takes neuron_fault.ts's update; with guards on, the guarded
 *    kernel's semantics: lif_step_guarded.ts on healthy populations (cap and
 *    drop the input, contain a neuron whose integrated membrane is not finite,
 *    no spike), guard_scan.ts's passes around the faulted update elsewhere;
 * 4. a spiking neuron appends b * n + i to the chunk's spike list (order
 *    within a step is the device's; the host sorts each step's spikes).
 *
 * Every float op rounds to float32 (the reference rounds a whole update
 * once): the float32-per-op exactness class. Random numbers come from the
 * same counter-based generator as the CPU's, so Poisson and storm counts are
 * bit-identical. Non-finite values are recognised by their bits, never by
 * comparisons a shader compiler may assume away.
 */
export function lifStepWgsl(ringParts: number): string {
  return /* wgsl */ `
${L.GLOBALS_WGSL}
${L.STEP_WGSL}
@group(0) @binding(0) var<uniform> globals: Globals;
@group(0) @binding(1) var<uniform> stepParams: StepParams;
@group(0) @binding(2) var<storage, read_write> neu: array<u32>;
@group(0) @binding(3) var<storage, read> faults: array<u32>;
@group(0) @binding(4) var<storage, read> model: array<u32>;
@group(0) @binding(5) var<storage, read> effects: array<u32>;
@group(0) @binding(6) var<storage, read_write> ctl: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> spikes: array<u32>;
${partBindings('ring', 'array<atomic<u32>>', 'read_write', 8, ringParts)}

${COUNTER_RNG_WGSL}
${poissonFromBitsWgsl('drawModel', 'model')}
${poissonFromBitsWgsl('drawEffects', 'effects')}
${FIXED_READ_WGSL}
${ringAccessorsWgsl(ringParts, false)}

fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn isNan(x: f32) -> bool {
  let b = bitcast<u32>(x);
  return (b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) != 0u;
}

/** Within +-cap and finite (NaN fails, as on the CPU). */
fn within(x: f32, cap: f32) -> bool {
  return isFinite(x) && abs(x) <= cap;
}

/** The guards' clamp: NaN dropped to 0, beyond +-cap clamped. */
fn capped(x: f32, cap: f32) -> f32 {
  if (isNan(x)) { return 0.0; }
  return clamp(x, -cap, cap);
}

fn mf(w: u32) -> f32 {
  return bitcast<f32>(model[w]);
}

fn bitOf(base: u32, x: u32) -> bool {
  return ((effects[base + (x >> 5u)] >> (x & 31u)) & 1u) != 0u;
}

@compute @workgroup_size(${L.WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let bn = globals.batch * globals.n;
  let s = gid.x + gid.y * globals.dispatchX * ${L.WORKGROUP_SIZE}u;
  if (s >= bn) { return; }
  if (atomicLoad(&ctl[globals.haltOff + stepParams.k]) != 0u) { return; }
  let n = globals.n;
  let b = s / n;
  let i = s - b * n;
  let step = stepParams.step;
  let slot = step % globals.slots;
  let rpp = globals.replicasPerPart;
  let part = b / rpp;
  let e = ((slot * rpp + (b - part * rpp)) * n + i) * 4u;

  // 1. Arriving input: this step's ring slot (read, then cleared for step + slots).
  var ex = fxMagnitude(ringLoad(part, e), ringLoad(part, e + 1u));
  var inh = -fxMagnitude(ringLoad(part, e + 2u), ringLoad(part, e + 3u));
  ringStore(part, e, 0u);
  ringStore(part, e + 1u, 0u);
  ringStore(part, e + 2u, 0u);
  ringStore(part, e + 3u, 0u);

  var v = bitcast<f32>(neu[s]);
  let exPrev = bitcast<f32>(neu[bn + s]);
  let inhPrev = bitcast<f32>(neu[2u * bn + s]);
  let refr = bitcast<i32>(neu[3u * bn + s]);

  let pop = model[i];
  let pb = globals.popOff + pop * ${L.POP_STRIDE}u;
  let noise = model[globals.noiseOff + b];
  let d0 = model[pb + ${L.POP_DRIVE_BEGIN}u];
  let d1 = model[pb + ${L.POP_DRIVE_END}u];
  var fusedDrive = -1;
  for (var d = d0; d < d1; d = d + 1u) {
    let db = globals.driveOff + d * ${L.DRIVE_STRIDE}u;
    if (model[db + 5u] != 0u) { fusedDrive = i32(d); continue; }
    let w = mf(db);
    let parts = model[db + 1u];
    let key = stepKey(globals.seed, noise, step, model[db + 2u]);
    var k = drawModel(bitsAt(key, i), model[db + 3u], model[db + 4u]);
    for (var j = 1u; j < parts; j = j + 1u) { k = k + drawModel(bitsAtSub(key, i, j), model[db + 3u], model[db + 4u]); }
    if (w >= 0.0) { ex = ex + f32(k) * w; } else { inh = inh + f32(k) * w; }
  }

  for (var st = 0u; st < globals.storms; st = st + 1u) {
    let sb = st * ${L.STORM_STRIDE}u;
    if (step < effects[sb + ${L.STORM_START}u] || step >= effects[sb + ${L.STORM_END}u]) { continue; }
    if (!bitOf(effects[sb + ${L.STORM_REPLICAS_OFF}u], b) || !bitOf(effects[sb + ${L.STORM_TARGETS_OFF}u], i)) { continue; }
    var events = 0u;
    if (effects[sb + ${L.STORM_POISSON}u] != 0u) {
      // Storms stay keyed by the replica, not its noise stream (as on the CPU).
      let key = stepKey(globals.seed, b, step, effects[sb + ${L.STORM_STREAM}u]);
      events = drawEffects(bitsAt(key, i), effects[sb + ${L.STORM_TABLE_OFF}u], effects[sb + ${L.STORM_TABLE_LEN}u]);
    } else {
      events = stepParams.regular[st / 4u][st % 4u];
    }
    if (events == 0u) { continue; }
    atomicAdd(&ctl[${L.CTL_STORM_EVENTS}u + st], events);
    let amp = bitcast<f32>(effects[sb + ${L.STORM_AMPLITUDE}u]);
    if (effects[sb + ${L.STORM_UNIT_MV}u] != 0u) {
      if (refr == 0) { v = v + f32(events) * amp; }
    } else if (amp >= 0.0) {
      ex = ex + f32(events) * amp;
    } else {
      inh = inh + f32(events) * amp;
    }
  }

  if (fusedDrive >= 0) {
    let db = globals.driveOff + u32(fusedDrive) * ${L.DRIVE_STRIDE}u;
    let key = stepKey(globals.seed, noise, step, model[db + 2u]);
    ex = ex + f32(drawModel(bitsAt(key, i), model[db + 3u], model[db + 4u])) * mf(db);
  }

  // 2-3. The update.
  let restingMv = mf(pb + ${L.POP_RESTING}u);
  let th = mf(pb + ${L.POP_THRESHOLD}u);
  let reset = mf(pb + ${L.POP_RESET}u);
  let refSteps = i32(model[pb + ${L.POP_REFRACTORY}u]);
  let integrated = restingMv + (v - restingMv) * mf(pb + ${L.POP_P22}u) + mf(pb + ${L.POP_DC_TERM}u) + exPrev * mf(pb + ${L.POP_P21EX}u) + inhPrev * mf(pb + ${L.POP_P21IN}u);
  let faultedPop = faults[globals.faultPopsOff + b * globals.pops + pop] != 0u;
  let guards = globals.guards != 0u;
  let cap = globals.capPa;
  let quarantine = i32(globals.quarantine);

  if (guards) {
    if (!(within(ex, cap) && within(inh, cap))) {
      ex = capped(ex, cap);
      inh = capped(inh, cap);
      atomicAdd(&ctl[${L.CTL_CAPPED}u], 1u);
    }
    if (!faultedPop && !isFinite(integrated)) {
      // lifStepGuarded: contained before anything else of the neuron is written; no spike.
      neu[s] = bitcast<u32>(reset);
      neu[bn + s] = 0u;
      neu[2u * bn + s] = 0u;
      neu[3u * bn + s] = bitcast<u32>(quarantine);
      atomicAdd(&ctl[${L.CTL_CONTAINED}u], 1u);
      return;
    }
  }

  var iEx = exPrev * mf(pb + ${L.POP_P11EX}u) + ex;
  var iIn = inhPrev * mf(pb + ${L.POP_P11IN}u) + inh;
  var nextRef = refr;
  var spiked = false;
  let code = select(0u, faults[s], faultedPop);
  if (code != 0u) {
    let p = globals.faultParamsOff + s * ${FAULT_PARAM_STRIDE}u;
    if (code == ${FAULT_DEAD}u) {
      if (refr > 0) { nextRef = refr - 1; }
      v = reset;
    } else if (code == ${FAULT_SATURATED}u) {
      if (refr > 0) { nextRef = refr - 1; } else { nextRef = refSteps; spiked = true; }
      v = reset;
    } else if (code == ${FAULT_STUCK}u) {
      let stuck = bitcast<f32>(faults[p]);
      v = stuck;
      if (refr > 0) { nextRef = refr - 1; } else if (stuck >= th) { nextRef = refSteps; spiked = true; }
    } else if (code == ${FAULT_DRIFT}u) {
      var next = v;
      if (refr == 0) {
        next = restingMv + (v - restingMv) * bitcast<f32>(faults[p + 1u]) + bitcast<f32>(faults[p + 2u]) + exPrev * bitcast<f32>(faults[p + 3u]) + inhPrev * bitcast<f32>(faults[p + 4u]);
      } else {
        nextRef = refr - 1;
      }
      if (next >= bitcast<f32>(faults[p])) {
        nextRef = i32(bitcast<f32>(faults[p + 5u]));
        v = reset;
        spiked = true;
      } else {
        v = next;
      }
    }
  } else {
    var held = v;
    if (refr == 0) { held = integrated; }
    spiked = held >= th;
    if (spiked) { nextRef = refSteps; v = reset; } else { v = held; if (refr != 0) { nextRef = refr - 1; } }
  }

  if (guards && faultedPop && !isFinite(v + iEx + iIn)) {
    // guard_scan.ts containNonFinite, after the faulted kernel (its spike stands).
    v = reset;
    iEx = 0.0;
    iIn = 0.0;
    nextRef = quarantine;
    atomicAdd(&ctl[${L.CTL_CONTAINED}u], 1u);
  }

  neu[s] = bitcast<u32>(v);
  neu[bn + s] = bitcast<u32>(iEx);
  neu[2u * bn + s] = bitcast<u32>(iIn);
  neu[3u * bn + s] = bitcast<u32>(nextRef);
  if (spiked) {
    let at = atomicAdd(&ctl[${L.CTL_TOTAL}u], 1u);
    if (at < globals.spikeCap) { spikes[at] = s; }
  }
}
`;
}
