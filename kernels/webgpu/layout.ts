/**
 * Where the WGSL kernels find things: word offsets and strides shared by the
 * host (src/backends/webgpu/) and the kernels of this folder. One source, so
 * the two cannot disagree.
 */

/** Workgroup size of every kernel (a multiple of the 32/64-wide SIMD of current GPUs). */
export const WORKGROUP_SIZE = 64;

/** Storms active at once (their regular-train counts ride in the per-step record). */
export const MAX_STORMS = 60;
/** Partition kernels active at once (a two-way partition is two). */
export const MAX_PARTITION_KERNELS = 32;

/** The control words (array<atomic<u32>>): appended spikes, the halt flag, steps done, guard and fault counters, then per-step spike ends. */
export const CTL_TOTAL = 0;
export const CTL_STEPS_DONE = 2;
export const CTL_CONTAINED = 3;
export const CTL_CAPPED = 4;
export const CTL_STORM_EVENTS = 8;
export const CTL_PARTITION_AFFECTED = CTL_STORM_EVENTS + MAX_STORMS;
/**
 * stepEnd[k]: spikes appended before step k of the chunk (stepEnd[0] = 0); then, at globals.haltOff,
 * halt[k]: step k of the chunk does not run (sticky: a halted step halts the next).
 */
export const CTL_STEP_END = CTL_PARTITION_AFFECTED + MAX_PARTITION_KERNELS;

/** Control words for a chunk of at most `maxChunkSteps` steps. */
export function ctlWords(maxChunkSteps: number): number {
  return CTL_STEP_END + 2 * (maxChunkSteps + 1);
}

/** The per-step record (a uniform bound at a dynamic offset): step, index in the chunk, then each storm's regular-train events at that step. */
export const STEP_RECORD_BYTES = 256;
export const STEP_REGULAR_AT = 4;

/** Population record in the model buffer (u32 words; floats as bits). */
export const POP_STRIDE = 16;
export const POP_RESTING = 0;
export const POP_THRESHOLD = 1;
export const POP_RESET = 2;
export const POP_DC_TERM = 3;
export const POP_P22 = 4;
export const POP_P11EX = 5;
export const POP_P11IN = 6;
export const POP_P21EX = 7;
export const POP_P21IN = 8;
export const POP_REFRACTORY = 9;
export const POP_DRIVE_BEGIN = 10;
export const POP_DRIVE_END = 11;

/** Poisson drive record: weight (f32 bits), parts, stream, threshold table offset and length, fused (1: added last, after storms, as the CPU's fused drive). */
export const DRIVE_STRIDE = 8;

/** Storm record in the effects buffer. */
export const STORM_STRIDE = 12;
export const STORM_START = 0;
export const STORM_END = 1;
export const STORM_POISSON = 2;
export const STORM_AMPLITUDE = 3;
export const STORM_UNIT_MV = 4;
export const STORM_STREAM = 5;
export const STORM_TABLE_OFF = 6;
export const STORM_TABLE_LEN = 7;
export const STORM_TARGETS_OFF = 8;
export const STORM_REPLICAS_OFF = 9;

/** Partition kernel record in the effects buffer (ranges as flat [lo, hi) pairs). */
export const PART_STRIDE = 8;
export const PART_START = 0;
export const PART_END = 1;
export const PART_DROP = 2;
export const PART_EXTRA = 3;
export const PART_SRC_OFF = 4;
export const PART_SRC_PAIRS = 5;
export const PART_TGT_OFF = 6;
export const PART_TGT_PAIRS = 7;

/** Fault parameters per neuron (kernels/cpu/neuron_fault.ts). */
export { FAULT_PARAM_STRIDE } from '../cpu/neuron_fault.js';

/** Targets are packed with their delay: target | delay << 24 (so at most 2^24 neurons). */
export const TARGET_BITS = 24;
export const MAX_DEVICE_NEURONS = 1 << TARGET_BITS;

/**
 * The uniform every kernel reads (WGSL struct Globals): 24 words. Word
 * offsets of each field, in WGSL declaration order.
 */
export const GLOBALS_FIELDS = [
  'seed', 'batch', 'n', 'slots',
  'pops', 'storms', 'partitions', 'guards',
  'capPa', 'quarantine', 'spikeCap', 'replicasPerPart',
  'popOff', 'driveOff', 'noiseOff', 'synPerPart',
  'faultParamsOff', 'faultPopsOff', 'deliverGroups', 'partOff',
  'dispatchX', 'haltOff', 'pad2', 'pad3',
] as const;
export type GlobalsField = (typeof GLOBALS_FIELDS)[number];
/** Fields that are f32 in WGSL (the rest are u32). */
export const GLOBALS_F32: readonly GlobalsField[] = ['capPa'];

export const GLOBALS_WGSL = `struct Globals {\n${GLOBALS_FIELDS.map((f) => `  ${f}: ${GLOBALS_F32.includes(f) ? 'f32' : 'u32'},`).join('\n')}\n}\n`;

export const STEP_WGSL = /* wgsl */ `
struct StepParams {
  step: u32,
  k: u32,
  pad0: u32,
  pad1: u32,
  regular: array<vec4<u32>, ${(STEP_RECORD_BYTES / 4 - STEP_REGULAR_AT) / 4}>,
}
`;
