import * as L from '../../../kernels/webgpu/layout.js';
import type { StepEffects } from '../backend.js';
import { unsupported } from '../../util/errors.js';

/**
 * The effects buffer (u32 words) the kernels read: the storm table (each
 * storm's window, train, amplitude, Poisson thresholds, and bitsets of its
 * target neurons and replicas) and the partition table (window, drop or
 * extra delay, source and target ranges). Rebuilt when the chaos layer
 * publishes new step effects; the regular trains' event counts per step ride
 * in the per-step records instead (regularEvents is computed in float64 on
 * the host, exactly as the CPU kernel computes it).
 */
export interface EffectsBuffer {
  words: Uint32Array;
  storms: number;
  partitions: number;
  partOff: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** Steps are u32 on the device; "until stopped" (MAX_SAFE_INTEGER) becomes the largest. */
function stepWord(step: number): number {
  return Math.min(step, 0xffffffff);
}

/** @throws UnsupportedError beyond MAX_STORMS storms or MAX_PARTITION_KERNELS partition kernels at once */
export function buildEffectsBuffer(effects: StepEffects, n: number, batch: number): EffectsBuffer {
  const { storms, partitions } = effects;
  if (storms.length > L.MAX_STORMS) throw unsupported('webgpu', 'spike-storm', `at most ${L.MAX_STORMS} storms can be active at once on the device (got ${storms.length})`);
  if (partitions.length > L.MAX_PARTITION_KERNELS) throw unsupported('webgpu', 'partition', `at most ${L.MAX_PARTITION_KERNELS} partition kernels (a two-way partition is two) can be active at once on the device (got ${partitions.length})`);
  const words: number[] = new Array(storms.length * L.STORM_STRIDE).fill(0);
  const push = (xs: ArrayLike<number>) => {
    const at = words.length;
    for (let k = 0; k < xs.length; k++) words.push(xs[k]);
    return at;
  };
  const bitset = (size: number, set: (mark: (x: number) => void) => void) => {
    const bits = new Uint32Array(Math.ceil(size / 32) || 1);
    set((x) => (bits[x >>> 5] |= 1 << (x & 31)));
    return push(bits);
  };
  storms.forEach((s, k) => {
    const at = k * L.STORM_STRIDE;
    words[at + L.STORM_START] = stepWord(s.startStep);
    words[at + L.STORM_END] = stepWord(s.endStep);
    words[at + L.STORM_POISSON] = s.poisson ? 1 : 0;
    words[at + L.STORM_AMPLITUDE] = bitsOf(s.amplitude);
    words[at + L.STORM_UNIT_MV] = s.unitMv ? 1 : 0;
    words[at + L.STORM_STREAM] = s.stream >>> 0;
    if (s.table) {
      words[at + L.STORM_TABLE_OFF] = push(s.table.thresholds);
      words[at + L.STORM_TABLE_LEN] = s.table.thresholds.length;
    }
    words[at + L.STORM_TARGETS_OFF] = bitset(n, (mark) => s.targets.forEach(mark));
    words[at + L.STORM_REPLICAS_OFF] = bitset(batch, (mark) => s.replicas.forEach((on, b) => on !== 0 && mark(b)));
  });
  const partOff = words.length;
  for (let p = 0; p < partitions.length; p++) words.push(...new Array(L.PART_STRIDE).fill(0));
  partitions.forEach((p, k) => {
    const at = partOff + k * L.PART_STRIDE;
    words[at + L.PART_START] = stepWord(p.startStep);
    words[at + L.PART_END] = stepWord(p.endStep);
    words[at + L.PART_DROP] = p.drop ? 1 : 0;
    words[at + L.PART_EXTRA] = p.extraSteps;
    words[at + L.PART_SRC_PAIRS] = p.sourceRanges.length / 2;
    words[at + L.PART_SRC_OFF] = push(p.sourceRanges);
    words[at + L.PART_TGT_PAIRS] = p.targetRanges.length / 2;
    words[at + L.PART_TGT_OFF] = push(p.targetRanges);
  });
  if (words.length === 0) words.push(0);
  return { words: Uint32Array.from(words), storms: storms.length, partitions: partitions.length, partOff };
}
