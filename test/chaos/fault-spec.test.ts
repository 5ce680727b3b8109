import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import { planFault } from '../../src/engine/fault-plan.js';
import { InputError } from '../../src/util/errors.js';

describe('validateFaultSpec', () => {
  const storm = { kind: 'spike-storm', rateHz: 10_000, durationMs: 50, target: { populations: ['E'] } };

  it('names the scenario-only amplitude spellings and says what a fault spec writes instead', () => {
    for (const [alias, unit] of [['amplitudeMv', 'mV'], ['amplitudePa', 'pA']] as const) {
      assert.throws(
        () => validateFaultSpec({ ...storm, [alias]: 4 }, 'faults[0]'),
        (e: unknown) => e instanceof InputError && e.field === `faults[0].${alias}` && e.message.includes(`write amplitude: 4, unit: '${unit}'`),
      );
    }
  });

  it('says to drop the alias when amplitude is given, and names it when its value is undefined or not a number', () => {
    const check = (extra: Record<string, unknown>, field: string, text: RegExp) =>
      assert.throws(() => validateFaultSpec({ ...storm, ...extra }), (e: unknown) => e instanceof InputError && e.field === field && text.test(e.message));
    check({ amplitudeMv: 4, amplitude: 4, unit: 'mV' }, 'fault.amplitudeMv', /drop it: amplitude and unit are given/);
    check({ amplitudeMv: undefined, amplitude: 1, unit: 'pA' }, 'fault.amplitudeMv', /drop it/);
    check({ amplitudePa: null }, 'fault.amplitudePa', /write amplitude: <a number>, unit: 'pA'/);
    check({ amplitudeMv: 'x'.repeat(300) }, 'fault.amplitudeMv', /^(?!.*xxxxxxxxxx)/s);
  });

  it('takes amplitude with its unit, and a scenario\'s alias still through planFault', () => {
    const spec = validateFaultSpec({ ...storm, amplitude: 4, unit: 'mV' });
    assert.equal(spec.kind, 'spike-storm');
    const planned = planFault({ ...storm, amplitudeMv: 4 }, 1, null, 'experiments[0].fault');
    assert.deepEqual([(planned as { amplitude: number }).amplitude, (planned as { unit: string }).unit], [4, 'mV']);
  });
});
