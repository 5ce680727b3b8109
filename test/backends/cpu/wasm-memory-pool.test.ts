import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wasmMemoryPool, WasmMemoryPool, type PooledMemory } from '../../../src/backends/cpu/wasm-memory-pool.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { cpuWasmModule, instantiateCpuWasm } from '../../../kernels/wasm/cpu_wasm.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { distinctPopulationsSpec, smallNetworkSpec } from '../../helpers/networks.js';

const STEPS = 400;

/** The spike hash and final membrane of a fresh backend over `net`, run STEPS steps. */
async function runOnce(seed: number) {
  const net = buildNetwork(smallNetworkSpec(300), { seed, dtMs: 0.1 });
  const b = new ReferenceBackend(net, { seed, batch: 2 });
  try {
    await b.run(STEPS);
    return { hash: b.recorder.spikeHash(), vm: Array.from(b.buffer('membraneMv') as Float32Array) };
  } finally {
    await b.dispose();
  }
}

function pooledOf(pages: number): PooledMemory {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  return { memory, exports: instantiateCpuWasm(cpuWasmModule()!, memory), pages };
}

describe('wasm memory pool', { skip: cpuWasmModule() === null ? 'no wasm SIMD here' : false }, () => {
  it('a disposed backend gives its memory back, and the next backend of the same size takes it: same spikes as on fresh memory', async () => {
    wasmMemoryPool.clear();
    const fresh = await runOnce(5);
    assert.equal(wasmMemoryPool.kept.memories, 1, 'the disposed backend gave its memory back');
    // Another seed dirties the reused memory with other state; then seed 5 again must not notice.
    const other = await runOnce(6);
    assert.notEqual(other.hash, fresh.hash);
    assert.equal(wasmMemoryPool.kept.memories, 1, 'reused, not a second one');
    const reused = await runOnce(5);
    assert.equal(reused.hash, fresh.hash);
    assert.deepEqual(reused.vm, fresh.vm);
  });

  it('detaches what a disposed backend handed out, so a stale view never reads the next backend\'s state', async () => {
    wasmMemoryPool.clear();
    const net = buildNetwork(distinctPopulationsSpec(), { seed: 2, dtMs: 0.1 });
    const a = new ReferenceBackend(net, { seed: 2 });
    await a.run(50);
    const v = a.buffer('membraneMv') as Float32Array;
    const w = a.synapses().weightsPa;
    assert.ok(v.length > 0 && w.length > 0);
    await a.dispose();
    assert.equal(v.length, 0, 'membrane view detached');
    assert.equal(w.length, 0, 'synapse view detached');
    const b = new ReferenceBackend(net, { seed: 3 });
    try {
      await b.run(50);
      assert.equal(v[0], undefined);
      assert.ok((b.buffer('membraneMv') as Float32Array).length > 0);
    } finally {
      await b.dispose();
    }
  });

  it('two live backends never share a memory', async () => {
    wasmMemoryPool.clear();
    const net = buildNetwork(smallNetworkSpec(200), { seed: 1, dtMs: 0.1 });
    const seed = new ReferenceBackend(net, { seed: 1 });
    await seed.dispose(); // one memory kept
    const a = new ReferenceBackend(net, { seed: 1 });
    const b = new ReferenceBackend(net, { seed: 1 });
    try {
      assert.notEqual(a.buffer('membraneMv').buffer, b.buffer('membraneMv').buffer);
      await a.run(100);
      await b.run(100);
      assert.equal(a.recorder.spikeHash(), b.recorder.spikeHash());
    } finally {
      await a.dispose();
      await b.dispose();
    }
    assert.equal(wasmMemoryPool.kept.memories, 2);
  });

  it('keeps at most its byte cap, newest first, and never a memory larger than the cap; take() zeroes', () => {
    const pool = new WasmMemoryPool(3 * 65536);
    const one = pooledOf(1);
    new Uint8Array(one.memory.buffer).fill(7);
    pool.give(one);
    pool.give(pooledOf(2));
    assert.deepEqual(pool.kept, { memories: 2, bytes: 3 * 65536 });
    pool.give(pooledOf(2)); // past the cap: the oldest (the 1-page one) goes
    assert.deepEqual(pool.kept, { memories: 1, bytes: 2 * 65536 });
    assert.equal(pool.take(1), null);
    pool.give(pooledOf(4)); // larger than the cap: not kept
    assert.deepEqual(pool.kept, { memories: 1, bytes: 2 * 65536 });
    const again = new WasmMemoryPool(65536);
    const dirty = pooledOf(1);
    new Uint8Array(dirty.memory.buffer).fill(9);
    again.give(dirty);
    const taken = again.take(1)!;
    assert.equal(taken, dirty);
    assert.ok(new Uint8Array(taken.memory.buffer).every((x) => x === 0), 'zeroed on take');
    assert.deepEqual(again.kept, { memories: 0, bytes: 0 });
    assert.deepEqual(new WasmMemoryPool(0).kept, { memories: 0, bytes: 0 });
  });
});
