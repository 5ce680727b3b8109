import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import type { PopulationInfo } from './network.js';
import type { ProjectionSpec } from './spec.js';

/** Neurons drawn between two yields of the build's generators (a few ms of work at most). */
export const NEURONS_PER_YIELD = 64;
/** Source draws of a fixed total number between two yields (about 5 ms). */
const DRAWS_PER_YIELD = 1 << 20;

/**
 * Draws one projection's connectivity. Symmetric rules (fixed total number,
 * pairwise probability) are drawn source by source, so each source's targets
 * land in one contiguous, sorted run of its row (sequential writes: the
 * build is bound by memory traffic, not arithmetic). Fixed in-degree is
 * target-centric and is drawn target by target.
 *
 * Every draw comes from a stream that `restart()` rewinds, so counting
 * (pass 1) and placing (pass 2) see the same connectivity without holding it.
 */
export class ProjectionSampler {
  private rng!: StreamRng;
  /** Out-degree of each source (fixed total number), drawn once, in pieces (drawOutCounts) before pass 1 reads it. */
  private readonly outCount: Uint32Array | null = null;
  /** The stream of the sources' draws, and how many are still to draw into outCount. */
  private readonly sourceRng: StreamRng | null = null;
  private sourceDrawsLeft = 0;
  readonly sourceMajor: boolean;
  readonly scratchNeeded: number;

  constructor(
    readonly spec: ProjectionSpec,
    readonly source: PopulationInfo,
    readonly target: PopulationInfo,
    private readonly streamKey: string,
    readonly field: string,
  ) {
    const rule = spec.rule;
    this.sourceMajor = rule.kind !== 'fixed-indegree';
    if (rule.kind === 'fixed-total-number') {
      // Out-degrees of a fixed total number are multinomial: draw each synapse's source once, keep the counts.
      this.outCount = new Uint32Array(source.size);
      this.sourceRng = new StreamRng(`${streamKey}:sources`);
      this.sourceDrawsLeft = rule.count;
      this.scratchNeeded = 0;
    } else if (rule.kind === 'fixed-indegree') {
      if (!rule.allowAutapses && source === target && source.size < 2 && rule.indegree > 0) {
        throw new InputError(`${field}.rule`, 'fixed-indegree without autapses needs a source population of at least 2 neurons');
      }
      this.scratchNeeded = rule.indegree;
    } else {
      this.scratchNeeded = 0;
    }
    this.restart();
  }

  private binTable: Uint32Array | null = null;
  private bins(size: number): Uint32Array {
    if (!this.binTable || this.binTable.length < size) this.binTable = new Uint32Array(size);
    return this.binTable;
  }

  restart(): void {
    this.rng = new StreamRng(`${this.streamKey}:draws`);
  }

  /**
   * Fixed total number: draws every synapse's source into outCount, yielding
   * between pieces of DRAWS_PER_YIELD draws (a projection of the full-scale
   * microcircuit draws tens of millions). One stream drawn in pieces gives
   * what one call gives (StreamRng.histogram).
   */
  private *drawOutCounts(): Generator<void, void, void> {
    while (this.sourceDrawsLeft > 0) {
      const n = Math.min(DRAWS_PER_YIELD, this.sourceDrawsLeft);
      this.sourceRng!.histogram(this.outCount!, n, this.source.size);
      this.sourceDrawsLeft -= n;
      yield;
    }
  }

  /**
   * Adds this projection's out-degree of every source to `outDegree`
   * (indexed by global neuron) and returns the projection's synapse count,
   * yielding every NEURONS_PER_YIELD neurons (networkBuildSteps).
   */
  *countOutDegrees(outDegree: Uint32Array, scratch: Uint32Array): Generator<void, number, void> {
    this.restart();
    let total = 0;
    const { start, size } = this.source;
    if (this.outCount) {
      yield* this.drawOutCounts();
      for (let i = 0; i < size; i++) outDegree[start + i] += this.outCount[i];
      return (this.spec.rule as { count: number }).count;
    }
    if (this.sourceMajor) {
      for (let s = start; s < start + size; s++) {
        const n = this.targetsOf(s, scratch, 0, false);
        outDegree[s] += n;
        total += n;
        if ((s - start) % NEURONS_PER_YIELD === NEURONS_PER_YIELD - 1) yield;
      }
      return total;
    }
    for (let t = this.target.start; t < this.target.start + this.target.size; t++) {
      const n = this.sourcesOf(t, scratch);
      for (let k = 0; k < n; k++) outDegree[scratch[k]]++;
      total += n;
      if ((t - this.target.start) % NEURONS_PER_YIELD === NEURONS_PER_YIELD - 1) yield;
    }
    return total;
  }

  /**
   * Source-major rules: writes the sorted targets of source `s` into `out`
   * from `at` and returns how many (write = false only counts).
   */
  targetsOf(s: number, out: Uint32Array, at: number, write = true): number {
    const rule = this.spec.rule;
    const rng = this.rng;
    const tStart = this.target.start;
    const tSize = this.target.size;
    if (rule.kind === 'fixed-total-number') {
      if (this.sourceDrawsLeft > 0) throw new Error('ProjectionSampler: countOutDegrees must run to its end before targetsOf');
      const n = this.outCount![s - this.source.start];
      if (n === 0) return 0;
      if (tSize <= 8 * n && tSize <= 65536) {
        // Counting sort in a small table that stays in L1: cheaper than a comparison sort here.
        const bins = this.bins(tSize);
        rng.histogram(bins, n, tSize);
        let w = at;
        for (let j = 0; j < tSize; j++) {
          for (let c = bins[j]; c > 0; c--) out[w++] = tStart + j;
          bins[j] = 0;
        }
      } else {
        for (let k = 0; k < n; k++) out[at + k] = tStart + rng.below(tSize);
        if (n > 1) out.subarray(at, at + n).sort();
      }
      return n;
    }
    if (rule.kind !== 'pairwise-probability') throw new Error(`targetsOf: rule ${rule.kind} is target-major`);
    const p = rule.probability;
    let n = 0;
    if (p <= 0) return 0;
    if (p >= 1) {
      for (let j = 0; j < tSize; j++) {
        if (rule.allowAutapses || tStart + j !== s) {
          if (write) out[at + n] = tStart + j;
          n++;
        }
      }
      return n;
    }
    // Geometric skipping: the gap to the next connected target is Geometric(p); targets come out sorted.
    const logQ = Math.log1p(-p);
    let j = -1;
    for (;;) {
      j += 1 + Math.floor(Math.log(rng.uniformOpen()) / logQ);
      if (j >= tSize) break;
      const t = tStart + j;
      if (rule.allowAutapses || t !== s) {
        if (write) out[at + n] = t;
        n++;
      }
    }
    return n;
  }

  /** Target-major rule (fixed in-degree): writes the sources of target `t` into `out`; returns how many. */
  sourcesOf(t: number, out: Uint32Array): number {
    const rule = this.spec.rule;
    if (rule.kind !== 'fixed-indegree') throw new Error(`sourcesOf: rule ${rule.kind} is source-major`);
    const rng = this.rng;
    const sStart = this.source.start;
    const sSize = this.source.size;
    const n = rule.indegree;
    for (let k = 0; k < n; k++) {
      let s = sStart + rng.below(sSize);
      while (!rule.allowAutapses && s === t) s = sStart + rng.below(sSize);
      out[k] = s;
    }
    return n;
  }
}
