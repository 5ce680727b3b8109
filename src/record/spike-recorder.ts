import type { Network } from '../model/network.js';
import { SpikeStore, type ChunkSource } from './spike-store.js';
import type { ActivityLog } from './activity-log.js';
import { combineReplicaHashes, hashPairs, shortHash } from './spike-hash.js';

/** Something that follows the record as it is written (the durable recorder). */
export interface SpikeSink {
  record(step: number, replica: number, neurons: Int32Array, count: number): void;
  /** The record was cut back: everything from `step` on is forgotten (it will be recorded again). */
  rewound(step: number): void;
}

export interface RecordMark {
  step: number;
  lengths: number[];
  counts: Uint32Array;
  lastStep: number;
  activity: ReturnType<ActivityLog['mark']> | null;
}

/**
 * Records every spike of every replica, with per-neuron counts for rates.
 * Spikes must arrive step by step, neurons ascending within a step (the
 * order every backend produces after merging its shards).
 */
export class SpikeRecorder {
  stores: SpikeStore[];
  /** Spikes per (replica, neuron) from `countFromStep` on. */
  readonly counts: Uint32Array;
  private lastStep = -1;

  constructor(
    readonly neuronCount: number,
    readonly batch: number,
    /** Spikes before this step are stored and hashed but not counted in rates (a warm-up). */
    public countFromStep = 0,
    /** Where record chunks come from (the simulation allocator in backends). @defaultValue plain arrays */
    private readonly chunks?: ChunkSource,
  ) {
    this.stores = Array.from({ length: batch }, () => new SpikeStore(chunks));
    this.counts = new Uint32Array(batch * neuronCount);
  }

  /**
   * Replaces everything recorded with a checkpoint's spikes and counts. The
   * new record is built before the old one is let go, so a refused
   * allocation (allocator pressure) throws with the record as it was.
   */
  restore(spikes: Int32Array[], counts: Uint32Array, countFromStep: number, atStep?: number): void {
    if (spikes.length !== this.batch || counts.length !== this.counts.length) throw new RangeError('recorder restore: batch or size mismatch');
    const built: SpikeStore[] = [];
    try {
      for (const pairs of spikes) built.push(SpikeStore.fromPairs(pairs, this.chunks));
    } catch (e) {
      for (const s of built) s.release();
      throw e;
    }
    for (const s of this.stores) s.release();
    this.stores = built;
    this.countFromStep = countFromStep;
    this.counts.set(counts);
    let last = -1;
    for (const pairs of spikes) if (pairs.length > 0) last = Math.max(last, pairs[pairs.length - 2]);
    this.lastStep = last;
    if (atStep !== undefined) this.sink?.rewound(atStep);
  }

  /** Where the record stands at the start of `step`: enough to cut it back later with rewind(). */
  mark(step: number): RecordMark {
    return { step, lengths: this.stores.map((s) => s.count), counts: this.counts.slice(), lastStep: this.lastStep, activity: this.activity?.mark(step) ?? null };
  }

  /** Cuts the record back to a mark: spikes recorded since are forgotten, counts restored. */
  rewind(mark: RecordMark): void {
    mark.lengths.forEach((n, b) => this.stores[b].truncateTo(n));
    if (mark.activity) this.activity?.rewind(mark.activity);
    this.counts.set(mark.counts);
    this.lastStep = mark.lastStep;
    this.sink?.rewound(mark.step);
  }

  /** Follows every recorded spike and every rewind (the durable recorder attaches here). */
  sink: SpikeSink | null = null;

  /** Optional binned activity per population, kept alongside (the experiment engine attaches one). */
  activity: ActivityLog | null = null;

  record(step: number, replica: number, neurons: Int32Array, count: number): void {
    this.stores[replica].append(step, neurons, 0, count);
    this.sink?.record(step, replica, neurons, count);
    this.activity?.record(step, replica, neurons, count);
    if (step >= this.countFromStep) {
      const base = replica * this.neuronCount;
      for (let j = 0; j < count; j++) this.counts[base + neurons[j]]++;
    }
    this.lastStep = step;
  }

  /** Gives the record's memory back to the allocator when its backend is disposed; what was recorded stays readable. */
  returnMemory(): void {
    for (const s of this.stores) s.returnMemory();
  }

  get totalSpikes(): number {
    let n = 0;
    for (const s of this.stores) n += s.count;
    return n;
  }

  get lastRecordedStep(): number {
    return this.lastStep;
  }

  /** Full SHA-256 hex of replica b's spike train. */
  replicaHash(b: number): string {
    return hashPairs(this.stores[b].toPairs());
  }

  /** 64-bit (16 hex digits) hash of the whole batch's spikes. */
  spikeHash(): string {
    return shortHash(combineReplicaHashes(this.stores.map((_, b) => this.replicaHash(b))));
  }

  /** Mean rate (Hz) of each population, averaged over replicas, over `windowMs` of counted time. */
  populationRatesHz(network: Network, windowMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of network.populations) {
      let spikes = 0;
      for (let b = 0; b < this.batch; b++) {
        const base = b * this.neuronCount + p.start;
        for (let i = 0; i < p.size; i++) spikes += this.counts[base + i];
      }
      out[p.name] = windowMs > 0 ? spikes / (p.size * this.batch * (windowMs / 1000)) : 0;
    }
    return out;
  }
}
