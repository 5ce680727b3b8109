import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS, createBackend } from '../../src/backends/create-backend.js';
import { planKernels } from '../../src/backends/kernel-plan.js';
import { DEFAULT_PRECISION, PRECISIONS, resolvePrecision } from '../../src/backends/precision.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { distinctPopulationsSpec } from '../helpers/networks.js';

const net = buildNetwork(distinctPopulationsSpec(), { seed: 2 });
const isPrecisionError = (values: RegExp) => (e: unknown) => e instanceof InputError && e.field === 'precision' && values.test(e.message);

describe('SimulationOptions.precision', () => {
  it('defaults to float64 and accepts the two values; anything else is an InputError naming the field and both values', () => {
    assert.equal(resolvePrecision(undefined), 'float64');
    assert.equal(DEFAULT_PRECISION, 'float64');
    for (const p of PRECISIONS) assert.equal(resolvePrecision(p), p);
    for (const bad of ['double', 'FLOAT32', 'f32', 32, null, {}]) assert.throws(() => resolvePrecision(bad), isPrecisionError(/must be one of 'float64', 'float32' \(got /));
  });

  it('the cpu and workers backends refuse a bad value before anything is built', () => {
    assert.throws(() => new ReferenceBackend(net, { precision: 'half' as never }), isPrecisionError(/'float64', 'float32'/));
    assert.throws(() => new WorkersBackend(net, { workers: 1, precision: 'half' as never }), isPrecisionError(/'float64', 'float32'/));
  });

  it('gpujs refuses float32 by name, with the value it takes and why; its sheet says so', () => {
    assert.deepEqual(BACKENDS.get('gpujs').capabilities.precisions, ['float64']);
    assert.throws(() => createBackend(net, { backend: 'gpujs', gpujsMode: 'cpu', precision: 'float32' }), isPrecisionError(/the gpujs backend takes 'float64' \(got 'float32'\): .*cpu and workers/));
  });

  it('cpu, workers, webgpu and tfjs declare both precisions (webgpu and tfjs compute in float32 per op either way)', () => {
    for (const name of ['cpu', 'workers', 'webgpu', 'tfjs']) assert.deepEqual(BACKENDS.get(name).capabilities.precisions, PRECISIONS, name);
  });

  it('the float32 plan rounds every parameter and propagator to float32 once; the float64 plan is the network\'s values, unchanged', () => {
    const f64 = planKernels(net);
    const f32 = planKernels(net, 'float32');
    assert.equal(f64.precision, 'float64');
    assert.equal(f32.precision, 'float32');
    f64.populations.forEach((p, j) => {
      const q = f32.populations[j];
      for (const k of Object.keys(p.lif) as (keyof typeof p.lif)[]) assert.equal(q.lif[k], Math.fround(p.lif[k]), `${k}`);
      assert.deepEqual(Object.keys(q.lif), Object.keys(p.lif), 'one object shape for both (the kernels see one)');
    });
    assert.ok(f64.populations.some((p) => p.lif.p22 !== Math.fround(p.lif.p22)), 'float64 propagators are not float32 values');
  });
});
