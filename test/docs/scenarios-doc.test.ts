import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { loadModelFile } from '../../src/model/load-model-file.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fencedBlocks, markdownFiles, ROOT } from './markdown-files.js';

const run = promisify(execFile);
const scenariosDoc = () => markdownFiles().find(([f]) => f === 'docs/scenarios.md')![1];

describe('docs/scenarios.md: model files', () => {
  it('its model file example loads, and a scenario naming it (model: { name: ./my-model.yaml }) validates from the folder it is in', async () => {
    const doc = scenariosDoc();
    const model = fencedBlocks(doc, 'yaml').find((b) => /^populations:/m.test(b.code));
    assert.ok(model, 'a model block');
    const form = fencedBlocks(doc, 'yaml').find((b) => /^model: \{ name: \.\/my-model\.yaml \}/m.test(b.code));
    assert.ok(form, 'the model-file form of a scenario is documented');
    const dir = tempDir('neurochaos-doc-model-');
    writeFileSync(join(dir, 'my-model.yaml'), model.code);
    assert.equal(loadModelFile(join(dir, 'my-model.yaml')).populations.length, 2);
    const scenario = ['title: my model', form.code, 'experiments:', '  - id: storm', '    fault: { kind: spike-storm, target: { populations: [E], percent: 10 }, rateHz: 1000, amplitudePa: 50, durationMs: 50 }', '    observationMs: 100', '    recoveryTimeoutMs: 300'].join('\n');
    writeFileSync(join(dir, 'scenario.yaml'), scenario);
    const r = await run(process.execPath, [join(ROOT, 'bin/neurochaos.js'), 'validate', 'scenario.yaml'], { cwd: dir });
    assert.match(r.stdout, /scenario\.yaml: valid \(my model, 1 experiment\)/);
  });
});
