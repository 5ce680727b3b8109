import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bitsAt, bitsAtSub, stepKey } from '../../../kernels/cpu/counter_rng.js';
import { poissonDrive, poissonParts, poissonTable } from '../../../kernels/cpu/poisson_drive.js';
import { COUNTER_RNG_WGSL, poissonFromBitsWgsl } from '../../../kernels/webgpu/counter_rng.js';
import { deviceOrSkip, runKernel } from './device.js';

/** (seed, noise stream, step, stream, lambda): the corners of u32 arithmetic and every Poisson regime the drives and storms use. */
const CASES = [
  { seed: 11, noise: 0, step: 0, stream: 0, lambda: 0.0008 },
  { seed: 0, noise: 3, step: 17, stream: 16, lambda: 1.44 },
  { seed: 0xffffffff, noise: 0xfffffffe, step: 0xfffffff0, stream: 0x4000_1234, lambda: 0.2 },
  { seed: 12345, noise: 7, step: 99_999, stream: 33, lambda: 17.5 },
  { seed: 9, noise: 1, step: 400, stream: 2, lambda: 45 },
  { seed: 2024, noise: 63, step: 1_000_000, stream: 5, lambda: 120 },
];
const NEURONS = 4096;

const KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> cases: array<u32>;
@group(0) @binding(1) var<storage, read> tables: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
${COUNTER_RNG_WGSL}
${poissonFromBitsWgsl('draw', 'tables')}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  let c = gid.y;
  if (i >= ${NEURONS}u) { return; }
  let p = c * 7u;
  let key = stepKey(cases[p], cases[p + 1u], cases[p + 2u], cases[p + 3u]);
  var k = draw(bitsAt(key, i), cases[p + 4u], cases[p + 5u]);
  for (var j = 1u; j < cases[p + 6u]; j = j + 1u) { k = k + draw(bitsAtSub(key, i, j), cases[p + 4u], cases[p + 5u]); }
  let o = (c * ${NEURONS}u + i) * 2u;
  out[o] = bitsAt(key, i);
  out[o + 1u] = k;
}
`;

describe('webgpu counter-based generator (WGSL, u32 arithmetic)', () => {
  it('draws the same bits and the same Poisson counts as the CPU kernels, for every neuron and key', async (t) => {
    const got = await deviceOrSkip(t);
    if (!got) return;
    const caseWords: number[] = [];
    const tables: number[] = [];
    const cpuTables = CASES.map((c) => {
      const parts = poissonParts(c.lambda);
      const table = poissonTable(c.lambda / parts);
      caseWords.push(c.seed, c.noise, c.step, c.stream, tables.length, table.thresholds.length, parts);
      tables.push(...table.thresholds);
      return { table, parts };
    });
    const out = await runKernel(got.device, KERNEL, [Uint32Array.from(caseWords), Uint32Array.from(tables)], CASES.length * NEURONS * 2, [NEURONS / 64, CASES.length]);
    let drawn = 0;
    CASES.forEach((c, ci) => {
      const key = stepKey(c.seed, c.noise, c.step, c.stream);
      // The CPU's own drive kernel (lookup table and all) with weight 1: the ring holds the counts.
      const ring = new Float32Array(NEURONS);
      poissonDrive(cpuTables[ci].table, cpuTables[ci].parts, 1, key, 0, NEURONS, 0, ring);
      for (let i = 0; i < NEURONS; i++) {
        const o = (ci * NEURONS + i) * 2;
        assert.equal(out[o], bitsAt(key, i), `case ${ci} neuron ${i}: bits`);
        assert.equal(out[o + 1], ring[i], `case ${ci} (lambda ${c.lambda}) neuron ${i}: Poisson count`);
        drawn += ring[i];
      }
    });
    assert.ok(drawn > 500_000, `the cases drew events (${drawn})`);
    void bitsAtSub;
  });
});
