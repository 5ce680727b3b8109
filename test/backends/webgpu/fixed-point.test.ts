import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedPointWgsl, fixedToMagnitude, FIXED_NAN_BIT, FIXED_OVERFLOW_BIT, magnitudeToFixed } from '../../../kernels/webgpu/fixed_point.js';
import { StreamRng } from '../../../src/util/rng.js';
import { deviceOrSkip, runKernel } from './device.js';

const ULP_BITS = 2 ** -23;
/** The documented bound: N events x 2^-21 pA (rounding each to the grid) plus 2 ulp of the float32 result. */
function bound(events: number, exact: number): number {
  return events * 2 ** -21 + 2 * Math.abs(exact) * ULP_BITS + 1e-30;
}

describe('fixed-point delivery accumulator', () => {
  it('host conversion: round trip of float32 magnitudes within the bound; NaN and the overflow flag kept', () => {
    const out = new Uint32Array(2);
    const rng = new StreamRng('fixed-point-host');
    for (let k = 0; k < 20_000; k++) {
      const x = Math.fround(Math.exp(rng.uniform() * 40 - 20));
      magnitudeToFixed(x, out, 0);
      const back = fixedToMagnitude(out[0], out[1]);
      assert.ok(Math.abs(back - x) <= bound(1, x), `${x} read back as ${back}`);
    }
    magnitudeToFixed(Number.NaN, out, 0);
    assert.equal((out[1] & FIXED_NAN_BIT) >>> 0, FIXED_NAN_BIT);
    assert.ok(Number.isNaN(fixedToMagnitude(out[0], out[1])));
    magnitudeToFixed(1e30, out, 0);
    assert.equal(out[1], FIXED_OVERFLOW_BIT);
    assert.equal(fixedToMagnitude(out[0], out[1]), Number.POSITIVE_INFINITY);
  });

  it('device: sums of many weights added by racing threads are within the bound of the exact sum, and identical bits in any order', async (t) => {
    const got = await deviceOrSkip(t);
    if (!got) return;
    const TARGETS = 64;
    const EVENTS = 64 * 1024;
    const rng = new StreamRng('fixed-point-device');
    const weights = new Float32Array(EVENTS);
    for (let k = 0; k < EVENTS; k++) {
      // Synaptic weights (tens to hundreds of pA), small ones, and a few beyond 2^12 pA (the hi word's path).
      const r = rng.uniform();
      weights[k] = r < 0.001 ? 5e6 * rng.uniform() : r < 0.1 ? 1e-3 * rng.uniform() : 87.8 + 8.8 * rng.normal();
      weights[k] = Math.abs(weights[k]);
    }
    const kernel = /* wgsl */ `
@group(0) @binding(0) var<storage, read> ws: array<f32>;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read_write> ring: array<atomic<u32>>;
${fixedPointWgsl('ring')}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x + gid.y * 65536u;
  if (j >= ${EVENTS}u) { return; }
  let k = order[j];
  fxAdd((k % ${TARGETS}u) * 2u, ws[k]);
}
`;
    const identity = Uint32Array.from({ length: EVENTS }, (_, k) => k);
    const shuffled = identity.slice();
    for (let k = EVENTS - 1; k > 0; k--) {
      const j = rng.below(k + 1);
      [shuffled[k], shuffled[j]] = [shuffled[j], shuffled[k]];
    }
    const a = await runKernel(got.device, kernel, [weights, identity], TARGETS * 2, [EVENTS / 64]);
    const b = await runKernel(got.device, kernel, [weights, shuffled], TARGETS * 2, [EVENTS / 64]);
    assert.deepEqual(a, b, 'the same bits whatever order the events arrive in');
    let worst = 0;
    for (let target = 0; target < TARGETS; target++) {
      let exact = 0;
      let events = 0;
      for (let k = target; k < EVENTS; k += TARGETS) {
        exact += weights[k];
        events++;
      }
      const sum = fixedToMagnitude(a[2 * target], a[2 * target + 1]);
      const err = Math.abs(sum - exact);
      worst = Math.max(worst, err / bound(events, exact));
      assert.ok(err <= bound(events, exact), `target ${target}: ${sum} vs exact ${exact} (error ${err}, bound ${bound(events, exact)})`);
    }
    assert.ok(worst > 0, 'the sums were rounded somewhere (the comparison could fail)');
  });

  it('device: a NaN weight makes the slot NaN; a weight beyond the range reads as infinite', async (t) => {
    const got = await deviceOrSkip(t);
    if (!got) return;
    const kernel = /* wgsl */ `
@group(0) @binding(0) var<storage, read> ws: array<u32>;
@group(0) @binding(1) var<storage, read_write> ring: array<atomic<u32>>;
${fixedPointWgsl('ring')}
@compute @workgroup_size(1)
fn main() {
  fxAdd(0u, 1.0);
  fxAdd(0u, bitcast<f32>(ws[0]));
  fxAdd(2u, 2.5);
  fxAdd(2u, bitcast<f32>(ws[1]));
  fxAdd(4u, bitcast<f32>(ws[2]));
}
`;
    const out = await runKernel(got.device, kernel, [Uint32Array.of(0x7fc00000, 0x7f000000, 0x7f800000)], 6, [1]);
    assert.ok(Number.isNaN(fixedToMagnitude(out[0], out[1])), 'NaN');
    assert.equal(fixedToMagnitude(out[2], out[3]), Number.POSITIVE_INFINITY, 'beyond 2^36 pA');
    assert.equal(fixedToMagnitude(out[4], out[5]), Number.POSITIVE_INFINITY, 'infinite weight');
  });
});
