import { chaosModelProperty, equivalenceProperty, replayProperty } from '../../src/fuzz/chaos-model.js';
import { checkProperty } from '../../src/fuzz/check-property.js';
import { FUZZ_BACKENDS } from '../backends.js';
import type { FuzzCase } from '../fuzz-case.js';
import { fuzzNetwork } from '../networks.js';

/** Model-based chaos and replay determinism, per backend. */
export const CHAOS_MODEL_CASES: FuzzCase[] = FUZZ_BACKENDS.flatMap((entry) => [
  {
    name: `chaos-model-${entry.name}`,
    ciRuns: entry.slow ? 3 : entry.workers > 0 ? 5 : 25,
    check: (o) => checkProperty(chaosModelProperty(entry, fuzzNetwork(), { maxCommands: 10, replayPath: o.replayPath }), { ...o, name: `chaos-model-${entry.name}` }),
  },
  {
    name: `replay-${entry.name}`,
    ciRuns: entry.slow ? 2 : entry.workers > 0 ? 2 : 8,
    check: (o) => checkProperty(replayProperty(entry, fuzzNetwork(), { maxOps: 8 }), { ...o, name: `replay-${entry.name}` }),
  },
]);

const [reference, ...others] = FUZZ_BACKENDS;

/** Every other backend against the reference, spike for spike, through the same chaos. */
export const EQUIVALENCE_CASES: FuzzCase[] = others.map((entry) => ({
  name: `equivalence-${entry.name}`,
  ciRuns: 3,
  check: (o) => checkProperty(equivalenceProperty(reference, entry, fuzzNetwork(), { maxOps: 8 }), { ...o, name: `equivalence-${entry.name}` }),
}));
