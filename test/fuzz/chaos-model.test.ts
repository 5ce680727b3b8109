import { describe } from 'node:test';
import { CHAOS_MODEL_CASES, EQUIVALENCE_CASES } from '../../fuzz/properties/chaos-model.js';
import { itChecks } from './run-cases.js';

describe('model-based chaos on every backend: invariants after every command, recovery, replay', () => itChecks([...CHAOS_MODEL_CASES, ...EQUIVALENCE_CASES]));
