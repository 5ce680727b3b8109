import type { FuzzCase } from './fuzz-case.js';
import { CHAOS_MODEL_CASES, EQUIVALENCE_CASES } from './properties/chaos-model.js';
import { INPUT_CASES } from './properties/inputs.js';
import { PART_CASES } from './properties/parts.js';

/** Every property of the fuzzing campaign, in the order `npm run fuzz` checks them. */
export const FUZZ_CASES: FuzzCase[] = [...PART_CASES, ...INPUT_CASES, ...CHAOS_MODEL_CASES, ...EQUIVALENCE_CASES];
