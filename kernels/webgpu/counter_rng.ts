/**
 * The counter-based generator of kernels/cpu/counter_rng.ts in WGSL, u32
 * arithmetic only (xor, shifts, wrapping multiply): the same bits as the CPU
 * kernels for the same key, so Poisson drive and storms are bit-identical on
 * the GPU (test/backends/webgpu/counter-rng.test.ts checks it on a device).
 * The Poisson draw searches the same inversion thresholds (poissonTable); the
 * CPU's 12-bit lookup table only skips part of that search, so the counts agree.
 */
export const COUNTER_RNG_WGSL = /* wgsl */ `
fn fmix32(x: u32) -> u32 {
  var h = x;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}

fn stepKey(seed: u32, noiseStream: u32, step: u32, stream: u32) -> u32 {
  var h = fmix32(seed ^ 0x6a09e667u);
  h = fmix32(h ^ ((noiseStream + 1u) * 0x9e3779b9u));
  h = fmix32(h ^ step);
  h = fmix32(h ^ ((stream + 1u) * 0x85ebca77u));
  return h;
}

fn bitsAt(key: u32, neuron: u32) -> u32 {
  return fmix32(fmix32(key ^ ((neuron + 1u) * 0xcc9e2d51u)) ^ 0x1b873593u);
}

fn bitsAtSub(key: u32, neuron: u32, sub: u32) -> u32 {
  return fmix32(fmix32(key ^ ((neuron + 1u) * 0xcc9e2d51u)) ^ ((sub + 1u) * 0x1b873593u));
}
`;

/**
 * The Poisson draw by inversion, as poissonFromLut without the lookup table:
 * the smallest k with h <= thresholds[k] (the table's last entry is
 * 0xffffffff, so the search ends inside it). \`TABLE\` names the u32 storage
 * array holding the thresholds at [offset, offset + length).
 */
export function poissonFromBitsWgsl(name: string, table: string): string {
  return /* wgsl */ `
fn ${name}(h: u32, offset: u32, length: u32) -> u32 {
  var k = 0u;
  loop {
    if (k + 1u >= length || h <= ${table}[offset + k]) { break; }
    k = k + 1u;
  }
  return k;
}
`;
}
