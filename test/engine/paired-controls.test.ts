import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_BATCH } from '../../src/config/settings.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { loadScenario, validateScenario } from '../../src/engine/load-scenario.js';
import { pairedLayout, scenarioNotices, trialsOf } from '../../src/engine/paired-controls.js';
import { InputError } from '../../src/util/errors.js';
import { TINY_MODEL } from '../cli/scenario-fixtures.js';

const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const storm = { kind: 'spike-storm', rateHz: 100, amplitudePa: 20 };
const partition = { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, mode: 'drop' };
const scenario = (extra: object = {}, fault: object = storm) => validateScenario({ title: 't', model: { name: TINY_MODEL }, experiments: [{ id: 'x', fault, observationMs: 10, recoveryTimeoutMs: 10 }], ...extra });
const fieldIs = (field: RegExp | string, message?: RegExp) => (e: unknown) => e instanceof InputError && (typeof field === 'string' ? e.field === field : field.test(e.field)) && (!message || message.test(e.message));

describe('paired controls: the replica layout', () => {
  it('a per-replica fault: control k and treated k share a batch and noise stream k; the fault targets the treated half', () => {
    const s = scenario({ judge: { trials: 3 } });
    assert.equal(s.judge.controls, 'paired', 'paired by default');
    assert.deepEqual(pairedLayout(s, s.experiments[0]), { mode: 'paired', trials: 3, controlRun: 'same-batch', batch: 6, noiseStreams: [0, 1, 2, 0, 1, 2], treated: [3, 4, 5], controls: [0, 1, 2], controlBatch: null });
    const plan = new ChaosEngine(s).plan();
    assert.deepEqual((plan[0].fault as { target: { replicas: number[] } }).target.replicas, [3, 4, 5]);
  });

  it('a fault on what replicas share: the controls run as a backend of their own with the same streams', () => {
    const s = scenario({ judge: { trials: 2 } }, partition);
    assert.deepEqual(pairedLayout(s, s.experiments[0]), { mode: 'paired', trials: 2, controlRun: 'separate-run', batch: 2, noiseStreams: [0, 1], treated: [0, 1], controls: [0, 1], controlBatch: 2 });
  });

  it('baseline controls: the trials are treated replicas judged against their own baseline', () => {
    const s = scenario({ judge: { controls: 'baseline', trials: 2 } });
    assert.deepEqual(pairedLayout(s, s.experiments[0]), { mode: 'baseline', trials: 2, controlRun: null, batch: 2, noiseStreams: [0, 1], treated: [0, 1], controls: [], controlBatch: null });
  });

  it("an experiment's own judge block overrides the scenario's", () => {
    const s = validateScenario({ title: 't', model: { name: TINY_MODEL }, judge: { trials: 1 }, experiments: [{ id: 'x', fault: storm, observationMs: 10, recoveryTimeoutMs: 10, judge: { trials: 4 } }, { id: 'y', fault: storm, observationMs: 10, recoveryTimeoutMs: 10, judge: { controls: 'baseline' } }] });
    assert.equal(pairedLayout(s, s.experiments[0]).batch, 8);
    assert.equal(pairedLayout(s, s.experiments[1]).mode, 'baseline');
    assert.equal(pairedLayout(s, s.experiments[1]).batch, 1);
  });

  it('more paired trials of a per-replica fault than the batch holds: exit 2 naming judge.trials', () => {
    const half = Math.floor(MAX_BATCH / 2);
    assert.throws(() => new ChaosEngine(scenario({ judge: { trials: half + 1 } })).plan(), fieldIs('judge.trials', new RegExp(`at most ${half}`)));
    assert.throws(() => new ChaosEngine(validateScenario({ title: 't', model: { name: TINY_MODEL }, experiments: [{ id: 'x', fault: storm, observationMs: 10, recoveryTimeoutMs: 10, judge: { trials: half + 1 } }] })).plan(), fieldIs('experiments[0].judge.trials'));
    assert.equal(pairedLayout(scenario({ judge: { trials: half + 1 } }, partition), { fault: partition }).batch, half + 1, 'a shared fault needs only the trials in each backend');
  });

  it('a scenario choosing the replicas of a per-replica fault is refused with paired controls (it could hit a control)', () => {
    const s = scenario({}, { ...storm, target: { replicas: [0] } });
    assert.throws(() => new ChaosEngine(s).plan(), fieldIs('experiments[0].fault.target.replicas', /judge\.controls: baseline/));
    assert.doesNotThrow(() => new ChaosEngine(scenario({ judge: { controls: 'baseline' } }, { ...storm, target: { replicas: [0] } })).plan());
  });
});

describe('paired controls: older scenario fields', () => {
  it('the top-level controls count changed meaning: refused (exit 2) naming judge.controls and judge.trials', () => {
    assert.throws(() => scenario({ batch: 4, controls: 2 }), fieldIs('scenario.controls', /judge\.controls \(paired \| baseline\) and judge\.trials/));
    assert.throws(() => scenario({ controls: 0 }), fieldIs('scenario.controls'));
  });

  it('batch still loads, read as judge.trials (floor(batch / 2) pairs), with a deprecation notice; beside judge.trials it is refused', () => {
    const s = scenario({ batch: 4 });
    assert.equal(trialsOf(s), 2);
    assert.equal(pairedLayout(s, s.experiments[0]).batch, 4, 'the same four replicas, two of them controls, as before');
    const [notice] = scenarioNotices(s);
    assert.match(notice, /^batch is deprecated .*batch: 4 is read as judge\.trials: 2 .*write judge\.trials instead$/);
    assert.equal(trialsOf(scenario({ batch: 1 })), 1);
    assert.equal(trialsOf(scenario({ batch: 3, judge: { controls: 'baseline' } })), 3, 'baseline: every replica treated, as controls: 0 gave');
    assert.deepEqual(scenarioNotices(scenario()), []);
    assert.throws(() => scenario({ batch: 2, judge: { trials: 1 } }), fieldIs('scenario.batch', /judge\.trials/));
  });

  it('every shipped scenario still loads and plans', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const s = loadScenario(join(SCENARIOS, f));
      assert.equal(new ChaosEngine(s).plan().length, s.experiments.length, f);
    }
  });
});
