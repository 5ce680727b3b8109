import { tinyNetwork } from '../dist/test/conformance/networks.js';
import { createBackend, prepareBackend } from '../dist/src/backends/create-backend.js';
const net = tinyNetwork();
const choice = await prepareBackend({ batch: 2, seed: 11, backend: 'webgpu' });
const gpu = createBackend(net, choice).backend;
const dev = gpu.device;
dev.onuncapturederror = (e) => console.log('uncaptured', e.error.message);
await gpu.prepareRun();
await dev.queue.onSubmittedWorkDone();
console.log('prepared');
// lif only
for (const which of ['lif', 'deliver']) {
  const enc = dev.createCommandEncoder();
  const pass = enc.beginComputePass();
  if (which === 'lif') { pass.setPipeline(gpu.lifPipeline); pass.setBindGroup(0, gpu.lifGroup, [0]); pass.dispatchWorkgroups(4, 1); }
  else { pass.setPipeline(gpu.deliverPipeline); pass.setBindGroup(0, gpu.deliverGroup, [0]); pass.dispatchWorkgroups(4); }
  pass.end();
  dev.queue.submit([enc.finish()]);
  const t = setTimeout(() => console.log('still waiting', which), 5000);
  await dev.queue.onSubmittedWorkDone();
  clearTimeout(t);
  console.log('done', which);
}
