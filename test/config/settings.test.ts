import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackend } from '../../src/backends/create-backend.js';
import { BACKENDS } from '../../src/backends/registered-backends.js';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { EXPERIMENT_DEFAULTS, MAX_BATCH, MAX_WORKERS } from '../../src/config/settings.js';
import { scenarioSchema } from '../../src/engine/scenario-schema.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { rangeOf } from '../../src/fuzz/schema-range.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';

const net = buildNetwork(smallNetworkSpec(40), { seed: 1 });

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const s = { text: '', isTTY: false, write: (c: string) => ((s.text += c), true) };
  const e = { text: '', isTTY: false, write: (c: string) => ((e.text += c), true) };
  const code = await main(args, { stdout: s, stderr: e, signal: new AbortController().signal } as unknown as CliContext);
  return { code, stderr: e.text };
}

describe('settings: one limit, every door', () => {
  it(`batch: the CLI flag, the scenario schema and every backend accept [1, ${MAX_BATCH}]`, async () => {
    const flag = await cli(['simulate', '--batch', String(MAX_BATCH + 1), '--backend', 'cpu']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, new RegExp(`--batch: must be an integer in \\[1, ${MAX_BATCH}\\]`));
    for (const d of BACKENDS.list().filter((x) => !x.prepare)) {
      assert.equal(d.capabilities.maxBatch, MAX_BATCH, d.name);
      assert.throws(() => createBackend(net, { backend: d.name, batch: MAX_BATCH + 1, workers: 1 }), (e: unknown) => e instanceof InputError && e.field === 'batch' && e.message.includes(`[1, ${MAX_BATCH}]`), d.name);
    }
    const r = rangeOf(scenarioSchema.shape.batch);
    assert.deepEqual([r.min, r.max], [1, MAX_BATCH]);
    assert.equal(rangeOf(scenarioSchema.shape.controls).max, MAX_BATCH - 1);
  });

  it(`workers: the CLI flags, the scenario schema and the workers backend accept [1, ${MAX_WORKERS}]`, async () => {
    const flag = await cli(['simulate', '--workers', String(MAX_WORKERS + 1)]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, new RegExp(`--workers: must be an integer in \\[1, ${MAX_WORKERS}\\]`));
    const run = await cli(['run', 'scenarios/quick.yaml', '--dry-run', '--workers', String(MAX_WORKERS + 1)]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`\\[1, ${MAX_WORKERS}\\]`));
    assert.throws(() => createBackend(net, { backend: 'workers', workers: MAX_WORKERS + 1 }), (e: unknown) => e instanceof InputError && e.field === 'workers' && e.message.includes(`[1, ${MAX_WORKERS}]`));
    assert.equal(rangeOf(scenarioSchema.shape.workers).max, MAX_WORKERS);
    assert.equal(BACKENDS.get('workers').capabilities.maxWorkers, MAX_WORKERS);
  });

  it('scenario defaults come from the settings', () => {
    const s = validateScenario({ title: 't', experiments: [{ id: 'e', fault: { kind: 'neuron-fault', mode: 'dead' }, observationMs: 1, recoveryTimeoutMs: 1 }] });
    for (const [k, v] of Object.entries(EXPERIMENT_DEFAULTS)) assert.equal(s.defaults[k as keyof typeof EXPERIMENT_DEFAULTS], v, k);
  });
});
