import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

/**
 * One process, two simulations of the same microcircuit (scale 0.1,
 * single-threaded reference so thread jitter stays out), guards on and off:
 * blocks of 100 steps alternate between them (the order flips every pair),
 * and each pair gives a ratio. Noise from the machine hits both halves of a
 * pair alike, so the median ratio is far steadier than comparing separate
 * runs (AA=1 in the environment turns guards off in both: the control, whose
 * median ratio should be 1). The guards change no spike here (nothing is non-finite or capped),
 * so both do the same work besides the guards. Prints JSON.
 */
const pairs = Number(process.argv[2] ?? 40);
const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
const on = new ReferenceBackend(net, { guards: { enabled: process.env.AA ? false : true } });
const off = new ReferenceBackend(net, { guards: { enabled: false } });
on.advance(300);
off.advance(300);
const time = (b: ReferenceBackend) => {
  const t0 = performance.now();
  b.advance(100);
  return performance.now() - t0;
};
const ratios: number[] = [];
const onMs: number[] = [];
const offMs: number[] = [];
for (let p = 0; p < pairs; p++) {
  let tOn: number;
  let tOff: number;
  if (p % 2 === 0) {
    tOn = time(on);
    tOff = time(off);
  } else {
    tOff = time(off);
    tOn = time(on);
  }
  onMs.push(tOn);
  offMs.push(tOff);
  ratios.push(tOn / tOff);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const sameSpikes = on.recorder.spikeHash() === off.recorder.spikeHash();
process.stdout.write(`${JSON.stringify({ pairs, stepsPerBlock: 100, neurons: net.neuronCount, medianOnMs: median(onMs), medianOffMs: median(offMs), medianRatio: median(ratios), q1: [...ratios].sort((x, y) => x - y)[Math.floor(pairs / 4)], q3: [...ratios].sort((x, y) => x - y)[Math.floor((3 * pairs) / 4)], sameSpikes })}\n`);
