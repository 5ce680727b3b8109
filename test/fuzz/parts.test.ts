import { describe } from 'node:test';
import { PART_CASES } from '../../fuzz/properties/parts.js';
import { itChecks } from './run-cases.js';

describe('properties of the parts: reversible faults, scores, targets, the scheduler, experiments', () => itChecks(PART_CASES));
