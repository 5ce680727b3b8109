import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted: the same value gives the same text whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

/**
 * JSON.stringify's replacer: an object with its keys sorted. A function of the module, not a closure per call:
 * V8 compiled the closures again in every campaign job. The copy has no prototype, so a key "__proto__" is
 * an own property, as Object.fromEntries made it.
 */
function sortedKeys(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  const sorted = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) sorted[keys[i]] = o[keys[i]];
  return sorted;
}

/** SHA-256 (hex) of a value's canonical JSON. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
