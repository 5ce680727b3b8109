import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardKernel, setupGuards } from '../../src/backends/guards.js';
import { planKernels } from '../../src/backends/kernel-plan.js';
import { warmCpuKernels } from '../../src/backends/warm-kernels.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { chaosNet } from '../chaos/helpers.js';

describe('warmCpuKernels', () => {
  it('leaves the plan and the guard counters as they were', () => {
    const plan = planKernels(chaosNet);
    plan.populations[0].fusedScratch.key = 777;
    const before = structuredClone(plan);
    const guard = guardKernel(setupGuards(chaosNet, { enabled: true }, 1), 0)!;
    warmCpuKernels(plan, guard);
    warmCpuKernels(plan, null);
    assert.deepEqual(plan, before);
    assert.deepEqual([...guard.counters], [0, 0]);
  });

  it('changes no result: a backend built after another ran gives the same spikes', () => {
    const first = new ReferenceBackend(chaosNet, { guards: { enabled: true } });
    first.advance(300);
    const second = new ReferenceBackend(chaosNet, { guards: { enabled: true } });
    second.advance(300);
    assert.equal(first.recorder.spikeHash(), second.recorder.spikeHash());
    assert.equal(second.metrics().nonFiniteContained + second.metrics().inputsCapped, 0, 'the scratch anomalies are not counted');
  });
});
