import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadModelFile } from '../../src/model/load-model-file.js';
import { parseUserYaml } from '../../src/io/parse-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('parseUserYaml', () => {
  it('merges `<<: *anchor` keys; keys written beside the merge win', () => {
    const data = parseUserYaml('base: &b { a: 1, b: 2 }\nuse: { <<: *b, b: 3 }\nboth: { <<: [*b, { c: 4 }] }\n') as Record<string, unknown>;
    assert.deepEqual(data.use, { a: 1, b: 3 });
    assert.deepEqual(data.both, { a: 1, b: 2, c: 4 });
  });

  it('refuses alias bombs and a merge of a scalar', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    assert.throws(() => parseUserYaml(bomb), /alias/i);
    assert.throws(() => parseUserYaml('a: { <<: 5 }\n'), /merge/i);
  });

  it('model files take merge keys too', () => {
    const file = join(tempDir(), 'merged-model.yaml');
    writeFileSync(file, ['populations:', '  - { name: E, size: 10, neuron: &lif { tauMembraneMs: 10, thresholdMv: -52 } }', '  - { name: I, size: 5, neuron: { <<: *lif, tauMembraneMs: 5 } }'].join('\n'));
    const spec = loadModelFile(file);
    assert.equal(spec.populations[1].neuron?.thresholdMv, -52);
    assert.equal(spec.populations[1].neuron?.tauMembraneMs, 5);
  });
});
