import type { Network } from '../model/network.js';
import { roundedSteps } from '../util/time-steps.js';

/**
 * Spike counts per (replica, population) in 1 ms bins, kept for the whole
 * run: what the experiment monitors read (rates over a window, synchrony of
 * the binned activity) without rescanning the spike record.
 */
export class ActivityLog {
  readonly binSteps: number;
  readonly populations: number;
  private readonly popOf: Uint16Array;
  private counts: Uint32Array;
  private binsUsed = 0;

  constructor(network: Network, readonly batch: number) {
    this.binSteps = Math.max(1, roundedSteps(1, network.dtMs, 'activity bin', { minSteps: 0 }));
    this.populations = network.populations.length;
    this.popOf = new Uint16Array(network.neuronCount);
    for (const p of network.populations) this.popOf.fill(p.index, p.start, p.start + p.size);
    this.counts = new Uint32Array(1024 * batch * this.populations);
  }

  record(step: number, replica: number, neurons: Int32Array, count: number): void {
    const bin = Math.floor(step / this.binSteps);
    const stride = this.batch * this.populations;
    if ((bin + 1) * stride > this.counts.length) {
      const grown = new Uint32Array(Math.max((bin + 1) * stride, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    if (bin + 1 > this.binsUsed) this.binsUsed = bin + 1;
    const base = bin * stride + replica * this.populations;
    for (let j = 0; j < count; j++) this.counts[base + this.popOf[neurons[j]]]++;
  }

  /** A restart point at the start of `step` (the bin it falls in may be partly filled: kept as it is). */
  mark(step: number): { bin: number; partial: Uint32Array; binsUsed: number } {
    const bin = Math.floor(step / this.binSteps);
    const stride = this.batch * this.populations;
    const partial = bin < this.binsUsed ? this.counts.slice(bin * stride, (bin + 1) * stride) : new Uint32Array(stride);
    return { bin, partial, binsUsed: Math.min(this.binsUsed, bin + 1) };
  }

  /** Goes back to a mark: later bins are forgotten, the partial bin is put back as it was. */
  rewind(m: { bin: number; partial: Uint32Array; binsUsed: number }): void {
    const stride = this.batch * this.populations;
    this.counts.fill(0, m.bin * stride, this.binsUsed * stride);
    if ((m.bin + 1) * stride <= this.counts.length) this.counts.set(m.partial, m.bin * stride);
    this.binsUsed = m.binsUsed;
  }

  /** Spikes of (replica, population) in bin. */
  at(bin: number, replica: number, population: number): number {
    if (bin >= this.binsUsed) return 0;
    return this.counts[bin * this.batch * this.populations + replica * this.populations + population];
  }
}
