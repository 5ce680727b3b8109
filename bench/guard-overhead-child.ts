import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

// One timing for bench/guard-overhead.ts: prints wall ms of 3000 steps.
const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
const sim = new ReferenceBackend(net, { guards: { enabled: process.argv[2] === 'on' } });
sim.advance(500);
const t0 = performance.now();
sim.advance(3000);
process.stdout.write(`${performance.now() - t0}\n`);
