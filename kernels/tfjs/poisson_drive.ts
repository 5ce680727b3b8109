import { stepKey } from '../cpu/counter_rng.js';
import { injectStorm, type StormKernel } from '../cpu/inject_storm.js';
import { poissonDrive, type PoissonTable } from '../cpu/poisson_drive.js';

/** One Poisson drive into neurons [start, end), as kernels/cpu/poisson_drive.ts takes it. */
export interface HostPoissonDrive {
  start: number;
  end: number;
  table: PoissonTable;
  parts: number;
  weightPa: number;
  stream: number;
}

/** Host arrays [batch * neurons] a step's drives are written into, then uploaded. */
export interface DriveBuffers {
  /** Input added before the guards (non-fused drives, pA storms), by channel. */
  preEx: Float32Array;
  preIn: Float32Array;
  /** Fused excitatory drives, added after the guards as the CPU's fused LifStep does. */
  fusedEx: Float32Array;
  /** mV storm kicks, added to non-refractory membranes before the update. */
  kickMv: Float32Array;
  /** Which of the four were written this step (the others stay zero and need no upload). */
  written: { pre: boolean; preIn: boolean; fused: boolean; kick: boolean };
}

/**
 * PoissonDrive for the tfjs backend, computed on the host with the CPU
 * kernels and uploaded each step. Why: the counter-based generator is
 * murmur3's fmix32 in uint32 arithmetic; tfjs has no uint32, no xor, no
 * 32-bit multiply-high, and its CPU backend multiplies int32 through
 * float64 (a 32x32-bit product loses its low bits above 2^53), so an
 * on-device hash would need a 16-bit-limb emulation of ~100 ops per draw to
 * be exact. On the host the same kernel gives the same counts by
 * construction, at the cost of one [batch, neurons] float32 upload per
 * drive group per step (bench: `npm run bench -- --suite tfjs-batch`).
 * Storms ride along: their trains use the same generator. Drives are keyed
 * by each replica's noise stream (`noiseStreams[b]`), storms by the replica.
 */
export function hostDrives(
  fused: HostPoissonDrive[],
  separate: HostPoissonDrive[],
  storms: StormKernel[],
  seed: number,
  noiseStreams: Uint32Array,
  step: number,
  batch: number,
  neuronCount: number,
  zeroRefractory: Int32Array,
  out: DriveBuffers,
): void {
  const w = out.written;
  if (w.pre) out.preEx.fill(0);
  if (w.preIn) out.preIn.fill(0);
  if (w.fused) out.fusedEx.fill(0);
  if (w.kick) out.kickMv.fill(0);
  w.pre = w.preIn = w.fused = w.kick = false;
  for (let b = 0; b < batch; b++) {
    const offset = b * neuronCount;
    const noiseStream = noiseStreams[b];
    for (const d of separate) {
      poissonDrive(d.table, d.parts, d.weightPa, stepKey(seed, noiseStream, step, d.stream), d.start, d.end, offset, d.weightPa >= 0 ? out.preEx : out.preIn);
      if (d.weightPa >= 0) w.pre = true;
      else w.preIn = true;
    }
    for (const s of storms) {
      if (step < s.startStep || step >= s.endStep || s.replicas[b] === 0) continue;
      injectStorm(s, seed, step, b, 0, neuronCount, offset, offset, out.kickMv, zeroRefractory, out.preEx, out.preIn, 0);
      if (s.unitMv) w.kick = true;
      else if (s.amplitude >= 0) w.pre = true;
      else w.preIn = true;
    }
    for (const d of fused) {
      poissonDrive(d.table, 1, d.weightPa, stepKey(seed, noiseStream, step, d.stream), d.start, d.end, offset, out.fusedEx);
      w.fused = true;
    }
  }
}
