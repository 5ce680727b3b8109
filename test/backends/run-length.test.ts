import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { stepsOfRunLength } from '../../src/backends/run-length.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';

const net = buildNetwork(smallNetworkSpec(100), { seed: 4 });

describe('run lengths in ms or steps', () => {
  it('run({ durationMs }) runs the same steps as run(steps), on the backend and through the chaos controller', async () => {
    const a = new ReferenceBackend(net);
    const b = new ReferenceBackend(net);
    await a.run({ durationMs: 25 });
    await b.run(250);
    assert.equal(a.currentStep, 250);
    assert.equal(a.recorder.spikeHash(), b.recorder.spikeHash());
    const chaos = new ChaosController(a);
    const out = await chaos.run({ durationMs: 10 });
    assert.equal(out.stepsRun, 100);
    await a.run({ steps: 3 });
    assert.equal(a.currentStep, 353);
  });

  it('refuses a duration off the dt grid naming durationMs and the nearest valid values', async () => {
    const sim = new ReferenceBackend(net);
    await assert.rejects(sim.run({ durationMs: 0.25 }), (e: unknown) => e instanceof InputError && e.field === 'durationMs' && /multiple of dt = 0.1 ms.*nearest 0.2 or 0.3/.test(e.message));
    assert.throws(() => stepsOfRunLength({ durationMs: -1 }, 0.1), (e: unknown) => e instanceof InputError && e.field === 'durationMs');
    assert.throws(() => stepsOfRunLength({ durationMs: 1, steps: 10 } as never, 0.1), (e: unknown) => e instanceof InputError && /not both/.test(e.message));
    assert.equal(stepsOfRunLength({ durationMs: 0.3 }, 0.1), 3, '0.3 / 0.1 is 2.9999999999999996 in binary and still 3 steps');
    assert.equal(sim.currentStep, 0);
  });
});
