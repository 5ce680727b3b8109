import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { withDefencesOff } from '../../src/engine/defence-variants.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { outputFs } from '../../src/io/output-fs.js';
import { validateRecording } from '../../src/record/read-recording.js';
import { tempDir } from '../helpers/temp-dir.js';

const base = {
  title: 'defences test',
  seed: 7,
  model: { name: 'cuba', scale: 0.5 },
  backend: 'cpu',
  defaults: { warmupMs: 50, baselineMs: 200, monitorIntervalMs: 20, holdMs: 40 },
};

const fullDisk = { id: 'full_disk', fault: { kind: 'disk-fault', full: true, latencyMs: 1 }, observationMs: 100, recoveryTimeoutMs: 200 };

async function run(raw: object, defencesOff = false) {
  const scenario = validateScenario(raw);
  const dir = tempDir('nc-def-');
  const j = await new ChaosEngine(defencesOff ? withDefencesOff(scenario) : scenario, { recordDir: dir }).run();
  return j.experiments[0];
}

describe('defences in experiments', () => {
  it('durable recording: a full disk for 100 ms loses nothing and duplicates nothing (the file is checked spike by spike)', async () => {
    const e = await run({ ...base, experiments: [fullDisk] });
    assert.equal(outputFs.faulted, false);
    assert.equal(e.defences.recording, 'durable');
    assert.equal(e.defences.spikesLost, 0);
    assert.equal(e.defences.spikesDuplicated, 0);
    assert.ok(e.recording!.writeErrors > 0, 'the disk really refused writes');
    assert.ok(e.recording!.maxBacklogBytes > 0, 'blocks waited in the backlog');
    assert.ok(e.recording!.valid);
    const v = validateRecording(e.recording!.path!);
    assert.ok(v.ok && v.spikes === e.recording!.spikesRecorded && v.spikes > 0);
    assert.equal(e.status, 'completed');
  });

  it('with defences off, the same full disk loses spikes, and the experiment says so as a critical finding', async () => {
    const e = await run({ ...base, experiments: [fullDisk] }, true);
    assert.equal(e.defences.recording, 'raw');
    assert.ok(e.defences.spikesLost > 0, JSON.stringify(e.defences));
    assert.equal(e.status, 'failed');
    assert.match(e.abortReason ?? '', /data loss/);
  });

  it('a backlog too small for the outage: data loss is announced by alerts and in the file, never silent', async () => {
    const e = await run({ ...base, defences: { recordingBacklogBytes: 3000 }, experiments: [fullDisk] });
    assert.ok(e.defences.spikesLost > 0);
    assert.equal(e.defences.spikesDuplicated, 0);
    const rules = new Set(e.alerts.map((a) => a.rule));
    assert.ok(rules.has('data-loss') && rules.has('recorder-backlog'), [...rules].join());
    assert.ok(e.recording!.gaps.some((g) => g.reason === 'declared-loss'));
    assert.equal(e.status, 'failed');
  });

  it('graceful degradation: with every allocation refused, the recording gives up group commit and keeps every spike', async () => {
    const e = await run({ ...base, experiments: [{ id: 'no_memory', fault: { kind: 'allocator-pressure', failureRate: 1 }, observationMs: 100, recoveryTimeoutMs: 200 }] });
    assert.ok(e.defences.allocationFailures > 0);
    assert.ok(e.degradations.some((d) => d.component === 'durable recording'), JSON.stringify(e.degradations));
    assert.equal(e.defences.degradations, e.degradations.length);
    assert.equal(e.defences.spikesLost, 0);
    assert.equal(e.status, 'completed');
  });
});
