/**
 * Append-only store of (step, neuron) pairs for one replica: int32 pairs in
 * 64 Ki-pair chunks, so recording never copies what it already holds.
 */
const CHUNK_PAIRS = 65536;

export class SpikeStore {
  private chunks: Int32Array[] = [];
  private current = new Int32Array(CHUNK_PAIRS * 2);
  private used = 0;
  private total = 0;

  get count(): number {
    return this.total;
  }

  append(step: number, neurons: Int32Array, from: number, to: number): void {
    for (let j = from; j < to; j++) {
      if (this.used === CHUNK_PAIRS) {
        this.chunks.push(this.current);
        this.current = new Int32Array(CHUNK_PAIRS * 2);
        this.used = 0;
      }
      this.current[this.used * 2] = step;
      this.current[this.used * 2 + 1] = neurons[j];
      this.used++;
      this.total++;
    }
  }

  /** Keeps the first `pairs` pairs and drops the rest (used when steps are recomputed). */
  truncateTo(pairs: number): void {
    if (pairs >= this.total) return;
    const full = Math.floor(pairs / CHUNK_PAIRS);
    const rest = pairs - full * CHUNK_PAIRS;
    const all = [...this.chunks, this.current];
    this.chunks = all.slice(0, full);
    const keep = all[full];
    this.current = new Int32Array(CHUNK_PAIRS * 2);
    this.current.set(keep.subarray(0, rest * 2));
    this.used = rest;
    this.total = pairs;
  }

  /** A store holding exactly these flattened pairs. */
  static fromPairs(pairs: Int32Array): SpikeStore {
    const store = new SpikeStore();
    const n = pairs.length / 2;
    let at = 0;
    while (at < n) {
      const take = Math.min(CHUNK_PAIRS - store.used, n - at);
      store.current.set(pairs.subarray(at * 2, (at + take) * 2), store.used * 2);
      store.used += take;
      store.total += take;
      at += take;
      if (store.used === CHUNK_PAIRS) {
        store.chunks.push(store.current);
        store.current = new Int32Array(CHUNK_PAIRS * 2);
        store.used = 0;
      }
    }
    return store;
  }

  /** All pairs, flattened [step0, neuron0, step1, neuron1, ...]. */
  toPairs(): Int32Array {
    const out = new Int32Array(this.total * 2);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    out.set(this.current.subarray(0, this.used * 2), at);
    return out;
  }
}
