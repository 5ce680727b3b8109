import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { FaultInput, FaultInputOf, NeuronFaultInput, SpikeStormInput } from '../../src/chaos/fault-spec.js';
import { InputError } from '../../src/util/errors.js';
import { reference } from './helpers.js';

// Type-level checks: this file is compiled by `tsc -p tsconfig.json` in `npm test`, so every
// `@ts-expect-error` below fails the build if the line it marks ever compiles (a typo accepted).
const storm: SpikeStormInput = { kind: 'spike-storm', rateHz: 2000, amplitude: 150, durationMs: 30, target: { populations: ['E'], percent: 10 } };
const dead: FaultInputOf<'neuron-fault'> = { kind: 'neuron-fault', mode: 'dead', target: { percent: 5 } };
const asInput: FaultInput[] = [storm, dead];

function typeChecks(chaos: ChaosController): void {
  // @ts-expect-error rateHZ is not a field of spike-storm (rateHz is)
  void chaos.inject({ kind: 'spike-storm', rateHZ: 2000, amplitude: 150 });
  // @ts-expect-error the discriminant picks the kind: weight-corruption has no rateHz
  void chaos.inject({ kind: 'weight-corruption', rateHz: 10, fraction: 0.1, mode: 'nan' });
  // @ts-expect-error a kind that does not exist
  void chaos.inject({ kind: 'spike-stom', rateHz: 2000, amplitude: 150 });
  // @ts-expect-error amplitude is a number
  void chaos.inject({ kind: 'spike-storm', rateHz: 2000, amplitude: '150' });
  // @ts-expect-error mode is one of the neuron-fault modes
  const badMode: NeuronFaultInput = { kind: 'neuron-fault', mode: 'zombie' };
  void badMode;
  // Unknown data (a file) is allowed through injectUnknown, validated at run time.
  void chaos.injectUnknown(JSON.parse('{"kind":"spike-storm"}') as unknown);
}
void typeChecks;

describe('typed inject', () => {
  it('accepts the typed input of each kind and puts it into effect', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim, { seed: 2 });
    sim.advance(50);
    for (const spec of asInput) {
      const f = await chaos.inject(spec);
      sim.advance(20);
      assert.ok(f.verify().ok, `${spec.kind} acts`);
    }
    await chaos.stopAll();
  });

  it('still validates at run time: a typo smuggled past the types is refused naming the field', async () => {
    const chaos = new ChaosController(reference());
    const smuggled = { kind: 'spike-storm', rateHZ: 2000, amplitude: 150 } as unknown as FaultInput;
    await assert.rejects(chaos.inject(smuggled), (e: unknown) => e instanceof InputError && e.field === 'fault.rateHz');
    await assert.rejects(chaos.injectUnknown({ kind: 'spike-storm', rateHz: -1, amplitude: 150 }), (e: unknown) => e instanceof InputError && e.field === 'fault.rateHz');
    await assert.rejects(chaos.injectUnknown({ kind: 'spike-storm', rateHz: 100, amplitude: 150, durationMs: 0.25 }), (e: unknown) => e instanceof InputError && /multiple of dt/.test(e.message));
  });
});
