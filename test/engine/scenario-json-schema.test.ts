import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { scenarioJsonSchema } from '../../src/engine/scenario-json-schema.js';
import { loadScenario } from '../../src/engine/load-scenario.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { parseUserYaml } from '../../src/io/parse-yaml.js';
import { runMain } from '../cli/in-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = JSON.parse(readFileSync(`${dir}scenario.schema.json`, 'utf8'));
const validateJson = new Ajv({ allErrors: true, strict: false }).compile(committed);
const schemaErrors = (data: unknown) => (validateJson(data) ? [] : (validateJson.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** Every ```yaml block of the README and docs/*.md that is a scenario (it has experiments). */
function readmeScenarios(): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f));
  const md = [join(root, 'README.md'), ...docs].map((f) => readFileSync(f, 'utf8')).join('\n');
  return [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^experiments:/m.test(y));
}

const tmp = tempDir('neurochaos-schema-');

const base = ['title: bad', 'model: { name: cuba, scale: 0.05 }'];
const exp = (fault: string, more: string[] = []) => ['experiments:', '  - id: a', `    fault: ${fault}`, '    observationMs: 50', '    recoveryTimeoutMs: 50', ...more.map((m) => `    ${m}`)];
const storm = (extra: string) => `{ kind: spike-storm, rateHz: 100, ${extra} }`;

/** Scenarios the schema and `validate` must both refuse; `field` is what validate's message names. */
const BAD: { name: string; yaml: string[]; field: RegExp }[] = [
  { name: 'misspelt fault kind', yaml: [...base, ...exp('{ kind: spike-strom, rateHz: 100, amplitudePa: 5 }')], field: /experiments\[0\]\.fault\.kind: must be one of spike-storm/ },
  { name: 'amplitude that overflows to Infinity', yaml: [...base, ...exp(storm('amplitudePa: 1e999'))], field: /experiments\[0\]\.fault\.amplitudePa: must be a number in \[-1000000, 1000000\] \(got Infinity\)/ },
  { name: 'observation that overflows to Infinity', yaml: [...base, 'experiments:', '  - id: a', `    fault: ${storm('amplitudePa: 5')}`, '    observationMs: 1e999', '    recoveryTimeoutMs: 50'], field: /experiments\[0\]\.observationMs: must be a number in \(0, 1000000000\] \(got Infinity\)/ },
  { name: 'amplitude given twice', yaml: [...base, ...exp(storm('amplitude: 5, amplitudePa: 5'))], field: /experiments\[0\]\.fault\.amplitude: give amplitude \(with unit\) or amplitudePa, not both/ },
  { name: 'alias with a unit', yaml: [...base, ...exp(storm('amplitudeMv: 1, unit: pA'))], field: /experiments\[0\]\.fault\.unit: give amplitude \(with unit\) or amplitudeMv, not both/ },
  { name: 'both aliases', yaml: [...base, ...exp(storm('amplitudePa: 1, amplitudeMv: 1'))], field: /experiments\[0\]\.fault\.amplitudeMv: give amplitudePa or amplitudeMv, not both/ },
  { name: 'no amplitude', yaml: [...base, ...exp(storm('train: regular'))], field: /experiments\[0\]\.fault\.amplitude: is required/ },
  { name: 'storm without a rate', yaml: [...base, ...exp('{ kind: spike-storm, amplitudePa: 5 }')], field: /experiments\[0\]\.fault\.rateHz: is required/ },
  { name: 'unknown fault field', yaml: [...base, ...exp(storm('amplitudePa: 5, rate: 3'))], field: /experiments\[0\]\.fault: Unrecognized key\(s\) in object: 'rate'/ },
  { name: 'fraction above 1', yaml: [...base, ...exp('{ kind: weight-corruption, fraction: 2, mode: bit-flip }')], field: /experiments\[0\]\.fault\.fraction: must be a number in \(0, 1\]/ },
  { name: 'negative observation', yaml: [...base, 'experiments:', '  - id: a', `    fault: ${storm('amplitudePa: 5')}`, '    observationMs: -1', '    recoveryTimeoutMs: 50'], field: /experiments\[0\]\.observationMs: must be a number in \(0, 1000000000\]/ },
  { name: 'fractional seed', yaml: ['seed: 1.5', ...base, ...exp(storm('amplitudePa: 5'))], field: /\.seed: must be an integer in \[0, 4294967295\]/ },
  { name: 'misspelt top-level field', yaml: ['titel: x', ...base, ...exp(storm('amplitudePa: 5'))], field: /Unrecognized key\(s\) in object: 'titel'/ },
  { name: 'no experiments', yaml: [...base, 'experiments: []'], field: /\.experiments: needs at least one experiment/ },
  { name: 'unknown recording mode', yaml: [...base, 'defences: { recording: maybe }', ...exp(storm('amplitudePa: 5'))], field: /\.defences\.recording: Invalid enum value/ },
  { name: 'unknown backend', yaml: [...base, 'backend: quantum', ...exp(storm('amplitudePa: 5'))], field: /\.backend: Invalid enum value/ },
  { name: 'dt of NaN', yaml: [...base, 'dtMs: .nan', ...exp(storm('amplitudePa: 5'))], field: /\.dtMs: must be a number in \[0\.001, 10\]/ },
  { name: 'merge of a scalar', yaml: [...base, 'experiments:', '  - id: a', '    <<: 5', `    fault: ${storm('amplitudePa: 5')}`, '    observationMs: 50', '    recoveryTimeoutMs: 50'], field: /scenario: .* is not valid YAML/ },
];

/** Scenarios whose fault is well-formed but does not fit the model or spans fields: only `validate` (like the dry run) can refuse them. */
const BAD_FOR_THE_MODEL: { name: string; yaml: string[]; field: RegExp }[] = [
  { name: 'unknown population', yaml: [...base, ...exp('{ kind: neuron-fault, mode: dead, target: { populations: [L4E] } }')], field: /experiments\[0\]\.fault\.target\.populations\[0\]: unknown population "L4E"/ },
  { name: 'missing model file', yaml: ['title: bad', 'model: { name: ./no-such-model.yaml }', ...exp(storm('amplitudePa: 5'))], field: /no-such-model\.yaml/ },
  { name: 'storm faster than 1/dt', yaml: [...base, ...exp('{ kind: spike-storm, rateHz: 20000, amplitudePa: 5 }')], field: /experiments\[0\]\.fault\.rateHz: must be at most 1\/dt/ },
  { name: 'duplicate experiment ids', yaml: [...base, ...exp(storm('amplitudePa: 5')), ...exp(storm('amplitudePa: 5')).slice(1)], field: /experiments\[1\]\.id: duplicate experiment id "a"/ },
];

describe('scenario JSON Schema (scenarios/scenario.schema.json)', () => {
  it('the committed file is byte for byte what npm run schema writes', () => {
    const file = join(tmp, 'generated.schema.json');
    execFileSync(process.execPath, [join(root, 'dist/bench/write-schema.js'), file]);
    assert.equal(readFileSync(join(dir, 'scenario.schema.json'), 'utf8'), readFileSync(file, 'utf8'), 'run npm run schema after changing a schema');
    assert.deepEqual(committed, JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('every shipped scenario is valid for the loader, plans, and validates against the schema (ajv)', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const s = loadScenario(`${dir}${f}`);
      assert.equal(new ChaosEngine(s).plan().length, s.experiments.length, f);
      assert.deepEqual(schemaErrors(parseUserYaml(readFileSync(`${dir}${f}`, 'utf8'))), [], f);
    }
  });

  it('every scenario in the README and docs/*.md validates against the schema and with neurochaos validate', async () => {
    const blocks = readmeScenarios();
    assert.ok(blocks.length >= 1);
    for (const [i, yaml] of blocks.entries()) {
      assert.deepEqual(schemaErrors(parseUserYaml(yaml)), [], `README scenario ${i}:\n${yaml}`);
      const file = join(tmp, `readme-${i}.yaml`);
      writeFileSync(file, yaml);
      const r = await runMain(['validate', file]);
      assert.equal(r.code, 0, `README scenario ${i}: ${r.stderr}`);
    }
  });

  it('the storm amplitude is given one way: amplitude (+unit), amplitudePa or amplitudeMv', () => {
    const scenario = (fault: Record<string, unknown>) => ({ title: 't', experiments: [{ id: 'a', observationMs: 1, recoveryTimeoutMs: 1, fault: { kind: 'spike-storm', rateHz: 100, ...fault } }] });
    for (const ok of [{ amplitude: 1 }, { amplitude: 1, unit: 'mV' }, { amplitudePa: 1 }, { amplitudeMv: 1 }]) assert.deepEqual(schemaErrors(scenario(ok)), [], JSON.stringify(ok));
    for (const bad of [{}, { amplitude: 1, amplitudePa: 1 }, { amplitudePa: 1, amplitudeMv: 1 }, { amplitudePa: 1, unit: 'pA' }, { amplitudeMv: 1, unit: 'mV' }]) assert.notDeepEqual(schemaErrors(scenario(bad)), [], JSON.stringify(bad));
  });

  for (const bad of BAD) {
    it(`refuses ${bad.name}: the schema, validate and run --dry-run (exit 2, same message, field named)`, async () => {
      const file = join(tmp, `${bad.name.replace(/\W+/g, '-')}.yaml`);
      const text = `${bad.yaml.join('\n')}\n`;
      writeFileSync(file, text);
      let data: unknown;
      try {
        data = parseUserYaml(text);
      } catch {
        data = undefined; // Not YAML at all: nothing for the schema to accept.
      }
      if (data !== undefined) assert.notDeepEqual(schemaErrors(data), [], `the schema accepts ${bad.name}`);
      const v = await runMain(['validate', file]);
      assert.equal(v.code, 2, v.stdout);
      assert.match(v.stderr, bad.field);
      assert.doesNotMatch(v.stderr, /\n {4}at /, 'no stack trace');
      const dry = await runMain(['run', file, '--dry-run']);
      assert.equal(dry.code, 2);
      assert.equal(dry.stderr, v.stderr, 'validate and the dry run say the same');
    });
  }

  for (const bad of BAD_FOR_THE_MODEL) {
    it(`refuses ${bad.name}: validate and run --dry-run (exit 2, same message)`, async () => {
      const file = join(tmp, `model-${bad.name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, `${bad.yaml.join('\n')}\n`);
      const v = await runMain(['validate', file]);
      assert.equal(v.code, 2, v.stdout);
      assert.match(v.stderr, bad.field);
      const dry = await runMain(['run', file, '--dry-run']);
      assert.equal(dry.stderr, v.stderr);
    });
  }
});
