// AssemblyScript source of the shards' delivery kernel in
// kernels/wasm/cpu_kernels.wasm (npm run build:wasm):
// src/backends/workers/row-slices.ts deliverSlices (the readable reference)
// over one shard's row slices, in the same order, with the same sums (see
// deliver_spikes.ts for why `f32.add` gives JavaScript's `ring[at] += w`).
//
// Byte addresses in the imported (shared) memory: slices (u32 pairs
// [begin, end) per source and range, `ranges` pairs per source), targets
// (u32), weights (f32), delays (u8), spikes (i32; spikes[from, to) are
// delivered), slotBase (i32 [maxDelay + 1]: element offset of the ring slot
// d steps ahead plus the replica's offset), rings (f32). Returns the
// synapses visited. The shards' tasks are ordered by the chains' atomics
// (src/backends/workers/barrier.ts), so plain loads and stores suffice: only
// the thread running shard k's delivery writes shard k's ring entries.
export function deliverSlices(slices: usize, ranges: i32, targets: usize, weights: usize, delays: usize, spikes: usize, from: i32, to: i32, slotBase: usize, ringEx: usize, ringIn: usize): i32 {
  let events = 0;
  const width = <usize>ranges << 3;
  for (let j = from; j < to; j++) {
    const row = slices + <usize>load<i32>(spikes + (<usize>j << 2)) * width;
    for (let r = row; r < row + width; r += 8) {
      const begin = load<u32>(r);
      const end = load<u32>(r, 4);
      events += end - begin;
      for (let k = <usize>begin; k < <usize>end; k++) {
        const w = load<f32>(weights + (k << 2));
        const at = <usize>(load<i32>(slotBase + (<usize>load<u8>(delays + k) << 2)) + load<i32>(targets + (k << 2))) << 2;
        // NaN weights go to the inhibitory ring, as `w >= 0 ? ringEx : ringIn` sends them.
        const ring = w >= 0 ? ringEx : ringIn;
        store<f32>(ring + at, load<f32>(ring + at) + w);
      }
    }
  }
  return events;
}
