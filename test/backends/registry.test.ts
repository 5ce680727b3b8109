import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimulationBackend } from '../../src/backends/backend.js';
import { CAPABILITY_NAMES, capabilityOf } from '../../src/backends/capabilities.js';
import { BACKEND_NAMES, BACKENDS, createBackend, DEFAULT_BACKEND, prepareBackend, REFERENCE_BACKEND } from '../../src/backends/create-backend.js';
import { BackendRegistry, EXACTNESS_CLASSES, suiteVariantsOf, type BackendDescriptor } from '../../src/backends/registry.js';
import { cudaDevicePresent } from '../../src/backends/tfjs/tfjs-runtime.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { FAULT_KINDS } from '../../src/chaos/fault.js';
import { kindsHostedBy } from '../../src/chaos/fault-kinds.js';
import { MAX_BATCH, MAX_WORKERS } from '../../src/config/settings.js';
import { scenarioSchema } from '../../src/engine/scenario-schema.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError, UnsupportedError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';

const net = buildNetwork(smallNetworkSpec(60), { seed: 3 });
const open: SimulationBackend[] = [];
after(async () => {
  await Promise.all(open.map((b) => b.dispose()));
});

/** A descriptor for registry mechanics: builds nothing real. */
function fake(name: string, auto: number | undefined, available: boolean | Error): BackendDescriptor {
  return {
    name,
    summary: name,
    isAvailable: async () => {
      if (available instanceof Error) throw available;
      return { available, reason: available ? `${name} is here` : `${name} is missing` };
    },
    ...(auto === undefined ? {} : { auto: { priority: auto } }),
    capabilities: { hosts: [], offers: [], maxBatch: 1, maxWorkers: 1, exactness: 'exact' },
    create: () => {
      throw new Error('not built in these tests');
    },
  };
}

describe('backend registry', () => {
  it('every registered backend has a factory, a summary, an availability with a reason, and a valid capability sheet', async () => {
    assert.ok(BACKENDS.names().length >= 4);
    for (const d of BACKENDS.list()) {
      assert.equal(typeof d.create, 'function', d.name);
      assert.ok(d.summary.length > 10, `${d.name} has a summary`);
      const here = await d.isAvailable();
      assert.equal(typeof here.available, 'boolean', d.name);
      assert.ok(here.reason.length > 5, `${d.name} says why: "${here.reason}"`);
      const sheet = d.capabilities;
      for (const k of kindsHostedBy(sheet.hosts)) assert.ok((FAULT_KINDS as readonly string[]).includes(k), `${d.name} declares a fault kind that exists: ${k}`);
      for (const c of sheet.offers) assert.ok(CAPABILITY_NAMES.includes(c), `${d.name} offers a known capability: ${c}`);
      assert.ok(sheet.maxBatch >= 1 && sheet.maxBatch <= MAX_BATCH, d.name);
      assert.ok(sheet.maxWorkers >= 1 && sheet.maxWorkers <= MAX_WORKERS, d.name);
      assert.ok(EXACTNESS_CLASSES.includes(sheet.exactness), d.name);
      for (const v of suiteVariantsOf(d)) assert.ok(v.label.startsWith(d.name), `variant label "${v.label}" names ${d.name}`);
      for (const p of d.picksAmong ?? []) assert.ok(BACKENDS.has(p), `${d.name} picks among registered names (${p})`);
    }
    assert.ok(BACKENDS.has(DEFAULT_BACKEND) && BACKENDS.has(REFERENCE_BACKEND));
  });

  it('the CLI, createBackend and the scenario schema accept exactly the registered names and auto', () => {
    assert.deepEqual([...BACKEND_NAMES], [...BACKENDS.names(), 'auto']);
    const enumValues = (scenarioSchema.shape.backend.unwrap() as unknown as { options: string[] }).options;
    assert.deepEqual(enumValues, [...BACKEND_NAMES]);
  });

  it('an unknown backend is an InputError with code unknown-backend that lists every registered name', async () => {
    for (const attempt of [() => createBackend(net, { backend: 'quantum' }), () => BACKENDS.get({ toString: () => 'x' })]) {
      assert.throws(attempt, (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.code, 'unknown-backend');
        assert.equal(e.field, 'backend');
        for (const n of [...BACKENDS.names(), 'auto']) assert.ok(e.message.includes(n), `names ${n}: ${e.message}`);
        return true;
      });
    }
    await assert.rejects(prepareBackend({ backend: 'quantum' }), (e: unknown) => e instanceof InputError && e.code === 'unknown-backend');
    // Names are looked up as own keys only: inherited properties of a plain object are not backends.
    assert.throws(() => createBackend(net, { backend: 'constructor' }), (e: unknown) => e instanceof InputError && e.code === 'unknown-backend');
  });

  it('auto picks the highest priority that is available, and says why it passed the better ones', async () => {
    const r = new BackendRegistry([fake('slow', 1, true), fake('best', 30, false), fake('broken', 25, new Error('driver crashed')), fake('good', 20, true), fake('never', undefined, true)]);
    const picked = await r.resolveAuto();
    assert.equal(picked.name, 'good');
    assert.match(picked.selection, /^auto: good, because best is missing; broken failed to start: driver crashed$/);
    const alone = await new BackendRegistry([fake('only', 1, true), fake('manual', undefined, true)]).resolveAuto();
    assert.equal(alone.name, 'only');
    assert.match(alone.selection, /only is here/);
    await assert.rejects(new BackendRegistry([fake('manual', undefined, true)]).resolveAuto(), (e: unknown) => e instanceof InputError && e.code === 'backend-unavailable');
  });

  it('auto on this machine follows the registry: webgpu only on a hardware adapter, tfjs only on a CUDA device, else workers', async (t) => {
    if (cudaDevicePresent()) return t.skip('a CUDA device is present: auto may pick tfjs or webgpu');
    const prepared = await prepareBackend({ backend: 'auto' });
    assert.equal(prepared.backend, 'workers');
    // Passed over in priority order: webgpu (no device in Node here, or a software one), then tfjs.
    assert.match(prepared.selection!, /^auto: workers, because (no WebGPU device|webgpu has only a software adapter).*; tfjs has no CUDA device here/);
  });

  it('refuses a second registration of a name, and the name auto', () => {
    assert.throws(() => new BackendRegistry([fake('a', 1, true), fake('a', 2, true)]), /registered already/);
    assert.throws(() => new BackendRegistry([fake('auto', 1, true)]), (e: unknown) => e instanceof InputError && e.field === 'backend.name');
  });

  it('a backend offers at run time exactly the capabilities its sheet declares', async () => {
    for (const d of BACKENDS.list().filter((x) => !x.picksAmong && !x.prepare)) {
      const { backend } = createBackend(net, { ...suiteVariantsOf(d)[0].choice, backend: d.name });
      open.push(backend);
      for (const c of CAPABILITY_NAMES) assert.equal(capabilityOf(backend, c) !== null, d.capabilities.offers.includes(c), `${d.name}: ${c}`);
    }
  });

  it('a fault kind a backend does not declare is refused with an UnsupportedError naming the backend and the kind', async () => {
    const specs: Record<string, unknown> = {
      'worker-crash': { kind: 'worker-crash' },
      'worker-stall': { kind: 'worker-stall' },
      partition: { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, durationMs: 5 },
    };
    let refused = 0;
    for (const d of BACKENDS.list().filter((x) => !x.picksAmong && !x.prepare)) {
      for (const [kind, spec] of Object.entries(specs)) {
        if (kindsHostedBy(d.capabilities.hosts).includes(kind)) continue;
        const { backend } = createBackend(net, { backend: d.name });
        open.push(backend);
        await assert.rejects(new ChaosController(backend).injectUnknown(spec), (e: unknown) => {
          assert.ok(e instanceof UnsupportedError, `${d.name} ${kind}: ${String(e)}`);
          assert.equal(e.backend, d.name);
          assert.equal(e.capability, kind);
          assert.equal(e.code, 'unsupported');
          return true;
        });
        refused++;
      }
    }
    assert.ok(refused >= 4, `undeclared kinds were tried (${refused})`);
  });
});
