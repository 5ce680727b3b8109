import { bitsAt, bitsAtSub } from '../cpu/counter_rng.js';
import { poissonFromBits, type PoissonTable } from '../cpu/poisson_drive.js';

/**
 * The host half of the gpu.js PoissonDrive: the Poisson count of each neuron
 * in [from, to) for one step and replica, drawn exactly as the CPU kernels
 * draw it (same key, same bits, same inversion table), written to
 * out[offset + i]. The device half adds count x weight in the kernel.
 *
 * Cost on a GPU: one float32 per (replica, neuron) uploaded per step and
 * drive (31 KB per step for the scale-0.1 microcircuit), plus the hashing on
 * the host; a device-side generator would remove both but needs 32-bit
 * integer multiply and shifts, which gpu.js kernels do not express portably
 * (GL modes have only float32, and the cpu mode float64).
 */
export function poissonCounts(table: PoissonTable, parts: number, key: number, from: number, to: number, out: Float32Array, offset: number): void {
  for (let i = from; i < to; i++) {
    let k = poissonFromBits(table, bitsAt(key, i));
    for (let j = 1; j < parts; j++) k += poissonFromBits(table, bitsAtSub(key, i, j));
    out[offset + i] = k;
  }
}
