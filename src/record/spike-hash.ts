import { createHash } from 'node:crypto';

/**
 * spikeHash: SHA-256 over the (step, neuron) pairs, sorted by step then
 * neuron, as little-endian int32 - for one replica. A batch's hash is the
 * SHA-256 of its replicas' hashes in order, so batch 1 hashes like a single run.
 * Shown as the first 16 hex digits (64 bits): collisions are not a concern
 * for equality checks between runs.
 */
export function hashPairs(pairs: Int32Array): string {
  return createHash('sha256').update(new Uint8Array(pairs.buffer, pairs.byteOffset, pairs.byteLength)).digest('hex');
}

export function combineReplicaHashes(hashes: string[]): string {
  if (hashes.length === 1) return hashes[0];
  const h = createHash('sha256');
  for (const x of hashes) h.update(x);
  return h.digest('hex');
}

export function shortHash(hex: string): string {
  return hex.slice(0, 16);
}
