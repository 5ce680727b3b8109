// AssemblyScript source of the delivery kernel in kernels/wasm/cpu_kernels.wasm
// (npm run build:wasm): kernels/cpu/deliver_spikes.ts deliverSpikes (the
// readable reference) over a whole row per source, in the same order, with
// the same sums: `ring[at] += w` in JavaScript adds two float32 values in
// float64 and rounds once to float32, which is exactly float32 addition
// (a double has more than 2 * 24 + 2 bits), what f32.add does here.
//
// Byte addresses in the imported memory: rowPtr (u32 [n + 1]), targets (u32),
// weights (f32), delays (u8), spikes (i32), slotOffsets (i32 [maxDelay + 1],
// element offsets of the ring slot d steps ahead), rings (f32). Returns the
// synapses visited.
export function deliverSpikes(rowPtr: usize, targets: usize, weights: usize, delays: usize, spikes: usize, from: i32, to: i32, slotOffsets: usize, replicaOffset: i32, ringEx: usize, ringIn: usize): i32 {
  let events = 0;
  for (let j = from; j < to; j++) {
    const src = <usize>load<u32>(spikes + (<usize>j << 2));
    const begin = load<u32>(rowPtr + (src << 2));
    const end = load<u32>(rowPtr + (src << 2), 4);
    events += end - begin;
    for (let k = <usize>begin; k < <usize>end; k++) {
      const w = load<f32>(weights + (k << 2));
      const at = <usize>(load<i32>(slotOffsets + (<usize>load<u8>(delays + k) << 2)) + replicaOffset + load<i32>(targets + (k << 2))) << 2;
      // NaN weights go to the inhibitory ring, as `w >= 0 ? ringEx : ringIn` sends them.
      const ring = w >= 0 ? ringEx : ringIn;
      store<f32>(ring + at, load<f32>(ring + at) + w);
    }
  }
  return events;
}
