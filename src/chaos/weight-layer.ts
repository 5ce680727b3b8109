/** A fault on weights, as the layer composes it. */
export interface WeightFaultEntry {
  /** Remembers the current bits of its entries (the values to put back). */
  capture(bits: Uint32Array): void;
  /** Writes its corruption over the current bits. */
  apply(bits: Uint32Array): void;
  /** Puts back what capture() saw. */
  restore(bits: Uint32Array): void;
  /** Whether it touches synapse `index`. */
  covers(index: number): boolean;
  /** The pristine bits (as if no fault were active) of synapse `index`, if it touches it. */
  baseAt(index: number): number | undefined;
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

  /** Whether a fault applied after `f` (so on top of it) touches synapse `index`. */
  coveredAfter(f: WeightFaultEntry, index: number): boolean {
    const at = this.active.indexOf(f);
    for (let i = at + 1; i < this.active.length; i++) if (this.active[i].covers(index)) return true;
    return false;
  }

  /** Pristine bits of `index` as known to the earliest active fault other than `except` that touches it. */
  baseOf(except: WeightFaultEntry, index: number): number | undefined {
    for (const g of this.active) {
      if (g === except) continue;
      const b = g.baseAt(index);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  /** Whether any active fault touches synapse `index`. */
  coveredByAny(index: number): boolean {
    return this.active.some((g) => g.covers(index));
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
