import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('neurochaos run --defences', () => {
  it('both: runs defended and raw, writes the comparison side by side, exits by the defended run', async () => {
    const dir = tempDir('nc-both-');
    const file = join(dir, 'disk.yaml');
    writeFileSync(
      file,
      [
        'title: full disk',
        'model: { name: cuba, scale: 0.5 }',
        'backend: cpu',
        'defaults: { warmupMs: 50, baselineMs: 200, monitorIntervalMs: 20, holdMs: 40 }',
        'experiments:',
        '  - id: full_disk',
        '    fault: { kind: disk-fault, full: true }',
        '    observationMs: 100',
        '    recoveryTimeoutMs: 200',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--defences', 'both', '--out', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const defended = JSON.parse(readFileSync(join(out, 'defended', 'journal.json'), 'utf8'));
    const raw = JSON.parse(readFileSync(join(out, 'raw', 'journal.json'), 'utf8'));
    assert.equal(defended.experiments[0].defences.spikesLost, 0);
    assert.ok(raw.experiments[0].defences.spikesLost > 0);
    assert.equal(raw.scenario.defences.recording, 'raw');
    assert.equal(raw.scenario.defences.guards, false);
    const md = readFileSync(join(out, 'comparison.md'), 'utf8');
    assert.match(md, /\| figure \| defences on \| defences off \|/);
    assert.match(md, new RegExp(`\\| spikesLost \\| 0 \\| ${raw.experiments[0].defences.spikesLost} \\|`));
    assert.match(readFileSync(join(out, 'comparison.html'), 'utf8'), /<tr class="diff"><td>spikesLost<\/td>/);
    const bad = await runCli(['run', file, '--defences', 'maybe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--defences/);
  });
});
