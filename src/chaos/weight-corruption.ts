import { z } from 'zod';
import { lowerBound } from '../../kernels/cpu/lower_bound.js';
import { StreamRng } from '../util/rng.js';
import { InputError } from '../util/errors.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';
import { selectSynapses } from './synapse-selection.js';
import type { WeightFaultEntry, WeightFaultLayer } from './weight-layer.js';

export const WEIGHT_CORRUPTION_MODES = [
  'bit-flip',
  'exponent-flip',
  'sign-flip',
  'stuck-at-zero',
  'stuck-at-value',
  'scale',
  'multiplicative-noise',
  'gaussian-noise',
  'nan',
  'inf',
  'permutation',
] as const;

export const weightCorruptionSchema = z
  .object({
    kind: z.literal('weight-corruption'),
    id: z.string().min(1).max(64).optional(),
    /** Scope: synapses from `source` and/or into `target` (population names); both absent: the whole matrix. */
    source: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    fraction: boundedNumber(0, 1, { exclusiveMin: true }),
    mode: z.enum(WEIGHT_CORRUPTION_MODES),
    /** bit-flip: a fixed bit (0 = mantissa LSB, 31 = sign); absent: a random bit per synapse. */
    bit: boundedNumber(0, 31, { integer: true }).optional(),
    /** stuck-at-value: the weight in pA. */
    value: boundedNumber(-1e9, 1e9).optional(),
    /** scale: the factor; multiplicative-noise: relative sd; gaussian-noise: sd in pA. */
    factor: boundedNumber(-1e6, 1e6).optional(),
    sigma: boundedNumber(0, 1e6).optional(),
    permanent: z.boolean().default(false),
    /** Simulated ms after which the controller stops it (absent: until stopped). */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type WeightCorruptionSpec = z.infer<typeof weightCorruptionSchema>;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => {
  f32[0] = x;
  return u32[0];
};
const valueOf = (bits: number) => {
  u32[0] = bits;
  return f32[0];
};

/**
 * Weight corruption: a chosen fraction of the synapses in a scope, changed in
 * their float32 representation. Reversible through a golden copy of exactly
 * the touched entries, or permanent. Connectivity is shared by the replicas
 * of a batch, so the corruption hits every replica.
 */
export class WeightCorruption extends FaultBase implements WeightFaultEntry {
  readonly indices: Uint32Array;
  private readonly golden: Uint32Array;
  /** Pristine bits of the touched entries (what they hold once no fault covers them). */
  private readonly base: Uint32Array;
  private readonly corrupted: Uint32Array;
  /** Per-synapse draw: the bit to flip, the noise, or the permutation source. */
  private readonly draw: Float64Array;

  constructor(ctx: FaultContext, spec: WeightCorruptionSpec, id: string, private readonly layer: WeightFaultLayer, private readonly bits: Uint32Array) {
    if (spec.mode === 'stuck-at-value' && spec.value === undefined) throw new InputError('fault.value', 'is required for mode stuck-at-value (a weight in pA in [-1e9, 1e9])');
    if (spec.mode === 'scale' && spec.factor === undefined) throw new InputError('fault.factor', 'is required for mode scale (a factor in [-1e6, 1e6])');
    if ((spec.mode === 'multiplicative-noise' || spec.mode === 'gaussian-noise') && spec.sigma === undefined) throw new InputError('fault.sigma', `is required for mode ${spec.mode} (in [0, 1e6])`);
    const { indices, candidates } = selectSynapses(ctx.network, spec.source, spec.target, spec.fraction, `${ctx.seed}:fault:${id}:synapses`, 'fault');
    super(id, 'weight-corruption', spec, { synapses: indices.length, synapseSample: [...indices.subarray(0, 16)] }, spec.permanent, ctx);
    void candidates;
    this.indices = indices;
    this.golden = new Uint32Array(indices.length);
    this.base = new Uint32Array(indices.length);
    this.corrupted = new Uint32Array(indices.length);
    this.draw = drawPerSynapse(spec, indices.length, new StreamRng(`${ctx.seed}:fault:${id}:draws`));
    if (spec.permanent) layer.addPermanent(this);
    else layer.add(this);
  }

  capture(bits: Uint32Array): void {
    for (let k = 0; k < this.indices.length; k++) {
      const i = this.indices[k];
      this.golden[k] = bits[i];
      this.base[k] = this.layer.baseOf(this, i) ?? bits[i];
    }
  }

  baseAt(index: number): number | undefined {
    const k = this.positionOf(index);
    return k < 0 ? undefined : this.base[k];
  }

  apply(bits: Uint32Array): void {
    const spec = this.spec as WeightCorruptionSpec;
    const idx = this.indices;
    for (let k = 0; k < idx.length; k++) {
      const old = this.golden[k];
      let next: number;
      switch (spec.mode) {
        case 'bit-flip':
        case 'exponent-flip':
          next = (old ^ (1 << this.draw[k])) >>> 0;
          break;
        case 'sign-flip':
          next = (old ^ 0x8000_0000) >>> 0;
          break;
        case 'stuck-at-zero':
          next = 0;
          break;
        case 'stuck-at-value':
          next = bitsOf(spec.value!);
          break;
        case 'scale':
          next = bitsOf(valueOf(old) * spec.factor!);
          break;
        case 'multiplicative-noise':
          next = bitsOf(valueOf(old) * (1 + spec.sigma! * this.draw[k]));
          break;
        case 'gaussian-noise':
          next = bitsOf(valueOf(old) + spec.sigma! * this.draw[k]);
          break;
        case 'nan':
          next = 0x7fc0_0000;
          break;
        case 'inf':
          next = ((old & 0x8000_0000) | 0x7f80_0000) >>> 0;
          break;
        case 'permutation':
          next = this.golden[this.draw[k]];
          break;
      }
      bits[idx[k]] = next;
      this.corrupted[k] = next;
    }
  }

  restore(bits: Uint32Array): void {
    for (let k = 0; k < this.indices.length; k++) bits[this.indices[k]] = this.golden[k];
  }

  covers(index: number): boolean {
    return this.positionOf(index) >= 0;
  }

  private positionOf(index: number): number {
    const l = lowerBound(this.indices, 0, this.indices.length, index);
    return l < this.indices.length && this.indices[l] === index ? l : -1;
  }

  protected async undo(): Promise<void> {
    if (!this.permanent) this.layer.remove(this);
  }

  protected verifyActive(): VerifyResult {
    const held = this.holds();
    // The corruption chose its synapses but changed none of their bits (a scale by 1, noise of sd 0, a permutation of equal weights...).
    let altered = 0;
    for (let k = 0; k < this.indices.length; k++) if (this.corrupted[k] !== this.golden[k]) altered++;
    if (held.ok && altered === 0) return { ok: false, noEffect: true, evidence: `${held.evidence}; ${this.spec.mode} left all ${this.indices.length} chosen weights bit for bit as they were` };
    return held;
  }

  /** Whether the corrupted bits are in the weights (or corrupted again by a later fault). */
  private holds(): VerifyResult {
    let match = 0;
    let changed = 0;
    let shadowed = 0;
    for (let k = 0; k < this.indices.length; k++) {
      const now = this.bits[this.indices[k]];
      if (now === this.corrupted[k]) match++;
      else if (!this.permanent && this.layer.coveredAfter(this, this.indices[k])) shadowed++;
      if (now !== this.golden[k]) changed++;
    }
    const n = this.indices.length;
    return { ok: match + shadowed === n, evidence: `${match}/${n} touched weights hold the corrupted bits, ${shadowed} corrupted again by a later fault (${changed} differ from the golden copy; a mode can leave a weight unchanged, e.g. a permutation's fixed points)` };
  }

  protected verifyGone(): VerifyResult {
    if (this.permanent) return this.holds();
    let restored = 0;
    let owned = 0;
    for (let k = 0; k < this.indices.length; k++) {
      if (this.layer.coveredByAny(this.indices[k])) owned++;
      else if (this.bits[this.indices[k]] === this.base[k]) restored++;
    }
    return { ok: restored + owned === this.indices.length, evidence: `${restored}/${this.indices.length} touched weights are back to their pristine bits, ${owned} held by another active fault` };
  }
}

function drawPerSynapse(spec: WeightCorruptionSpec, n: number, rng: StreamRng): Float64Array {
  const out = new Float64Array(n);
  if (spec.mode === 'bit-flip') for (let k = 0; k < n; k++) out[k] = spec.bit ?? rng.below(32);
  if (spec.mode === 'exponent-flip') for (let k = 0; k < n; k++) out[k] = 23 + rng.below(8);
  if (spec.mode === 'multiplicative-noise' || spec.mode === 'gaussian-noise') for (let k = 0; k < n; k++) out[k] = rng.normal();
  if (spec.mode === 'permutation') {
    for (let k = 0; k < n; k++) out[k] = k;
    for (let k = n - 1; k > 0; k--) {
      const j = rng.below(k + 1);
      const t = out[k];
      out[k] = out[j];
      out[j] = t;
    }
  }
  return out;
}
