import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpointFile } from '../../src/backends/checkpoint-file.js';
import { createBackend } from '../../src/backends/create-backend.js';
import { runMain } from '../cli/in-process.js';
import { buildNetwork } from '../../src/model/builder.js';
import { simulate } from '../../src/simulate.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('checkpoints carry their precision', () => {
  it('a checkpoint restores only into a backend of the precision it was taken in (cpu and workers); an older one without the field is float64', async () => {
    const net = buildNetwork(smallNetworkSpec(200), { seed: 3, dtMs: 0.1 });
    for (const backend of ['cpu', 'workers']) {
      const opts = { backend, workers: backend === 'workers' ? 2 : 1, seed: 3 };
      const { backend: f32 } = createBackend(net, { ...opts, precision: 'float32' });
      const { backend: f64 } = createBackend(net, opts);
      try {
        await f32.run(30);
        const cp = f32.checkpoint();
        assert.equal(cp.precision, 'float32');
        assert.throws(() => f64.restore(cp), (e) => e instanceof InputError && e.field === 'precision' && /taken in float32/.test(e.message) && /is float64/.test(e.message));
        const { precision: _p, ...older } = cp;
        f64.restore(older); // written before the field: float64
        assert.equal(f64.currentStep, 30);
        assert.throws(() => f32.restore(older), (e) => e instanceof InputError && e.field === 'precision' && /taken in float64/.test(e.message));
        f32.restore(cp);
      } finally {
        await f32.dispose();
        await f64.dispose();
      }
    }
  });

  it('simulate: a float32 checkpoint file resumed without --precision exits 2 naming --precision; with it, the run goes on as a straight float32 run', async () => {
    const dir = tempDir('neurochaos-checkpoint-precision-');
    const cp = join(dir, 'cp.chk');
    const common = { model: 'cuba', scale: 0.1, backend: 'cpu', seed: 1 } as const;
    const straight = await simulate({ ...common, durationMs: 60, precision: 'float32' });
    await simulate({ ...common, durationMs: 30, precision: 'float32', saveCheckpoint: cp });
    assert.equal(readCheckpointFile(cp).precision, 'float32', 'the file keeps it');
    const refused = await runMain(['simulate', '--model', 'cuba', '--scale', '0.1', '--backend', 'cpu', '--seed', '1', '--duration', '30', '--restore', cp]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--precision: is float64, but the checkpoint was taken in float32/);
    const resumed = await simulate({ ...common, durationMs: 30, precision: 'float32', restoreFrom: cp });
    assert.equal(resumed.spikeHash, straight.spikeHash);
  });
});
