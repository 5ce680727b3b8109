import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wasmMemoryPool } from '../../../src/backends/cpu/wasm-memory-pool.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { cpuWasmModule } from '../../../kernels/wasm/cpu_wasm.js';
import { AllocationError, Allocator } from '../../../src/memory/allocator.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { smallNetworkSpec } from '../../helpers/networks.js';

/** An allocator that grants arrays and refuses every reservation (the cpu backend reserves its wasm memory's state bytes). */
class RefusingReserve extends Allocator {
  override reserve(bytes: number, label: string): never {
    throw new AllocationError(label, bytes, 'injected', 'this test refuses reservations');
  }
}

describe('wasm memory pool: a cpu backend whose constructor fails', { skip: cpuWasmModule() === null ? 'no wasm SIMD here' : false }, () => {
  const net = () => buildNetwork(smallNetworkSpec(300), { seed: 7, dtMs: 0.1 });

  it('gives back the memory it took, once, whether the shell refused it (bad seed, state refused) or its reservation was refused', async () => {
    wasmMemoryPool.clear();
    const n = net();
    await new ReferenceBackend(n, { seed: 1 }).dispose();
    assert.equal(wasmMemoryPool.kept.memories, 1);
    assert.throws(() => new ReferenceBackend(n, { seed: -1 }), /seed/);
    assert.equal(wasmMemoryPool.kept.memories, 1, 'after a bad seed');
    assert.throws(() => new ReferenceBackend(n, { seed: 1, allocator: new Allocator(1000) }), AllocationError);
    assert.equal(wasmMemoryPool.kept.memories, 1, 'after the state was refused');
    const refusing = new RefusingReserve();
    assert.throws(() => new ReferenceBackend(n, { seed: 1, allocator: refusing }), AllocationError);
    assert.equal(wasmMemoryPool.kept.memories, 1, 'after the reservation was refused: back once, not twice');
    assert.equal(refusing.stats().inUseBytes, 0, 'nothing left charged');
    const a = new ReferenceBackend(n, { seed: 1 });
    const b = new ReferenceBackend(n, { seed: 1 });
    try {
      assert.notEqual(a.buffer('membraneMv').buffer, b.buffer('membraneMv').buffer);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
