import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import type { ActiveFault } from '../../src/chaos/fault.js';
import { FIRING_KICK_MV } from '../../src/chaos/kinds/null-perturbation.js';
import { planTargets } from '../../src/engine/plan-targets.js';
import { Allocator } from '../../src/memory/allocator.js';
import { InputError } from '../../src/util/errors.js';
import { tinyNetwork } from '../fixtures/models.js';

const net = tinyNetwork();

/** Runs 20 steps, injects `spec` (null: none), runs `steps` more; the spike pairs of each replica and the fault's verify while active and after stop. */
async function run(spec: Record<string, unknown> | null, steps = 300) {
  const allocator = new Allocator(2 ** 30);
  // Both replicas draw the same drive (one noise stream): replica 1 is replica 0's paired twin.
  const sim = new ReferenceBackend(net, { allocator, batch: 2, seed: 5, noiseStreams: [0, 0] });
  let f: ActiveFault | undefined;
  try {
    const chaos = new ChaosController(sim, { allocator, seed: 3 });
    await chaos.run(20);
    if (spec) f = await chaos.injectUnknown(spec);
    await chaos.run(steps);
    const active = f?.verify();
    await f?.stop();
    const gone = f?.verify();
    return { pairs: sim.recorder.stores.map((s) => Array.from(s.toPairs())), active, gone, targets: f?.targets };
  } finally {
    if (f && !f.stopped) await f.stop();
    await sim.dispose();
  }
}

describe('null-perturbation (the A/A fault)', () => {
  it('puts one event into one neuron of the treated replica: verify counts it; the untreated twin is untouched, the treated one diverges', async () => {
    const plain = await run(null);
    assert.deepEqual(plain.pairs[0], plain.pairs[1], 'twins on one noise stream are identical without a fault');
    const r = await run({ kind: 'null-perturbation', target: { replicas: [1] } });
    assert.equal(r.targets?.neurons?.length, 1, 'one neuron by default');
    assert.deepEqual(r.targets?.replicas, [1]);
    assert.ok(r.active?.ok && !r.active.noEffect, r.active?.evidence);
    assert.match(r.active!.evidence, /^null perturbation: 1 events written/);
    assert.ok(r.gone?.ok, r.gone?.evidence);
    assert.deepEqual(r.pairs[0], plain.pairs[0], 'replica 0 was not treated');
    assert.notDeepEqual(r.pairs[1], plain.pairs[1], 'the treated replica diverges');
  });

  it('defaults to a 200 mV kick (the target fires once); count or percent widen it', () => {
    const spec = validateFaultSpec({ kind: 'null-perturbation' }) as { kickMv: number };
    assert.equal(spec.kickMv, FIRING_KICK_MV);
    const one = planTargets(validateFaultSpec({ kind: 'null-perturbation', target: { populations: ['E'] } }), 'aa', net, 1, 1, 1);
    assert.equal(typeof one === 'string' ? -1 : one.neurons?.length, 1);
    const five = planTargets(validateFaultSpec({ kind: 'null-perturbation', target: { count: 5 } }), 'aa', net, 1, 1, 1);
    assert.equal(typeof five === 'string' ? -1 : five.neurons?.length, 5);
  });

  it('a kick of 0 acts on nothing: planning refuses it naming fault.kickMv', () => {
    assert.throws(
      () => planTargets(validateFaultSpec({ kind: 'null-perturbation', kickMv: 0 }), 'aa', net, 1, 1, 1),
      (e: unknown) => e instanceof InputError && e.field === 'fault.kickMv' && /would act on nothing/.test(e.message),
    );
  });
});
