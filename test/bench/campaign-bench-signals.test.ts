import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { haveRedis, REDIS_SERVER } from '../campaign/redis-server.js';

const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

/** Pids of processes whose command line or working folder names `dir` (the suite's workers, job processes, redis-server). */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Runs the quick campaign suite with a private TMPDIR, sends `signal` to its node process alone once stdout
 * has shown `after` (plus `delayMs`), and returns its exit code and what is left in that TMPDIR and running.
 */
async function interrupt(signal: NodeJS.Signals, after: RegExp, delayMs: number): Promise<{ code: number | null; left: string[]; running: number[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'neurochaos-signal-test-'));
  try {
    const child = spawn(process.execPath, [RUN, '--suite', 'campaign', '--quick'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!sent && after.test(out)) {
        sent = true;
        setTimeout(() => child.kill(signal), delayMs);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.ok(sent, `the suite ended before ${after} (stdout: ${out})`);
    // What the suite's own handler does is synchronous; give orphans (if any) a moment to show.
    await new Promise((r) => setTimeout(r, 300));
    return { code, left: readdirSync(tmp), running: processesUsing(tmp) };
  } finally {
    for (const pid of processesUsing(tmp)) process.kill(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Every round of the suite starts a private redis-server; like test/campaign/distributed.test.ts, the tests
// skip without one (.ci/run installs it).
const skip = haveRedis ? false : `${REDIS_SERVER} is not installed (apt-get install -y redis-server)`;

describe('npm run bench -- --suite campaign on a signal', { timeout: 240_000, skip }, () => {
  it('SIGTERM while a local pool runs: exit 143, no pool process and no folder left', async () => {
    const r = await interrupt('SIGTERM', /workload throughput/, 3000);
    assert.equal(r.code, 143);
    assert.deepEqual(r.left, []);
    assert.deepEqual(r.running, []);
  });

  it('SIGINT to the node process alone while the BullMQ workers run: exit 130, no worker, job process, redis-server or folder left', async () => {
    const r = await interrupt('SIGINT', /throughput round 1, local 2/, 1500);
    assert.equal(r.code, 130);
    assert.deepEqual(r.left, []);
    assert.deepEqual(r.running, []);
  });
});
