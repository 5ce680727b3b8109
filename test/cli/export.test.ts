import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { DurableSpikeWriter } from '../../src/record/durable-spike-writer.js';
import { tinyNetwork } from '../conformance/networks.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';

const dir = tempDir('neurochaos-cli-export-');
const network = tinyNetwork(100);
const path = join(dir, 'run.spikes');
const sim = new ReferenceBackend(network);
const writer = DurableSpikeWriter.create({ path, fsync: 'none' }, network, 1, sim.seed, 0);
writer.attach(sim.recorder);
await sim.run(200);
writer.close(sim.currentStep);
const spikes = sim.recorder.totalSpikes;
await sim.dispose();

describe('neurochaos export', () => {
  it('writes CSV by default next to the recording, and NWB with --format nwb --out', async () => {
    const csv = await runMain(['export', path]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(readFileSync(join(dir, 'run.csv'), 'utf8').trim().split('\n').length, spikes + 1);
    const out = join(dir, 'x.nwb');
    const nwb = await runMain(['export', path, '--format', 'nwb', '--out', out, '--json']);
    assert.equal(nwb.code, 0, nwb.stderr);
    assert.deepEqual(JSON.parse(nwb.stdout), { out, format: 'nwb', spikes, units: 100, gaps: 0 });
    assert.ok(existsSync(out));
  });

  it('exits 2 naming the argument or flag on bad input', async () => {
    const missing = await runMain(['export', join(dir, 'none.spikes')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /RECORDING: .*does not exist/);
    const format = await runMain(['export', path, '--format', 'xls']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format/);
    assert.equal((await runMain(['export'])).code, 2);
  });

  it('refuses to write over the recording itself, or into a folder that does not exist (exit 2, --out named)', async () => {
    const before = readFileSync(path);
    const self = await runMain(['export', path, '--out', path]);
    assert.equal(self.code, 2);
    assert.match(self.stderr, /--out: .*is the recording itself/);
    assert.deepEqual(readFileSync(path), before, 'the recording is untouched');
    const nofolder = await runMain(['export', path, '--out', join(dir, 'no', 'such', 'x.csv')]);
    assert.equal(nofolder.code, 2);
    assert.match(nofolder.stderr, /--out: cannot write .*does not exist/);
  });
});
