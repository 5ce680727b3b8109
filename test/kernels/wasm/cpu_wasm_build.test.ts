import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CPU_WASM_URL, cpuWasmModule } from '../../../kernels/wasm/cpu_wasm.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('kernels/wasm/cpu_kernels.wasm', () => {
  it('is what `npm run build:wasm` builds from assembly/ (the committed binary is reproducible)', () => {
    const script = pkg.scripts['build:wasm'];
    assert.match(script, /^asc assembly\/cpu_kernels\.ts -o kernels\/wasm\/cpu_kernels\.wasm /);
    const dir = mkdtempSync(join(tmpdir(), 'neurochaos-wasm-'));
    try {
      const out = join(dir, 'cpu_kernels.wasm');
      // The script's own arguments, with the output redirected.
      const args = script.replace(/^asc /, '').replace('kernels/wasm/cpu_kernels.wasm', out).split(/\s+/);
      const asc = createRequire(import.meta.url).resolve('assemblyscript/bin/asc.js');
      execFileSync(process.execPath, [asc, ...args], { cwd: root, stdio: 'pipe' });
      assert.ok(readFileSync(out).equals(readFileSync(CPU_WASM_URL)), 'a fresh build differs from the committed kernels/wasm/cpu_kernels.wasm: run npm run build:wasm and commit it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads, with the kernels the cpu backend calls', () => {
    const module = cpuWasmModule();
    assert.ok(module, 'Node 20 runs wasm SIMD');
    const names = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    assert.deepEqual(names, ['deliverSlices', 'deliverSpikes', 'inputsWithin', 'lifGuarded', 'lifGuardedF32', 'lifGuardedInputs', 'lifGuardedInputsF32', 'lifPlain', 'lifPlainF32', 'memory', 'poissonDrive', 'stateBounded', 'stoppedAt']);
    assert.deepEqual(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`), ['env.memory:memory']);
  });
});
