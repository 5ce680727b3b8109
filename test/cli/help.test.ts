import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMain } from './in-process.js';

describe('every command has --help', () => {
  for (const command of ['run', 'simulate', 'list', 'validate', 'report', 'recording']) {
    it(`${command} --help and -h print its usage, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await runMain([command, flag]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Usage: neurochaos ${command}`));
        assert.equal(r.stderr, '');
      }
    });
  }

  it('an unknown option still names itself (exit 2)', async () => {
    const r = await runMain(['list', '--verbose']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--verbose/);
  });
});
