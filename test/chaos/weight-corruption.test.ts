import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { WeightCorruption } from '../../src/chaos/weight-corruption.js';
import { WEIGHT_CORRUPTION_MODES } from '../../src/chaos/weight-corruption.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, digest, reference } from './helpers.js';

const extra: Record<string, object> = { 'stuck-at-value': { value: 1e6 }, scale: { factor: -3 }, 'multiplicative-noise': { sigma: 0.5 }, 'gaussian-noise': { sigma: 20 } };

describe('weight-corruption', () => {
  for (const mode of WEIGHT_CORRUPTION_MODES) {
    it(`${mode}: takes effect, and stop restores every weight bit for bit`, async () => {
      const sim = reference();
      const weights = sim.synapses().weightsPa;
      const pristine = digest(weights);
      const chaos = new ChaosController(sim, { seed: 4 });
      const f = (await chaos.inject({ kind: 'weight-corruption', fraction: 0.05, mode, ...extra[mode] })) as WeightCorruption;
      assert.equal(f.targets.synapses, Math.round(0.05 * chaosNet.synapseCount));
      const v = f.verify();
      assert.ok(v.ok, v.evidence);
      assert.notEqual(digest(weights), pristine);
      sim.advance(100);
      await f.stop();
      assert.equal(digest(weights), pristine);
      assert.ok(f.verify().ok, f.verify().evidence);
    });
  }

  it('chooses the same synapses for the same seed, others for another; respects a projection scope', async () => {
    const pick = async (seed: number) => {
      const chaos = new ChaosController(reference(), { seed });
      const f = (await chaos.inject({ kind: 'weight-corruption', id: 'w', source: 'I', target: 'E', fraction: 0.1, mode: 'stuck-at-zero' })) as WeightCorruption;
      const out = [...f.indices];
      await f.stop();
      return out;
    };
    const a = await pick(1);
    assert.deepEqual(await pick(1), a);
    assert.notDeepEqual(await pick(2), a);
    const { rowPtr, targets } = chaosNet.synapses;
    const [e, i] = chaosNet.populations;
    for (const k of a) {
      let src = 0;
      while (rowPtr[src + 1] <= k) src++;
      assert.ok(src >= i.start && src < i.start + i.size && targets[k] >= e.start && targets[k] < e.start + e.size);
    }
  });

  it('composes: overlapping faults stop in either order back to the pristine weights; a permanent one stays', async () => {
    for (const order of [[0, 1], [1, 0]]) {
      const sim = reference();
      const w = sim.synapses().weightsPa;
      const pristine = digest(w);
      const chaos = new ChaosController(sim, { seed: 5 });
      const faults = [
        await chaos.inject({ kind: 'weight-corruption', fraction: 0.5, mode: 'gaussian-noise', sigma: 10 }),
        await chaos.inject({ kind: 'weight-corruption', fraction: 0.5, mode: 'permutation' }),
      ];
      await faults[order[0]].stop();
      assert.ok(faults[order[1]].verify().ok, 'the other fault is still fully in effect');
      await faults[order[1]].stop();
      assert.equal(digest(w), pristine, `order ${order}`);
    }
    const sim = reference();
    const w = sim.synapses().weightsPa;
    const chaos = new ChaosController(sim, { seed: 6 });
    const temporary = await chaos.inject({ kind: 'weight-corruption', fraction: 0.3, mode: 'sign-flip' });
    const permanent = (await chaos.inject({ kind: 'weight-corruption', fraction: 0.3, mode: 'stuck-at-zero', permanent: true })) as WeightCorruption;
    await temporary.stop();
    await permanent.stop();
    for (const k of permanent.indices) assert.equal(w[k], 0);
    assert.equal(permanent.permanent, true);
  });

  it('refuses bad specs with the field and range', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'weight-corruption', fraction: 0, mode: 'nan' }), (e: unknown) => e instanceof InputError && e.field === 'fault.fraction' && /\(0, 1\]/.test(e.message));
    await assert.rejects(chaos.injectUnknown({ kind: 'weight-corruption', fraction: 0.1, mode: 'melt' }), (e: unknown) => e instanceof InputError && e.field === 'fault.mode');
    await assert.rejects(chaos.inject({ kind: 'weight-corruption', fraction: 0.1, mode: 'stuck-at-value' }), (e: unknown) => e instanceof InputError && e.field === 'fault.value');
    await assert.rejects(chaos.inject({ kind: 'weight-corruption', fraction: 0.1, mode: 'bit-flip', bit: 32 }), (e: unknown) => e instanceof InputError && e.field === 'fault.bit');
    await assert.rejects(chaos.inject({ kind: 'weight-corruption', fraction: 0.1, mode: 'nan', source: 'Q' }), (e: unknown) => e instanceof InputError && e.field === 'fault.source');
  });
});
