import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { SortedSpikes } from './export-recording.js';

/** The NWB schema version the file declares (NWB 2.x core; https://nwb-schema.readthedocs.io). */
export const NWB_VERSION = '2.7.0';

/**
 * Writes spikes as a minimal NWB 2.x file with h5wasm (HDF5 compiled to
 * WebAssembly): the required NWBFile datasets and groups, and a Units table
 * (a DynamicTable: `id`, `spike_times` in seconds, the ragged index
 * `spike_times_index`, and the columns `replica` and `neuron`), one unit per
 * (replica, neuron) in replica-major order, silent neurons included with an
 * empty spike train, so unit k is neuron k mod N of replica floor(k / N).
 * pynwb reads it with `NWBHDF5IO(path).read().units`.
 */
export async function writeSpikesNwb(out: string, s: SortedSpikes, source: string): Promise<void> {
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  rmSync(out, { force: true });
  const f = new h5.File(out, 'w');
  try {
    const typed = (g: { create_attribute(n: string, d: string): void }, type: string) => {
      g.create_attribute('namespace', 'core');
      g.create_attribute('neurodata_type', type);
      g.create_attribute('object_id', randomUUID());
    };
    typed(f, 'NWBFile');
    f.create_attribute('nwb_version', NWB_VERSION);
    const now = new Date().toISOString();
    // NWB keeps times relative to the session start; the simulation starts at 0, stated as the export time.
    f.create_dataset({ name: 'file_create_date', data: [now] });
    f.create_dataset({ name: 'identifier', data: randomUUID() });
    f.create_dataset({ name: 'session_description', data: `neurochaos spike recording ${basename(source)}: ${s.meta.neurons} neurons x ${s.meta.batch} replica(s), dt ${s.meta.dtMs} ms, seed ${s.meta.seed}` });
    f.create_dataset({ name: 'session_start_time', data: now });
    f.create_dataset({ name: 'timestamps_reference_time', data: now });
    for (const g of ['acquisition', 'analysis', 'processing', 'general', 'stimulus', 'stimulus/presentation', 'stimulus/templates']) f.create_group(g);

    const n = s.meta.neurons;
    const units = n * s.meta.batch;
    // Ragged column: spikes ordered by unit (replica, neuron), then time; index[k] = end of unit k's spikes.
    const unitOf = new Uint32Array(s.timesMs.length);
    const perUnit = new Uint32Array(units);
    for (let i = 0; i < unitOf.length; i++) perUnit[(unitOf[i] = s.replicas[i] * n + s.neurons[i])]++;
    const index = new Uint32Array(units);
    let end = 0;
    for (let k = 0; k < units; k++) index[k] = end += perUnit[k];
    const fill = new Uint32Array(units);
    const times = new Float64Array(s.timesMs.length);
    // Spikes come in time order, so each unit's train stays in time order.
    for (let i = 0; i < unitOf.length; i++) {
      const k = unitOf[i];
      times[index[k] - perUnit[k] + fill[k]++] = s.timesMs[i] / 1000;
    }

    const u = f.create_group('units');
    typed(u, 'Units');
    u.create_attribute('description', 'spikes of every simulated neuron, one unit per (replica, neuron)');
    u.create_attribute('colnames', ['spike_times', 'replica', 'neuron']);
    const ids = u.create_dataset({ name: 'id', data: Int32Array.from({ length: units }, (_, k) => k) });
    typed(ids, 'ElementIdentifiers');
    const st = u.create_dataset({ name: 'spike_times', data: times });
    typed(st, 'VectorData');
    st.create_attribute('description', 'spike times, seconds from the start of the simulation (step x dt)');
    st.create_attribute('resolution', s.meta.dtMs / 1000);
    const sti = u.create_dataset({ name: 'spike_times_index', data: index });
    typed(sti, 'VectorIndex');
    sti.create_attribute('description', 'index into spike_times: unit k spans [index[k-1], index[k])');
    sti.create_attribute('target', st.create_reference(), []);
    const rep = u.create_dataset({ name: 'replica', data: Uint32Array.from({ length: units }, (_, k) => Math.floor(k / n)) });
    typed(rep, 'VectorData');
    rep.create_attribute('description', 'replica of the batch the unit belongs to');
    const neu = u.create_dataset({ name: 'neuron', data: Uint32Array.from({ length: units }, (_, k) => k % n) });
    typed(neu, 'VectorData');
    neu.create_attribute('description', 'global neuron index in the network (populations are contiguous ranges)');
  } finally {
    f.close();
  }
}
