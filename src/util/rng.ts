import seedrandom from 'seedrandom';
import { ZIG_F, ZIG_K, ZIG_R, ZIG_W } from './ziggurat.js';

/**
 * Fast sequential PRNG (xoshiro128**) for bulk construction work, where a
 * seedrandom closure per draw would dominate the build time. Each stream is
 * seeded through seedrandom from a readable key (`seed:purpose:id`), so the
 * streams that matter for reproducibility are named, not positional.
 */
export class StreamRng {
  // State kept as int32 in a typed array: plain fields holding values >= 2^31 would be boxed doubles.
  private readonly s = new Int32Array(4);

  constructor(key: string) {
    const seeder = seedrandom(key);
    const s = this.s;
    for (let i = 0; i < 4; i++) s[i] = seeder.int32();
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 0x1e3779b9;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const s1 = s[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s1;
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() * 2.3283064365386963e-10;
  }

  /** Uniform in (0, 1): safe for logarithms. */
  uniformOpen(): number {
    return (this.nextUint32() + 0.5) * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n) for n <= 2^32 (multiply-shift, bias < n / 2^32). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Fills `out[0..n)` with standard normals. Same values as n calls of
   * normal(), but the generator state lives in locals for the whole batch.
   */
  fillNormals(out: Float64Array, n: number): void {
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    for (let i = 0; i < n; i++) {
      const hz = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) {
        out[i] = hz * ZIG_W[iz];
      } else {
        s[0] = s0;
        s[1] = s1;
        s[2] = s2;
        s[3] = s3;
        out[i] = this.normalTail(hz, iz);
        s0 = s[0];
        s1 = s[1];
        s2 = s[2];
        s3 = s[3];
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** Adds n uniform draws in [0, size) to the histogram `bins` (same stream as n calls of below(size)). */
  histogram(bins: Uint32Array, n: number, size: number): void {
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    const scale = size * 2.3283064365386963e-10;
    for (let i = 0; i < n; i++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      bins[Math.floor(r * scale)]++;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** Standard normal (ziggurat; exact, not an approximation). */
  normal(): number {
    const hz = this.nextUint32() | 0;
    const iz = hz & 127;
    if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    return this.normalTail(hz, iz);
  }

  /** The ziggurat's rare slow path (about 1.2% of draws). */
  private normalTail(hz: number, iz: number): number {
    for (;;) {
      if (iz === 0) {
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.uniformOpen()) / ZIG_R;
          y = -Math.log(this.uniformOpen());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * ZIG_W[iz];
      if (ZIG_F[iz] + this.uniform() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.nextUint32() | 0;
      iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A 32-bit seed derived from a key, for the counter-based generator. */
export function deriveSeed32(key: string): number {
  return seedrandom(key).int32() >>> 0;
}
