import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hypothesisSchema, resolveProbes } from '../../src/engine/probe-schema.js';
import { pooledCvIsi } from '../../src/engine/judge/cv-isi.js';
import { StreamRng } from '../../src/util/rng.js';

describe('probe schema', () => {
  it('fills defaults: when before/during/after, the judge tolerance (spike-distance: 0.5 and tau 10 ms); a single when becomes a list', () => {
    const [rate, sd, wall] = resolveProbes(hypothesisSchema.parse({ probes: [{ id: 'r', metric: 'rate', population: 'E' }, { id: 's', metric: 'spike-distance', when: 'during' }, { id: 't', metric: 'throughput', when: ['after', 'after'] }] }).probes, ['E', 'I'], 0.1, 'hypothesis.probes');
    assert.deepEqual(rate, { id: 'r', metric: 'rate', population: 'E', tolerance: 0.1, when: ['before', 'during', 'after'], declared: true });
    assert.deepEqual(sd, { id: 's', metric: 'spike-distance', tolerance: 0.5, when: ['during'], tauMs: 10, declared: true });
    assert.deepEqual(wall.when, ['after']);
  });

  it('a bad when names the allowed values, and in a list the element that is not one of them', () => {
    const message = (when: unknown) => {
      const r = hypothesisSchema.safeParse({ probes: [{ id: 'r', metric: 'rate', when }] });
      assert.ok(!r.success);
      return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    assert.equal(message('sometimes'), 'probes.0.when: must be one of before, during, after, continuous, or a list of 1-4 of them');
    assert.equal(message(['during', 'sometimes']), 'probes.0.when: must be one of before, during, after, continuous, or a list of 1-4 of them; element [1] is not one of them');
    assert.equal(message([]), 'probes.0.when: must be one of before, during, after, continuous, or a list of 1-4 of them');
    assert.equal(message(['before', 'during', 'after', 'continuous', 'after']), 'probes.0.when: must be one of before, during, after, continuous, or a list of 1-4 of them');
  });

  it('a hypothesis of wall-clock probes only keeps the default probes; one simulated probe replaces them', () => {
    const ids = (probes: unknown) => resolveProbes(hypothesisSchema.parse({ probes }).probes, ['E', 'I'], 0.1, 'p').map((p) => p.id);
    assert.deepEqual(ids([{ id: 'tp', metric: 'throughput', when: 'after' }]), ['rate.E', 'rate.I', 'active-fraction.E', 'active-fraction.I', 'synchrony', 'non-finite', 'tp']);
    assert.deepEqual(ids([{ id: 'tp', metric: 'throughput' }, { id: 'x', metric: 'rate' }]), ['tp', 'x']);
    assert.throws(() => hypothesisSchema.parse({ probes: [] }), /at least one probe/);
  });

  it('cv-isi per window: 0 for clock-like firing, about 1 for Poisson-like firing; a window with fewer than 2 intervals is NaN', () => {
    const pops = [{ name: 'A', index: 0, start: 0, size: 2 }];
    const regular: number[] = [];
    for (let s = 0; s < 1000; s += 10) regular.push(s, 0, s + 3, 1);
    assert.deepEqual(pooledCvIsi([Int32Array.from(regular)], pops, 0, 500, 2).map((x) => +x.toFixed(6)), [0, 0]);
    const rng = new StreamRng('cv');
    const u = () => rng.uniform();
    const poisson: number[] = [];
    for (let s = 0; s < 200000; s++) if (u() < 0.01) poisson.push(s, 0);
    const [cv] = pooledCvIsi([Int32Array.from(poisson)], pops, 0, 200000, 1);
    assert.ok(Math.abs(cv - 1) < 0.1, `${cv}`);
    assert.ok(Number.isNaN(pooledCvIsi([Int32Array.from([5, 0, 600, 0])], pops, 0, 500, 2)[0]));
  });
});
