import { createHash } from 'node:crypto';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { smallNetworkSpec } from '../helpers/networks.js';

export const chaosNet = buildNetwork(smallNetworkSpec(), { seed: 21 });

export function reference(batch = 1) {
  return new ReferenceBackend(chaosNet, { batch });
}

export function digest(a: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** Spikes of the given neurons in steps [from, to) of replica b. */
export function spikesOf(sim: ReferenceBackend | { recorder: ReferenceBackend['recorder'] }, neurons: number[], from: number, to: number, b = 0): number {
  const set = new Set(neurons);
  const p = sim.recorder.stores[b].toPairs();
  let n = 0;
  for (let k = 0; k < p.length; k += 2) if (p[k] >= from && p[k] < to && set.has(p[k + 1])) n++;
  return n;
}
