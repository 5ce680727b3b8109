import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import h5wasm from 'h5wasm/node';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { DurableSpikeWriter } from '../../src/record/durable-spike-writer.js';
import { exportRecording } from '../../src/record/export-recording.js';
import { InputError } from '../../src/util/errors.js';
import { tinyNetwork } from '../conformance/networks.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('neurochaos-export-');
const network = tinyNetwork(100);

/** A real recording: 30 ms of the tiny network, 2 replicas, through the durable writer. */
async function recording(): Promise<{ path: string; pairs: Int32Array[] }> {
  const sim = new ReferenceBackend(network, { batch: 2 });
  const path = join(dir, 'run.spikes');
  const writer = DurableSpikeWriter.create({ path, fsync: 'none' }, network, 2, sim.seed, 0);
  writer.attach(sim.recorder);
  await sim.run({ durationMs: 30 });
  writer.close(sim.currentStep);
  const pairs = [0, 1].map((b) => sim.recorder.stores[b].toPairs());
  await sim.dispose();
  return { path, pairs };
}
const rec = await recording();
const total = rec.pairs.reduce((n, p) => n + p.length / 2, 0);

describe('export of spike recordings', () => {
  it('CSV: one row per spike, time in ms, replica, neuron, in time order', async () => {
    const r = await exportRecording(rec.path, { format: 'csv' });
    assert.equal(r.out, join(dir, 'run.csv'));
    const lines = readFileSync(r.out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'time_ms,replica,neuron');
    assert.equal(lines.length - 1, total);
    assert.equal(r.spikes, total);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i][0] > rows[i - 1][0] || (rows[i][0] === rows[i - 1][0] && (rows[i][1] > rows[i - 1][1] || (rows[i][1] === rows[i - 1][1] && rows[i][2] > rows[i - 1][2]))), `row ${i} in order`);
    // Replica 1's rows are its in-memory record, step x 0.1 ms.
    const expected = [];
    for (let k = 0; k < rec.pairs[1].length; k += 2) expected.push(`${Number.parseFloat((rec.pairs[1][k] * 0.1).toPrecision(12))},${rec.pairs[1][k + 1]}`);
    assert.deepEqual(rows.filter((r) => r[1] === 1).map((r) => `${r[0]},${r[2]}`), expected);
  });

  it('NWB: a Units table read back with h5wasm: spike_times in s, spike_times_index referencing it, one unit per (replica, neuron)', async () => {
    const out = join(dir, 'run.nwb');
    const r = await exportRecording(rec.path, { format: 'nwb', out });
    assert.equal(r.units, 200);
    await h5wasm.ready;
    const f = new h5wasm.File(out, 'r');
    try {
      assert.equal(f.attrs.neurodata_type.value, 'NWBFile');
      assert.equal(f.attrs.namespace.value, 'core');
      assert.match(String(f.attrs.nwb_version.value), /^2\./);
      for (const name of ['file_create_date', 'identifier', 'session_description', 'session_start_time', 'timestamps_reference_time', 'acquisition', 'analysis', 'processing', 'general', 'stimulus/presentation', 'stimulus/templates']) assert.ok(f.get(name), `has ${name}`);
      const units = f.get('units') as InstanceType<typeof h5wasm.Group>;
      assert.equal(units.attrs.neurodata_type.value, 'Units');
      assert.deepEqual(units.attrs.colnames.value, ['spike_times', 'replica', 'neuron']);
      const times = (units.get('spike_times') as InstanceType<typeof h5wasm.Dataset>).value as Float64Array;
      const index = (units.get('spike_times_index') as InstanceType<typeof h5wasm.Dataset>).value as Uint32Array;
      const ids = (units.get('id') as InstanceType<typeof h5wasm.Dataset>).value as Int32Array;
      assert.equal(ids.length, 200);
      assert.equal(index.length, 200);
      assert.equal(times.length, total);
      assert.equal(index[199], total);
      const indexDs = units.get('spike_times_index') as InstanceType<typeof h5wasm.Dataset>;
      assert.equal(indexDs.attrs.neurodata_type.value, 'VectorIndex');
      assert.deepEqual(indexDs.attrs.target.shape, [], 'target is a scalar object reference');
      // h5wasm reads a reference attribute as a one-element list.
      const ref = indexDs.attrs.target.value as unknown as unknown[];
      const target = f.dereference((Array.isArray(ref) ? ref[0] : ref) as never) as unknown as InstanceType<typeof h5wasm.Dataset>;
      assert.equal(target.path, '/units/spike_times', 'the index targets spike_times');
      // Unit 100 + j is neuron j of replica 1: its train is the record's, in seconds.
      const j = rec.pairs[1][1];
      const own: number[] = [];
      for (let k = 0; k < rec.pairs[1].length; k += 2) if (rec.pairs[1][k + 1] === j) own.push(rec.pairs[1][k] * 0.1 / 1000);
      const u = 100 + j;
      const got = Array.from(times.subarray(index[u - 1], index[u]));
      assert.equal(got.length, own.length);
      got.forEach((t, i) => assert.ok(Math.abs(t - own[i]) < 1e-12));
      assert.equal(((units.get('replica') as InstanceType<typeof h5wasm.Dataset>).value as Uint32Array)[u], 1);
      assert.equal(((units.get('neuron') as InstanceType<typeof h5wasm.Dataset>).value as Uint32Array)[u], j);
    } finally {
      f.close();
    }
  });

  it('refuses a missing file, a file that is no recording, and an unknown format, naming the field', async () => {
    await assert.rejects(exportRecording(join(dir, 'none.spikes'), { format: 'csv' }), (e: unknown) => e instanceof InputError && e.field === 'RECORDING');
    const junk = join(dir, 'junk.spikes');
    writeFileSync(junk, 'not a recording at all');
    await assert.rejects(exportRecording(junk, { format: 'csv' }), (e: unknown) => e instanceof InputError && e.field === 'RECORDING' && /bad magic/.test(e.message));
    await assert.rejects(exportRecording(rec.path, { format: 'hdf5' as never }), (e: unknown) => e instanceof InputError && e.field === 'format' && /csv, nwb/.test(e.message));
  });

  it('a corrupted block is exported around and counted once, as one gap', async () => {
    const bytes = readFileSync(rec.path);
    bytes[bytes.length - 5] ^= 0xff; // inside the last block's payload
    const damaged = join(dir, 'damaged.spikes');
    writeFileSync(damaged, bytes);
    const r = await exportRecording(damaged, { format: 'csv', out: join(dir, 'damaged.csv') });
    assert.equal(r.gaps, 1);
    assert.ok(r.spikes < total, 'the spikes of the corrupt block are not exported');
  });
});
