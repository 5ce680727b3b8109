import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { JobPool, POOL_PROCESS_FLAGS, poolExecArgv } from '../../src/campaign/local-pool.js';
import { tempDir } from '../helpers/temp-dir.js';

test('pool processes get the pool flags, then the parent flags (a user flag of the same name wins), never the parent -e/-p code or its --input-type', () => {
  assert.deepEqual(poolExecArgv([], undefined), POOL_PROCESS_FLAGS);
  assert.deepEqual(poolExecArgv(['--cpu-prof'], undefined), [...POOL_PROCESS_FLAGS, '--cpu-prof']);
  assert.deepEqual(poolExecArgv(['--initial-old-space-size=64'], undefined), ['--initial-old-space-size=64']);
  assert.deepEqual(poolExecArgv(['--initial_old_space_size=64'], undefined), ['--initial_old_space_size=64']);
  // Given its parent's code, a child would run it instead of its module: from `node -e "start a pool"`, a pool of pools.
  const code = 'new JobPool(1, dir)';
  assert.deepEqual(poolExecArgv(['--input-type=module', '-e', code], code), POOL_PROCESS_FLAGS);
  assert.deepEqual(poolExecArgv(['--print', code, '--cpu-prof'], code), [...POOL_PROCESS_FLAGS, '--cpu-prof']);
  assert.deepEqual(poolExecArgv([`--eval=${code}`], code), POOL_PROCESS_FLAGS);
});

test('a pool process runs with the pool flags', { skip: !existsSync('/proc/self/cmdline') && 'needs /proc' }, async () => {
  const pool = new JobPool(1, tempDir('neurochaos-pool-flags-'));
  try {
    await pool.ready();
    const args = readFileSync(`/proc/${pool.pids()[0]}/cmdline`, 'utf8').split('\0');
    for (const f of POOL_PROCESS_FLAGS) assert.ok(args.includes(f), `${f} in ${args.join(' ')}`);
    assert.ok(args.some((a) => a.endsWith('job-child.js')));
  } finally {
    await pool.close();
  }
});
