import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { instantiateCpuWasm, CPU_WASM_URL, cpuWasmModule } from '../../../kernels/wasm/cpu_wasm.js';
import { sharedCpuModule, withSharedMemoryImport } from '../../../src/backends/workers/shared-wasm-module.js';
import { distinctPopulationsSpec } from '../../helpers/networks.js';

const BIN = fileURLToPath(new URL('../../../../bin/neurochaos.js', import.meta.url));

describe('the wasm LIF module over a shared memory', () => {
  it('declares its memory import shared and nothing else changes: same exports, same results as the single-thread module', (t) => {
    if (cpuWasmModule() === null) return t.skip('no wasm SIMD here');
    const bytes = readFileSync(CPU_WASM_URL);
    const patched = withSharedMemoryImport(bytes);
    assert.ok(WebAssembly.validate(patched));
    const plain = new WebAssembly.Module(bytes);
    const shared = sharedCpuModule()!;
    assert.deepEqual(WebAssembly.Module.exports(shared), WebAssembly.Module.exports(plain));
    assert.throws(() => instantiateCpuWasm(shared, new WebAssembly.Memory({ initial: 1, maximum: 1 })), /shared|memory/i);
    assert.throws(() => instantiateCpuWasm(plain, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })), /shared|memory/i);
    // 37 neurons (a SIMD body and a tail), driven above threshold: the same bytes come out of both.
    const n = 37;
    const run = (module: WebAssembly.Module, memory: WebAssembly.Memory) => {
      const k = instantiateCpuWasm(module, memory);
      const f = new Float32Array(memory.buffer);
      for (let i = 0; i < n; i++) {
        f[64 + i] = -65 + i * 0.6; // membrane
        f[128 + i] = 100 + 7 * i; // exc current
        f[192 + i] = -20; // inh current
        f[320 + i] = i % 3 === 0 ? 30.5 : 0; // ring exc
      }
      // The parameter block (src/backends/cpu/wasm-lif.ts LIF_PARAM_COUNT): el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractory steps.
      new Float64Array(memory.buffer, 1792, 12).set([-65, -50, -65, 0.5, 0.99, 0.8, 0.95, 0.03, 0.04, 20]);
      const counts: number[] = [];
      for (let s = 0; s < 20; s++) counts.push(k.lifPlain(0, n, 256, 512, 768, 1024, 1280, 1536, 0, 0, 1792));
      return { counts, bytes: new Uint8Array(memory.buffer.slice(0, 2048)) };
    };
    const a = run(plain, new WebAssembly.Memory({ initial: 1, maximum: 1 }));
    const b = run(shared, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
    assert.ok(a.counts.some((c) => c > 0), 'some neuron spiked');
    assert.deepEqual(b.counts, a.counts);
    assert.deepEqual(b.bytes, a.bytes);
  });

  it('with the JavaScript kernels (NEUROCHAOS_WASM=0), or with wasm delivery too (NEUROCHAOS_WASM_DELIVERY=1), the workers give the same spikes as with the wasm LIF alone (the default)', () => {
    const args = [BIN, 'simulate', '--model', 'cuba', '--duration', '300', '--backend', 'workers', '--workers', '2', '--json'];
    const hash = (env: NodeJS.ProcessEnv) => {
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { spikeHash: string }).spikeHash;
    };
    const wasm = hash({});
    assert.equal(hash({ NEUROCHAOS_WASM: '0' }), wasm);
    assert.equal(hash({ NEUROCHAOS_WASM_DELIVERY: '1' }), wasm, 'wasm LIF with wasm delivery');
  });

  it('where every population has its own LIF constants, 3 workers on the wasm kernels give the JavaScript kernels\' spikes (each shard reads each population\'s own parameter block)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurochaos-distinct-'));
    try {
      const model = join(dir, 'distinct.json');
      writeFileSync(model, JSON.stringify(distinctPopulationsSpec()));
      const hash = (env: NodeJS.ProcessEnv) => {
        const r = spawnSync(process.execPath, [BIN, 'simulate', '--model', model, '--duration', '80', '--backend', 'workers', '--workers', '3', '--json'], { encoding: 'utf8', env: { ...process.env, ...env } });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { spikeHash: string; totalSpikes?: number };
        return out.spikeHash;
      };
      assert.equal(hash({}), hash({ NEUROCHAOS_WASM: '0' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
