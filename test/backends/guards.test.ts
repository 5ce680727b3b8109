import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet } from '../chaos/helpers.js';

function finite(sim: ReferenceBackend | WorkersBackend): boolean {
  for (const name of ['membraneMv', 'currentExcPa', 'currentInhPa'] as const) for (const x of sim.buffer(name)) if (!Number.isFinite(x)) return false;
  return true;
}

describe('guards', () => {
  it('are off in a plain backend unless asked for', () => {
    assert.equal(new ReferenceBackend(chaosNet).metrics().nonFiniteContained, 0);
    const plain = new ReferenceBackend(chaosNet);
    plain.buffer('membraneMv')[0] = Number.NaN;
    plain.advance(1);
    assert.ok(Number.isNaN(plain.buffer('membraneMv')[0]));
  });

  it('cost nothing in a normal run: same spikes on and off', () => {
    const on = new ReferenceBackend(chaosNet, { guards: { enabled: true } });
    const off = new ReferenceBackend(chaosNet, { guards: { enabled: false } });
    on.advance(1000);
    off.advance(1000);
    assert.equal(on.recorder.spikeHash(), off.recorder.spikeHash());
    assert.equal(on.metrics().nonFiniteContained + on.metrics().inputsCapped, 0);
  });

  for (const make of [(g: boolean) => new ReferenceBackend(chaosNet, { guards: { enabled: g } }), (g: boolean) => new WorkersBackend(chaosNet, { workers: 2, guards: { enabled: g } })]) {
    it(`${make(true).name}: NaN weights leave the state finite with guards on, and poison it with guards off`, async () => {
      for (const enabled of [true, false]) {
        const sim = make(enabled);
        try {
          await new ChaosController(sim).inject({ kind: 'weight-corruption', fraction: 0.3, mode: 'nan' });
          await sim.run(500);
          assert.equal(finite(sim), enabled, `guards ${enabled ? 'on' : 'off'}`);
          if (enabled) assert.ok(sim.metrics().inputsCapped > 0);
        } finally {
          await sim.dispose();
        }
      }
    });
  }

  it('contain a non-finite membrane: reset, quarantined, counted', () => {
    const sim = new ReferenceBackend(chaosNet, { guards: { enabled: true, quarantineMs: 5 } });
    sim.advance(10);
    sim.buffer('membraneMv')[3] = Number.NaN;
    sim.buffer('currentExcPa')[5] = Number.POSITIVE_INFINITY;
    sim.advance(1);
    assert.ok(finite(sim));
    assert.equal(sim.metrics().nonFiniteContained, 2);
    assert.equal(sim.buffer('refractorySteps')[3], 50);
    const raw = new ReferenceBackend(chaosNet, { guards: { enabled: false } });
    raw.buffer('membraneMv')[3] = Number.NaN;
    raw.advance(1);
    assert.ok(Number.isNaN(raw.buffer('membraneMv')[3]), 'without guards it stays');
  });

  it('cap a saturating storm', async () => {
    const run = async (enabled: boolean) => {
      const sim = new ReferenceBackend(chaosNet, { guards: { enabled, saturationPa: 5000 } });
      await new ChaosController(sim).inject({ kind: 'spike-storm', target: { neurons: [0] }, rateHz: 10000, train: 'regular', amplitude: 1e6 });
      sim.advance(50);
      return sim.buffer('currentExcPa')[0];
    };
    const capped = await run(true);
    // The cap applies to the whole input of a step, background Poisson drive included.
    assert.ok(capped <= 5000 / (1 - Math.exp(-0.1 / 0.5)) + 1e-6 * 5000, `current ${capped} pA`);
    assert.ok((await run(false)) > 1e6);
  });

  it('refuse bad settings', () => {
    assert.throws(() => new ReferenceBackend(chaosNet, { guards: { enabled: true, saturationPa: 0 } }), (e: unknown) => e instanceof InputError && e.field === 'guards.saturationPa');
    assert.throws(() => new ReferenceBackend(chaosNet, { guards: { enabled: true, quarantineMs: -1 } }), (e: unknown) => e instanceof InputError && e.field === 'guards.quarantineMs');
  });
});
