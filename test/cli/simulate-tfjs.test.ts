import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const TINY = `name: tiny
populations:
  - name: E
    size: 40
    drives: [{ kind: poisson, rateHz: 14400, weightPa: 87.8 }]
  - name: I
    size: 10
    drives: [{ kind: poisson, rateHz: 13600, weightPa: 87.8 }]
projections:
  - { source: E, target: I, rule: { kind: fixed-indegree, indegree: 10 }, weightPa: { kind: constant, value: 87.8 }, delayMs: { kind: constant, value: 1.5 } }
  - { source: I, target: E, rule: { kind: fixed-indegree, indegree: 5 }, weightPa: { kind: constant, value: -351 }, delayMs: { kind: constant, value: 0.8 } }
`;

describe('neurochaos simulate --backend tfjs', () => {
  const dir = tempDir('nc-tfjs-');
  const model = join(dir, 'tiny.yaml');
  writeFileSync(model, TINY);

  it('runs on the best tfjs flavour present, says which, reports device memory', async () => {
    const args = ['simulate', '--model', model, '--duration', '20', '--json'];
    const [t, c] = await Promise.all([runCli([...args, '--backend', 'tfjs']), runCli([...args, '--backend', 'cpu'])]);
    assert.equal(t.code, 0, t.stderr);
    const out = JSON.parse(t.stdout);
    assert.equal(out.backend, 'tfjs');
    assert.match(out.selection, /tfjs on tfjs-cpu/);
    assert.equal(out.device.flavour, 'tfjs-cpu');
    assert.ok(out.device.bytes > 0);
    // Spike-for-spike agreement is the conformance suite's job (test/conformance); here: the same activity.
    const ref = JSON.parse(c.stdout);
    assert.ok(ref.spikes > 50);
    assert.ok(Math.abs(out.spikes - ref.spikes) <= 0.1 * ref.spikes, `${out.spikes} vs ${ref.spikes} spikes`);
  });

  it('a flavour that is not installed: exit 2 and the install command', async () => {
    const r = await runCli(['simulate', '--model', model, '--duration', '1', '--backend', 'tfjs-node-gpu']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tfjs-node-gpu is not available/);
    assert.match(r.stderr, /npm install @tensorflow\/tfjs-node-gpu/);
  });

  it('auto without a CUDA device picks workers and says why', async () => {
    const r = await runCli(['simulate', '--model', model, '--duration', '1', '--backend', 'auto', '--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /auto: workers, because (no WebGPU device|webgpu has only a software adapter)[^\n]*; tfjs has no CUDA device here/);
  });
});
