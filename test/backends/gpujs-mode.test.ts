import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseGpujsMode } from '../../src/backends/gpujs/gpujs-mode.js';
import { createBackend } from '../../src/backends/create-backend.js';
import { GpujsBackend } from '../../src/backends/gpujs/gpujs-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';

describe('gpujs mode selection', () => {
  it('picks a working mode, says why each better one was not used, and never throws in auto mode', async () => {
    const choice = await chooseGpujsMode();
    try {
      const last = choice.probes[choice.probes.length - 1];
      assert.equal(last.mode, choice.mode);
      assert.equal(last.usable, true);
      for (const p of choice.probes.slice(0, -1)) {
        assert.equal(p.usable, false);
        assert.ok(p.reason.length > 10, `${p.mode}: ${p.reason}`);
      }
      assert.deepEqual(choice.probes.map((p) => p.mode), ['webgpu', 'headlessgl', 'cpu'].slice(0, choice.probes.length));
    } finally {
      choice.gpu.destroy();
    }
  });

  it('a required mode that does not work fails with the reason; cpu always works', async () => {
    const cpu = await chooseGpujsMode('cpu');
    assert.equal(cpu.mode, 'cpu');
    cpu.gpu.destroy();
    const auto = await chooseGpujsMode();
    auto.gpu.destroy();
    if (auto.mode === 'cpu') {
      await assert.rejects(chooseGpujsMode('webgpu'), /gpujs mode webgpu is not usable here: .+/);
      await assert.rejects(chooseGpujsMode('headlessgl'), /gpujs mode headlessgl is not usable here: .+/);
    }
  });

  it('createBackend builds it by name, reports the mode after ready(), and checks its options', async () => {
    const net = buildNetwork(smallNetworkSpec(100), { seed: 1 });
    const { backend, workers } = createBackend(net, { backend: 'gpujs', gpujsMode: 'cpu' });
    assert.ok(backend instanceof GpujsBackend);
    assert.equal(workers, 1);
    assert.equal(backend.mode, null);
    assert.equal(await backend.ready(), 'cpu');
    await backend.dispose();
    assert.throws(() => createBackend(net, { backend: 'gpujs', workers: 2 }), (e: unknown) => e instanceof InputError && e.field === 'workers');
    assert.throws(() => createBackend(net, { backend: 'gpujs', gpujsMode: 'webgl' as 'cpu' }), (e: unknown) => e instanceof InputError && e.field === 'gpujsMode' && /webgpu, headlessgl, cpu/.test(e.message));
  });
});
