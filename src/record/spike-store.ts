/** Pairs per chunk when memory is plentiful. */
export const CHUNK_PAIRS = 65536;

/** Where a store gets a chunk of at most `pairs` pairs (it may hand back a smaller one), and gives one back. */
export interface ChunkSource {
  take(pairs: number): Int32Array;
  give(chunk: Int32Array): void;
}

const plainChunks: ChunkSource = { take: (pairs) => new Int32Array(pairs * 2), give: () => undefined };

/**
 * Append-only store of (step, neuron) pairs for one replica: int32 pairs in
 * chunks (64 Ki pairs, smaller when memory is short), so recording never
 * copies what it already holds.
 */
export class SpikeStore {
  private chunks: Int32Array[] = [];
  private current: Int32Array | null = null;
  private used = 0;
  private total = 0;

  /** Takes its first chunk at once: a run that starts can record. */
  constructor(private readonly source: ChunkSource = plainChunks) {
    this.current = source.take(CHUNK_PAIRS);
  }

  get count(): number {
    return this.total;
  }

  append(step: number, neurons: Int32Array, from: number, to: number): void {
    for (let j = from; j < to; j++) {
      if (this.current === null || this.used * 2 === this.current.length) this.grow();
      const c = this.current as Int32Array;
      c[this.used * 2] = step;
      c[this.used * 2 + 1] = neurons[j];
      this.used++;
      this.total++;
    }
  }

  private grow(): void {
    const next = this.source.take(CHUNK_PAIRS);
    if (this.current) this.chunks.push(this.current);
    this.current = next;
    this.used = 0;
  }

  /** Keeps the first `pairs` pairs and drops the rest (used when steps are recomputed). */
  truncateTo(pairs: number): void {
    if (pairs >= this.total) return;
    const all = this.current ? [...this.chunks, this.current] : [...this.chunks];
    let before = 0;
    let k = 0;
    while (k < all.length - 1 && before + all[k].length / 2 <= pairs) before += all[k++].length / 2;
    for (const dropped of all.slice(k + 1)) this.source.give(dropped);
    this.chunks = all.slice(0, k);
    this.current = all[k] ?? null;
    this.used = pairs - before;
    this.total = pairs;
  }

  /** A store holding exactly these flattened pairs. */
  static fromPairs(pairs: Int32Array, source: ChunkSource = plainChunks): SpikeStore {
    const store = new SpikeStore(source);
    const n = pairs.length / 2;
    let at = 0;
    try {
      while (at < n) {
        if (store.current === null || store.used * 2 === store.current.length) store.grow();
        const c = store.current as Int32Array;
        const take = Math.min(c.length / 2 - store.used, n - at);
        c.set(pairs.subarray(at * 2, (at + take) * 2), store.used * 2);
        store.used += take;
        store.total += take;
        at += take;
      }
    } catch (e) {
      store.release(); // the chunks it took go back: a refused allocation leaks nothing
      throw e;
    }
    return store;
  }

  /** Gives every chunk back to the source. */
  release(): void {
    for (const c of this.chunks) this.source.give(c);
    if (this.current) this.source.give(this.current);
    this.chunks = [];
    this.current = null;
    this.used = 0;
    this.total = 0;
  }

  /** Gives every chunk's bytes back to the source's accounting but keeps the data readable (the owner is done growing it). */
  returnMemory(): void {
    for (const c of this.chunks) this.source.give(c);
    if (this.current) this.source.give(this.current);
  }

  /** All pairs, flattened [step0, neuron0, step1, neuron1, ...]. */
  toPairs(): Int32Array {
    const out = new Int32Array(this.total * 2);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    if (this.current) out.set(this.current.subarray(0, this.used * 2), at);
    return out;
  }
}
