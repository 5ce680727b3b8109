import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/cli/registered-commands.js';
import { GENERATED_PAGES } from '../../src/docs/generated-pages.js';
import { SCENARIO_FIELD_MEANINGS, scenarioReferenceMarkdown } from '../../src/docs/scenario-reference.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ROOT } from './markdown-files.js';

describe('generated documentation is what the code generates', () => {
  for (const page of GENERATED_PAGES) {
    it(`docs/${page.file} equals what npm run docs writes (run it after changing a command, a flag, a scenario field or a fault kind)`, () => {
      const committed = readFileSync(join(ROOT, 'docs', page.file), 'utf8');
      assert.equal(committed, page.render(committed));
    });
  }

  it('npm run docs writes those pages (the script, run into another folder)', () => {
    const dir = tempDir('neurochaos-docs-gen-');
    execFileSync(process.execPath, [join(ROOT, 'dist/bench/write-docs.js'), dir]);
    for (const page of GENERATED_PAGES) assert.equal(readFileSync(join(dir, page.file), 'utf8'), readFileSync(join(ROOT, 'docs', page.file), 'utf8'), page.file);
  });

  it('docs/cli.md has a section per registered command, and each command\'s help states the same flag sentences', () => {
    const cli = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    for (const c of COMMANDS) {
      assert.ok(cli.includes(`## neurochaos ${c.name}\n`), c.name);
      for (const name of Object.keys(c.flags)) assert.ok(cli.includes(`| \`--${name}`), `${c.name} --${name}`);
    }
  });

  it('a scenario field without a meaning fails the generator, naming the field', () => {
    const saved = SCENARIO_FIELD_MEANINGS.seed;
    delete SCENARIO_FIELD_MEANINGS.seed;
    try {
      assert.throws(() => scenarioReferenceMarkdown(), /describe seed/);
    } finally {
      SCENARIO_FIELD_MEANINGS.seed = saved;
    }
    SCENARIO_FIELD_MEANINGS['no.such'] = 'x';
    try {
      assert.throws(() => scenarioReferenceMarkdown(), /no such field: no\.such/);
    } finally {
      delete SCENARIO_FIELD_MEANINGS['no.such'];
    }
  });
});
