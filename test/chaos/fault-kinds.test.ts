import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { capabilitiesOf, FAULT_KIND_REGISTRY, FAULT_KINDS, faultKind, kindsActingOn, kindsEndingBy, kindsRequiring, PER_REPLICA_KINDS, SCHEDULED_STOP_KINDS } from '../../src/chaos/fault-kinds.js';
import { faultSpecSchema, validateFaultSpec } from '../../src/chaos/fault-spec.js';
import { planTargets } from '../../src/engine/plan-targets.js';
import { buildResilienceReport } from '../../src/engine/resilience-report.js';
import type { ExperimentRecord } from '../../src/engine/journal.js';
import { faultOfKind, faultSpecArbitrary, fuzzableKinds } from '../../src/fuzz/fault-arbitraries.js';
import { noProjectionNetwork, tinyNetwork } from '../fixtures/models.js';

const net = tinyNetwork();
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('fault-kind registry', () => {
  it('lists every kind once, in the order the tool always showed them', () => {
    assert.deepEqual(FAULT_KINDS, ['spike-storm', 'weight-corruption', 'neuron-fault', 'allocator-pressure', 'worker-crash', 'worker-stall', 'partition', 'cpu-stress', 'disk-fault', 'cascading-failure', 'null-perturbation']);
    assert.equal(new Set(FAULT_KINDS).size, FAULT_KINDS.length);
  });

  it('every descriptor is complete: a strict schema whose kind is its own, a summary, planning, a fuzz arbitrary, report text', () => {
    for (const d of FAULT_KIND_REGISTRY) {
      assert.ok(d.schema instanceof z.ZodObject, d.kind);
      assert.equal((d.schema.shape.kind as z.ZodLiteral<string>).value, d.kind);
      assert.equal(d.schema._def.unknownKeys, 'strict', `${d.kind}: unknown fields are refused`);
      assert.ok(d.report.summary.length > 20, `${d.kind} has a summary`);
      for (const f of d.timeScaled) assert.ok(f in d.schema.shape, `${d.kind}: time-scaled field ${f} is in its schema`);
      for (const m of ['requiresFor', 'fromScenario', 'emptyScope', 'planTargets', 'inject', 'fuzzable', 'arbitrary'] as const) assert.equal(typeof d[m], 'function', `${d.kind}.${m}`);
      assert.equal(faultKind(d.kind), d);
    }
    assert.equal(faultKind('meteor'), undefined);
  });

  it('the fault spec schema is the union of the registry schemas, in registry order', () => {
    assert.deepEqual(faultSpecSchema.options.map((o) => (o.shape.kind as z.ZodLiteral<string>).value), [...FAULT_KINDS]);
    assert.throws(() => validateFaultSpec({ kind: 'spike-strom' }), (e: Error) => e.message.includes(`must be one of ${FAULT_KINDS.join(', ')}`));
  });

  it('derived lists equal the ones the code used to copy', () => {
    assert.deepEqual(sorted(PER_REPLICA_KINDS), ['neuron-fault', 'null-perturbation', 'spike-storm']);
    assert.deepEqual(sorted(SCHEDULED_STOP_KINDS), ['allocator-pressure', 'disk-fault', 'neuron-fault', 'null-perturbation', 'weight-corruption']);
    assert.deepEqual(sorted(kindsEndingBy('wall-clock')), ['cpu-stress', 'worker-stall']);
    // The fuzz lists: worker kinds, weight kinds of the chaos rig, buffer kinds, kinds injectable whatever the values.
    assert.deepEqual(sorted(kindsRequiring('shard-supervision')), ['worker-crash', 'worker-stall']);
    assert.deepEqual(sorted(kindsActingOn('weights')), ['cascading-failure', 'weight-corruption']);
    assert.deepEqual([...kindsActingOn('input', 'neuron-state', 'weights', 'delivery')], ['spike-storm', 'weight-corruption', 'neuron-fault', 'partition', 'cascading-failure', 'null-perturbation']);
    const injectable = FAULT_KINDS.filter((k) => !kindsActingOn('host-cpu', 'allocator').has(k) && !kindsRequiring('shard-supervision').has(k));
    assert.deepEqual(sorted(injectable), ['cascading-failure', 'disk-fault', 'neuron-fault', 'null-perturbation', 'partition', 'spike-storm', 'weight-corruption']);
    assert.deepEqual(fuzzableKinds(), FAULT_KINDS.filter((k) => k !== 'worker-crash' && k !== 'worker-stall'));
    assert.deepEqual(fuzzableKinds({ workers: 2 }), [...FAULT_KINDS]);
    // Fields --time-scale multiplies: the old list (durationMs, propagationDelayMs, afterMs) where the schema has them.
    for (const d of FAULT_KIND_REGISTRY) assert.deepEqual(sorted(d.timeScaled), sorted(['durationMs', 'propagationDelayMs', 'afterMs'].filter((f) => f in d.schema.shape)), d.kind);
  });

  it('capabilities: worker kinds need shard supervision; a cascade needs what its initial failure needs; shard partitions need shards', () => {
    assert.deepEqual(capabilitiesOf({ kind: 'worker-crash' }), ['shard-supervision']);
    assert.deepEqual(capabilitiesOf({ kind: 'cascading-failure', initial: { kind: 'worker-crash' }, propagationDelayMs: 5 }), ['shard-supervision']);
    assert.deepEqual(capabilitiesOf({ kind: 'cascading-failure', initial: { kind: 'partition', population: 'E' }, propagationDelayMs: 5 }), ['partitioned-delivery']);
    assert.deepEqual(capabilitiesOf({ kind: 'partition', from: { shards: [0] }, to: { rest: true } }), ['partitioned-delivery', 'shards']);
    assert.deepEqual(capabilitiesOf({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] } }), ['partitioned-delivery']);
    assert.deepEqual(capabilitiesOf({ kind: 'cpu-stress' }), []);
  });

  it('the resilience report gives no advice from a fault kind alone: without a finding, no kind gets a recommendation (recovered or not)', () => {
    // Before issue 16 each kind had fixed advice (e.g. "Record spikes durably" after every disk fault); advice now comes from findings (test/engine/recommendations.test.ts).
    const record = (kind: string, recovered: boolean) =>
      ({ id: 'e', fault: { kind, spec: { kind } }, status: recovered ? 'completed' : 'failed', samples: [], scores: { health: 1, performance: null, integrity: 1, recovery: recovered ? 1 : 0, overall: 1 }, recovery: { recovered, simMs: recovered ? 10 : null, wallMs: null, slaMet: recovered }, durations: { recoveryTimeoutMs: 100, slaMs: 1000 } }) as unknown as ExperimentRecord;
    for (const kind of FAULT_KINDS) {
      if (kind === 'spike-storm') continue; // a storm the column never recovered from is itself a finding (the saturation-guard rule)
      assert.deepEqual(buildResilienceReport([record(kind, true)]).recommendations, [], `${kind} recovered`);
      assert.deepEqual(buildResilienceReport([record(kind, false)]).recommendations, [], `${kind} not recovered`);
    }
    assert.deepEqual(buildResilienceReport([record('spike-storm', true)]).recommendations, []);
  });

  it('every kind plans its targets explicitly (no silent default) and its arbitrary draws specs that validate and act on the network', () => {
    for (const kind of FAULT_KINDS) {
      const specs = fc.sample(faultOfKind(net, kind, { workers: 2, batch: 2 }), { seed: 5, numRuns: 30 });
      for (const raw of specs) {
        const spec = validateFaultSpec(raw);
        const t = planTargets(spec, 'x', net, 2, 2, 1);
        if (typeof t === 'string') assert.doesNotMatch(t, /^resolved at injection$/, kind);
        else assert.ok(Object.keys(t).length > 0, `${kind}: ${JSON.stringify(t)}`);
      }
    }
  });

  it('kinds that need synapses are left out of the fuzz draws on a network without them, and asked for by name fail with the reason', () => {
    const bare = noProjectionNetwork();
    const drawn = new Set(fc.sample(faultSpecArbitrary(bare), { seed: 3, numRuns: 200 }).map((s) => s.kind));
    assert.ok(!drawn.has('weight-corruption') && !drawn.has('partition'), [...drawn].join());
    assert.throws(() => faultOfKind(bare, 'weight-corruption'), /no synapses to corrupt/);
    assert.throws(() => faultOfKind(bare, 'partition'), /no synapses to cut/);
  });
});
