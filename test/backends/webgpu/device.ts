/// <reference types="@webgpu/types" />
import type { TestContext } from 'node:test';
import { acquireDevice, type AcquiredDevice } from '../../../src/backends/webgpu/device-provider.js';

/** Deno (scripts/test-webgpu.mjs runs these tests there, on navigator.gpu). */
export const IS_DENO = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';

/**
 * NEUROCHAOS_REQUIRE_WEBGPU=1 (CI): under Deno, a missing adapter fails the
 * test instead of skipping it. Node's part of `npm test` has no WebGPU on
 * this machine kind (Dawn's module needs glibc >= 2.38), so there the tests
 * skip with the reason either way.
 */
export const WEBGPU_REQUIRED = process.env.NEUROCHAOS_REQUIRE_WEBGPU === '1' && IS_DENO;

/** The shared device, or null after marking the test skipped with the reason (an error when required). */
export async function deviceOrSkip(t: TestContext): Promise<AcquiredDevice | null> {
  try {
    return await acquireDevice();
  } catch (e) {
    const reason = `no WebGPU device here: ${e instanceof Error ? e.message : String(e)}`;
    if (WEBGPU_REQUIRED) throw new Error(`${reason} (NEUROCHAOS_REQUIRE_WEBGPU=1)`);
    t.skip(reason);
    return null;
  }
}

const STORAGE = 0x80;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;

/**
 * Runs one compute shader (entry point `main`, bind group 0) over `inputs`
 * (bindings 0.., read-only) and one read-write u32 output of `outputWords`
 * words (the last binding, zeroed first unless `initial` is given), and
 * returns the output.
 */
export async function runKernel(device: GPUDevice, code: string, inputs: ArrayBufferView[], outputWords: number, groups: [number, number?], initial?: Uint32Array): Promise<Uint32Array> {
  const make = (bytes: number, usage: number) => device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
  const ins = inputs.map((a) => {
    const b = make(a.byteLength, STORAGE | COPY_DST);
    device.queue.writeBuffer(b, 0, a as unknown as BufferSource);
    return b;
  });
  const out = make(outputWords * 4, STORAGE | COPY_SRC | COPY_DST);
  device.queue.writeBuffer(out, 0, (initial ?? new Uint32Array(outputWords)) as unknown as BufferSource);
  const read = make(outputWords * 4, MAP_READ | COPY_DST);
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [...ins, out].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const error = await device.popErrorScope();
  if (error) throw new Error(`test kernel: ${error.message}`);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(groups[0], groups[1] ?? 1);
  pass.end();
  enc.copyBufferToBuffer(out, 0, read, 0, outputWords * 4);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(MAP_READ, 0, outputWords * 4);
  const result = new Uint32Array(read.getMappedRange(0, outputWords * 4).slice(0));
  read.unmap();
  for (const b of [...ins, out, read]) b.destroy();
  return result;
}
