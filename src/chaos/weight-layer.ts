/** A fault on weights, as the layer composes it. */
export interface WeightFaultEntry {
  /** Remembers the current bits of its entries (the values to put back). */
  capture(bits: Uint32Array): void;
  /** Writes its corruption over the current bits. */
  apply(bits: Uint32Array): void;
  /** Puts back what capture() saw. */
  restore(bits: Uint32Array): void;
}

/**
 * Composes weight faults so that they stop exactly in any order: the weights
 * always equal the pristine weights with every active fault applied in
 * injection order. Stopping one fault undoes all (newest first), drops it and
 * re-applies the rest; a permanent fault is slid in under the active ones.
 */
export class WeightFaultLayer {
  private readonly active: WeightFaultEntry[] = [];

  constructor(private readonly bits: Uint32Array) {}

  add(f: WeightFaultEntry): void {
    f.capture(this.bits);
    f.apply(this.bits);
    this.active.push(f);
  }

  remove(f: WeightFaultEntry): void {
    const at = this.active.indexOf(f);
    if (at < 0) return;
    this.undoAll();
    this.active.splice(at, 1);
    this.redoAll();
  }

  addPermanent(f: WeightFaultEntry): void {
    this.undoAll();
    f.capture(this.bits);
    f.apply(this.bits);
    this.redoAll();
  }

  private undoAll(): void {
    for (let i = this.active.length - 1; i >= 0; i--) this.active[i].restore(this.bits);
  }

  private redoAll(): void {
    for (const f of this.active) {
      f.capture(this.bits);
      f.apply(this.bits);
    }
  }
}
