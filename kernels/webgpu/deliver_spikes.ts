import { partBindings, ringAccessorsWgsl, synapseAccessorsWgsl } from './bindings.js';
import { fixedPointWgsl } from './fixed_point.js';
import * as L from './layout.js';

/**
 * Event-driven delivery (kernels/cpu/deliver_spikes.ts and
 * deliver_partitioned.ts on the device): the work is the spikes of this
 * step times their out-degree, never the whole synapse matrix. Workgroups
 * take the step's spikes in a grid-stride loop (one spike per workgroup at
 * a time), the workgroup's threads take the spike's row of synapses, and
 * each synapse adds its weight into ring slot (step + delay) of its target,
 * excitatory and inhibitory apart by the sign of the weight. The sums are
 * integer (fixed_point.ts), so they do not depend on the order in which
 * spikes or synapses are taken: deterministic without float atomics.
 *
 * Partitions: a spike whose source lies in an active partition's sources
 * takes the slow path per synapse: a synapse into the partition's targets
 * is counted, then dropped or delivered extraSteps later (the largest extra
 * of the partitions that cut it), as deliverPartitioned does.
 *
 * Invocation 0 of workgroup 0 also keeps the chunk's books: spikes appended
 * before the next step, steps done, and the halt flag that stops the chunk
 * before a step that could overflow the spike list (the host then goes on in
 * a new submission).
 */
export function deliverSpikesWgsl(ringParts: number, synParts: number): string {
  const ringFirst = 6 + 2 * synParts;
  const fx = Array.from({ length: ringParts }, (_, p) => fixedPointWgsl(`ring${p}`, `_${p}`)).join('\n');
  return /* wgsl */ `
${L.GLOBALS_WGSL}
${L.STEP_WGSL}
@group(0) @binding(0) var<uniform> globals: Globals;
@group(0) @binding(1) var<uniform> stepParams: StepParams;
@group(0) @binding(2) var<storage, read_write> ctl: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> spikes: array<u32>;
@group(0) @binding(4) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(5) var<storage, read> effects: array<u32>;
${partBindings('targets', 'array<u32>', 'read', 6, synParts)}
${partBindings('weights', 'array<f32>', 'read', 6 + synParts, synParts)}
${partBindings('ring', 'array<atomic<u32>>', 'read_write', ringFirst, ringParts)}

${fx}
${ringAccessorsWgsl(ringParts, true)}
${synapseAccessorsWgsl(synParts)}

fn inRanges(off: u32, pairs: u32, x: u32) -> bool {
  for (var r = 0u; r < pairs; r = r + 1u) {
    if (x >= effects[off + 2u * r] && x < effects[off + 2u * r + 1u]) { return true; }
  }
  return false;
}

fn partitionActive(p: u32, step: u32) -> bool {
  let pb = globals.partOff + p * ${L.PART_STRIDE}u;
  return step >= effects[pb + ${L.PART_START}u] && step < effects[pb + ${L.PART_END}u];
}

@compute @workgroup_size(${L.WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) groups: vec3<u32>) {
  let k = stepParams.k;
  let step = stepParams.step;
  let begin = atomicLoad(&ctl[${L.CTL_STEP_END}u + k]);
  let end = atomicLoad(&ctl[${L.CTL_TOTAL}u]);
  let n = globals.n;
  let rpp = globals.replicasPerPart;
  // halt[k] was written by the previous step's delivery: the same for every invocation.
  let halted = atomicLoad(&ctl[globals.haltOff + k]) != 0u;
  for (var j = begin + wg.x; !halted && j < end; j = j + groups.x) {
    let id = spikes[j];
    let b = id / n;
    let src = id - b * n;
    let part = b / rpp;
    let bl = b - part * rpp;
    var cut = false;
    for (var p = 0u; p < globals.partitions; p = p + 1u) {
      let pb = globals.partOff + p * ${L.PART_STRIDE}u;
      if (partitionActive(p, step) && inRanges(effects[pb + ${L.PART_SRC_OFF}u], effects[pb + ${L.PART_SRC_PAIRS}u], src)) { cut = true; }
    }
    let r1 = rowPtr[src + 1u];
    for (var q = rowPtr[src] + lid; q < r1; q = q + ${L.WORKGROUP_SIZE}u) {
      let packed = synPacked(q);
      let t = packed & ${(1 << L.TARGET_BITS) - 1}u;
      let w = synWeight(q);
      var extra = 0u;
      if (cut) {
        var dropped = false;
        for (var p = 0u; p < globals.partitions; p = p + 1u) {
          let pb = globals.partOff + p * ${L.PART_STRIDE}u;
          if (!partitionActive(p, step) || !inRanges(effects[pb + ${L.PART_SRC_OFF}u], effects[pb + ${L.PART_SRC_PAIRS}u], src) || !inRanges(effects[pb + ${L.PART_TGT_OFF}u], effects[pb + ${L.PART_TGT_PAIRS}u], t)) { continue; }
          atomicAdd(&ctl[${L.CTL_PARTITION_AFFECTED}u + p], 1u);
          if (effects[pb + ${L.PART_DROP}u] != 0u) { dropped = true; } else { extra = max(extra, effects[pb + ${L.PART_EXTRA}u]); }
        }
        if (dropped) { continue; }
      }
      let slot = (step + (packed >> ${L.TARGET_BITS}u) + extra) % globals.slots;
      // NaN fails w >= 0 and goes to the inhibitory ring, as on the CPU.
      let channel = select(2u, 0u, w >= 0.0);
      ringAdd(part, ((slot * rpp + bl) * n + t) * 4u + channel, w);
    }
  }
  if (wg.x == 0u && lid == 0u) {
    if (halted) {
      atomicStore(&ctl[globals.haltOff + k + 1u], 1u);
    } else {
      atomicStore(&ctl[${L.CTL_STEPS_DONE}u], k + 1u);
      atomicStore(&ctl[${L.CTL_STEP_END}u + k + 1u], end);
      if (end + globals.batch * n > globals.spikeCap) { atomicStore(&ctl[globals.haltOff + k + 1u], 1u); }
    }
  }
}
`;
}
