import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulationBackend } from '../../../src/backends/backend.js';
import { BASE, runCounted } from './rig.js';

type InjectOutput = { controls: { mode: string; trials: number; run: string | null; treated: number[]; controls: number[]; identicalBeforeInjection: boolean | null } };
const injectOutput = (r: { steps: { name: string; output?: unknown }[] }) => r.steps.find((s) => s.name === 'inject')!.output as InjectOutput;

/** Raises every membrane of `replica` by 5 mV: enough to change its spikes from there on. */
function nudge(backend: SimulationBackend, replica: number) {
  const v = backend.buffer('membraneMv') as Float32Array;
  const n = backend.network.neuronCount;
  for (let i = replica * n; i < (replica + 1) * n; i++) v[i] += 5;
}

/** Nudges a replica once, at the first progress report of the baseline. */
function nudgeInBaseline(pick: (b: { treated: SimulationBackend; control?: SimulationBackend }) => [SimulationBackend, number]) {
  let done = false;
  return (backends: { treated: SimulationBackend; control?: SimulationBackend }, _d: number, _t: number, phase: string) => {
    if (done || phase !== 'baseline') return;
    done = true;
    nudge(...pick(backends));
  };
}

const storm = { kind: 'spike-storm', target: { percent: 50 }, rateHz: 10000, train: 'regular', amplitudePa: 300, durationMs: 100 };
const cut = { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['E', 'I'] }, mode: 'drop', durationMs: 40 };

describe('paired controls in an experiment', () => {
  it('a per-replica fault: control and treated in one batch, bit-identical until injection; the judge compares them over the fault', async () => {
    const { record, chaos } = await runCounted({ ...BASE, judge: { trials: 2 }, experiments: [{ id: 'storm', fault: storm, observationMs: 120, recoveryTimeoutMs: 60 }] });
    assert.deepEqual(injectOutput(record).controls, { mode: 'paired', trials: 2, run: 'same-batch', treated: [2, 3], controls: [0, 1], identicalBeforeInjection: true });
    assert.deepEqual(chaos.injected[0].targets.replicas, [2, 3], 'the storm hit the treated replicas only');
    assert.equal(record.judge!.controls, 'replicas');
    assert.deepEqual(record.comparison!.controls, [0, 1]);
    const rate = record.judge!.probes.find((p) => p.id === 'rate.E' && p.when === 'during')!;
    assert.equal(rate.outcome, 'fail', JSON.stringify({ ...rate, controlValues: undefined, treatedValues: undefined }));
    assert.ok(rate.effect! > 0.1, `the storm raised E against its paired control (${rate.effect})`);
  });

  it('a fault on what replicas share: the controls run as their own backend in lockstep, bit-identical until injection', async () => {
    let controlStep = -1;
    let treatedStep = -1;
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'cut', fault: cut, observationMs: 60, recoveryTimeoutMs: 60 }] }, {
      onProgress: (b) => {
        treatedStep = b.treated.currentStep;
        controlStep = b.control!.currentStep;
      },
    });
    assert.deepEqual(injectOutput(record).controls, { mode: 'paired', trials: 1, run: 'separate-run', treated: [0], controls: [0], identicalBeforeInjection: true });
    assert.equal(controlStep, treatedStep, 'the control kept pace with the treated run');
    assert.equal(record.status === 'completed' || record.status === 'failed', true, record.abortReason);
    assert.equal(record.judge!.controls, 'replicas');
    assert.ok(record.judge!.probes.find((p) => p.id === 'rate.E' && p.when === 'during')!.controlWindows > 0, 'the control windows come from the control run');
    assert.notEqual(record.abortReason?.startsWith('internal error'), true, record.abortReason);
  });

  it('baseline controls: no control replica, nothing to compare before injection', async () => {
    const { record } = await runCounted({ ...BASE, judge: { controls: 'baseline' }, experiments: [{ id: 'storm', fault: storm, observationMs: 60, recoveryTimeoutMs: 60 }] });
    assert.deepEqual(injectOutput(record).controls, { mode: 'baseline', trials: 1, run: null, treated: [0], controls: [], identicalBeforeInjection: null });
    assert.equal(record.judge!.controls, 'baseline');
  });
});

describe('paired controls that differ before injection are an internal error, never a silent pass', () => {
  it('same batch: a control replica nudged in the baseline fails the experiment naming the pair; nothing is injected', async () => {
    const { record, chaos } = await runCounted({ ...BASE, experiments: [{ id: 'storm', fault: storm, observationMs: 60, recoveryTimeoutMs: 60 }] }, { onProgress: nudgeInBaseline((b) => [b.treated, 0]) });
    assert.equal(record.status, 'failed');
    assert.match(record.abortReason!, /^internal error: paired control 0 and treated replica 1 \(trial 0\) differ before injection at step 1200: /);
    assert.equal(chaos.injected.length, 0);
    assert.equal(record.fault.injectedAtMs, null);
    assert.equal(record.verdict.outcome, 'fail');
    assert.equal(record.steps.find((s) => s.name === 'inject')!.status, 'failed');
  });

  it('separate run: a nudged control backend fails the experiment the same way', async () => {
    const { record, chaos } = await runCounted({ ...BASE, experiments: [{ id: 'cut', fault: cut, observationMs: 60, recoveryTimeoutMs: 60 }] }, { onProgress: nudgeInBaseline((b) => [b.control!, 0]) });
    assert.equal(record.status, 'failed');
    assert.match(record.abortReason!, /^internal error: paired control 0 and treated replica 0 \(trial 0\) differ before injection/);
    assert.equal(chaos.injected.length, 0);
  });
});
