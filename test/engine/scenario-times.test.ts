import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { buildNetwork } from '../../src/model/builder.js';
import { resolveModel } from '../../src/model/resolve-model.js';
import { simulate } from '../../src/simulate.js';
import { InputError } from '../../src/util/errors.js';

const BASE = { title: 't', model: { name: 'cuba', scale: 0.05 }, backend: 'cpu', experiments: [{ id: 'a', fault: { kind: 'neuron-fault', mode: 'dead', target: { percent: 10 } }, observationMs: 40, recoveryTimeoutMs: 100 }] };
const refused = (field: string, re: RegExp) => (e: unknown) => e instanceof InputError && e.field === field && re.test(e.message);

describe('library: times off the dt grid (issue 17.5)', () => {
  it('simulate() refuses a duration off the grid and one of 0 steps, naming durationMs', async () => {
    await assert.rejects(simulate({ model: 'cuba', scale: 0.05, durationMs: 0.04, backend: 'cpu' }), refused('durationMs', /multiple of dt = 0\.1 ms \(got 0\.04; nearest 0\.1\)/));
    await assert.rejects(simulate({ model: 'cuba', scale: 0.05, durationMs: 0.25, backend: 'cpu' }), refused('durationMs', /nearest 0\.2 or 0\.3/));
    await assert.rejects(simulate({ model: 'cuba', scale: 0.05, durationMs: 1, dtMs: 0.3, backend: 'cpu' }), refused('durationMs', /dt = 0\.3 ms \(got 1; nearest 0\.9 or 1\.2\)/));
  });

  it('a scenario: the field the user wrote is named; defaults the tool filled in are not checked at an odd dt', () => {
    assert.throws(() => validateScenario({ ...BASE, defaults: { warmupMs: 10.25 } }), refused('scenario.defaults.warmupMs', /nearest 10\.2 or 10\.3/));
    assert.throws(() => validateScenario({ ...BASE, defences: { scrubEveryMs: 0.15 } }), refused('scenario.defences.scrubEveryMs', /nearest 0\.1 or 0\.2/));
    assert.throws(() => validateScenario({ ...BASE, experiments: [{ ...BASE.experiments[0], fault: { kind: 'spike-storm', rateHz: 10, amplitude: 1, delayMs: 1.01 } }] }), refused('scenario.experiments[0].fault.delayMs', /multiple of dt/));
    assert.doesNotThrow(() => validateScenario({ ...BASE, dtMs: 0.3, experiments: [{ ...BASE.experiments[0], observationMs: 30, recoveryTimeoutMs: 60 }] }));
    // A wall-clock duration (cpu-stress) is not on the simulation's grid.
    assert.doesNotThrow(() => validateScenario({ ...BASE, experiments: [{ ...BASE.experiments[0], fault: { kind: 'cpu-stress', durationMs: 12.345 } }] }));
  });

  it('model delays: a constant delay off the grid is refused naming the projection; refractory periods round as NEST Time does', () => {
    // CUBA writes a constant delay of 0.1 ms: at dt = 0.25 it is not a whole number of steps.
    assert.throws(() => buildNetwork(resolveModel({ model: 'cuba', scale: 0.05 }), { seed: 1, dtMs: 0.25 }), (e: unknown) => e instanceof InputError && /delayMs$/.test(e.field) && /multiple of dt = 0\.25 ms \(got 0\.1; nearest 0\.25\)/.test(e.message));
    // The microcircuit draws its delays (normal) and they round to the grid; t_ref = 2 ms at dt 0.3 is round(6.67) = 7 steps.
    const net = buildNetwork(resolveModel({ model: 'microcircuit', scale: 0.01 }), { seed: 1, dtMs: 0.3 });
    assert.ok(net.synapseCount > 0);
  });
});
