import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { scenarioJsonSchema } from '../../src/engine/scenario-json-schema.js';
import { loadScenario } from '../../src/engine/load-scenario.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';

const dir = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

describe('scenarios', () => {
  it('the published JSON Schema is the one the code generates (run npm run schema after changing a schema)', () => {
    const committed = JSON.parse(readFileSync(`${dir}scenario.schema.json`, 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('every shipped scenario is valid and plans', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const s = loadScenario(`${dir}${f}`);
      assert.equal(new ChaosEngine(s).plan().length, s.experiments.length, f);
    }
  });
});
