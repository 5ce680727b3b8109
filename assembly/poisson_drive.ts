// AssemblyScript source of the Poisson drive in kernels/wasm/cpu_kernels.wasm
// (npm run build:wasm): kernels/cpu/poisson_drive.ts poissonDrive with one
// part (the readable reference): ring[i] += Poisson(lambda) * weightPa for
// neurons [from, to) of one step, each draw keyed by (step key, neuron)
// through kernels/cpu/counter_rng.ts bitsAt. As in JavaScript, k * weightPa
// and the sum are float64 and the result is rounded once to float32 (the
// ring's store). The `cpu` backend runs it before the LIF update in place of
// the JavaScript kernels' fused drive, which is defined to give the same
// sums (lif_run.ts: the fused input is rounded "exactly as the ring buffer
// would have stored it"). A pass of its own because fused into the update
// the hash's long dependency chain left the out-of-order core waiting (7 ns
// per neuron against 1.5 without the drive, measured).
import { bitsAt, fmix32x4, poissonDraw } from './lif_step';

/**
 * ring (byte address of neuron 0's slot): ring[i] = f32(ring[i] + k_i * weightPa), i in [from, to);
 * weightPa is the float64 at params + 88 (the population's parameter block, lif_step.ts runWith: an
 * address, not a float64 argument, which a call from JavaScript may box).
 */
export function poissonDrive(from: i32, to: i32, ring: usize, lut: usize, thr: usize, key: i32, params: usize): void {
  const weightPa = load<f64>(params, 88);
  const vW = f64x2.splat(weightPa);
  const vKey = i32x4.splat(key);
  const lanes = i32x4(1, 2, 3, 4);
  const m1 = i32x4.splat(<i32>0xcc9e2d51);
  const m2 = i32x4.splat(0x1b873593);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const h = fmix32x4(v128.xor(fmix32x4(v128.xor(vKey, i32x4.mul(i32x4.add(i32x4.splat(i), lanes), m1))), m2));
    let k = i32x4.splat(poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 0)));
    k = i32x4.replace_lane(k, 1, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 1)));
    k = i32x4.replace_lane(k, 2, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 2)));
    k = i32x4.replace_lane(k, 3, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 3)));
    const o = <usize>i << 2;
    const lo = f32x4.demote_f64x2_zero(f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(ring + o)), f64x2.mul(f64x2.convert_low_i32x4_s(k), vW)));
    const hi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(ring + o, 8)), f64x2.mul(f64x2.convert_low_i32x4_s(i8x16.shuffle(k, k, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15)), vW)));
    v128.store64_lane(ring + o, lo, 0);
    v128.store64_lane(ring + o, hi, 0, 8);
  }
  for (; i < to; i++) {
    const o = <usize>i << 2;
    store<f32>(ring + o, <f32>(<f64>load<f32>(ring + o) + <f64>poissonDraw(lut, thr, bitsAt(key, i)) * weightPa));
  }
}
