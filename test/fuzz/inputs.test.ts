import { describe } from 'node:test';
import { INPUT_CASES } from '../../fuzz/properties/inputs.js';
import { itChecks } from './run-cases.js';

describe('every input surface with hostile values: API arguments, fault specs, scenarios, models, files, flags', () => itChecks(INPUT_CASES));
