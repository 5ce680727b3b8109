import { tinyNetwork } from '../dist/test/conformance/networks.js';
import { createBackend, prepareBackend } from '../dist/src/backends/create-backend.js';
const net = tinyNetwork();
const opts = { batch: 2, seed: 11 };
const t0 = performance.now();
const choice = await prepareBackend({ ...opts, backend: 'webgpu' });
console.log('selection', choice.selection);
const gpu = createBackend(net, choice).backend;
const cpu = createBackend(net, { ...opts, backend: 'cpu' }).backend;
const steps = Number(process.argv[2] ?? 800);
await gpu.run(steps); await cpu.run(steps);
console.log('ms', performance.now() - t0);
for (let b = 0; b < 2; b++) {
  const a = cpu.recorder.stores[b].toPairs(), g = gpu.recorder.stores[b].toPairs();
  let first = -1;
  for (let i = 0; i < Math.max(a.length, g.length); i += 2) if (a[i] !== g[i] || a[i+1] !== g[i+1]) { first = i/2; console.log('diff at', i/2, a[i], a[i+1], g[i], g[i+1]); break; }
  console.log('replica', b, 'cpu spikes', a.length/2, 'gpu', g.length/2, 'first diff', first);
}
for (const k of ['membraneMv','currentExcPa','currentInhPa']) {
  const a = cpu.buffer(k), g = gpu.buffer(k); let worst = 0; for (let i=0;i<a.length;i++) worst = Math.max(worst, Math.abs(a[i]-g[i])); console.log(k, worst);
}
console.log(JSON.stringify(gpu.metrics().gpu));
await gpu.dispose(); await cpu.dispose();
