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

  /** Drops every pair with step >= `step` (used when steps are recomputed after a failure). */
  truncateFromStep(step: number): void {
    const pairs = this.toPairs();
    let keep = pairs.length / 2;
    while (keep > 0 && pairs[(keep - 1) * 2] >= step) keep--;
    this.chunks = [];
    this.current = new Int32Array(CHUNK_PAIRS * 2);
    this.used = 0;
    this.total = 0;
    for (let k = 0; k < keep; k++) {
      this.current[this.used * 2] = pairs[k * 2];
      this.current[this.used * 2 + 1] = pairs[k * 2 + 1];
      this.used++;
      this.total++;
      if (this.used === CHUNK_PAIRS) {
        this.chunks.push(this.current);
        this.current = new Int32Array(CHUNK_PAIRS * 2);
        this.used = 0;
      }
    }
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
