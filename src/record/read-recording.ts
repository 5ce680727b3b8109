import { readFileSync } from 'node:fs';
import { decodeBlock, decodeFileHeader, BLOCK_HEADER_BYTES, BLOCK_MAGIC, ENTRY_BYTES, type RecordingMeta } from './recording-format.js';

/** A stretch of simulated steps the recording does not hold. */
export interface RecordingGap {
  fromStep: number;
  toStep: number;
  reason: 'declared-loss' | 'missing-block' | 'corrupt-block';
  /** Spikes the writer declared lost (declared-loss only). */
  spikes?: number;
}

export interface RecordingValidation {
  meta: RecordingMeta;
  blocks: number;
  spikes: number;
  /** Step the last good block ends at (exclusive). */
  endStep: number;
  gaps: RecordingGap[];
  corruptBlocks: number;
  /** Blocks whose step range repeats steps already covered. */
  overlappingBlocks: number;
  /** Entries that appear more than once (same step, replica and neuron). */
  duplicateSpikes: number;
  /** Bytes after the last whole block (a write cut short; normal after a crash before fsync). */
  truncatedTailBytes: number;
  /** True when there is no gap, no corrupt block and no duplicate. */
  ok: boolean;
  /** Every entry, as (step, replica, neuron) triples in file order. */
  entries: Uint32Array;
}

/**
 * Reads a spike recording and validates it: both CRCs of every block,
 * contiguous step ranges from block to block, no duplicate entry.
 * A damaged block is skipped (its header says how long it is when the header
 * is intact; otherwise the reader scans to the next block magic).
 */
export function validateRecording(path: string): RecordingValidation {
  return validateRecordingBytes(readFileSync(path));
}

export function validateRecordingBytes(file: Uint8Array): RecordingValidation {
  const { meta, blocksAt } = decodeFileHeader(file);
  const gaps: RecordingGap[] = [];
  const parts: Uint32Array[] = [];
  let at = blocksAt;
  let blocks = 0;
  let spikes = 0;
  let corrupt = 0;
  let overlapping = 0;
  let truncated = 0;
  let endStep = meta.startStep;
  while (at < file.length) {
    const d = decodeBlock(file, at);
    if (!d.ok) {
      if (d.reason === 'truncated') {
        truncated = file.length - at;
        break;
      }
      corrupt++;
      if (d.reason === 'bad-payload' && d.header) {
        gaps.push({ fromStep: d.header.fromStep, toStep: d.header.toStep, reason: 'corrupt-block' });
        endStep = Math.max(endStep, d.header.toStep);
        at += d.bytes;
      } else {
        at = resync(file, at + 1);
      }
      continue;
    }
    const h = d.header;
    if (h.fromStep > endStep) gaps.push({ fromStep: endStep, toStep: h.fromStep, reason: 'missing-block' });
    if (h.fromStep < endStep) overlapping++;
    if (h.type === 'loss') gaps.push({ fromStep: h.fromStep, toStep: h.toStep, reason: 'declared-loss', spikes: h.count });
    else if (h.count > 0) {
      const copy = new Uint8Array(h.count * ENTRY_BYTES);
      copy.set(file.subarray(d.payloadAt, d.payloadAt + copy.length));
      parts.push(new Uint32Array(copy.buffer));
      spikes += h.count;
    }
    endStep = Math.max(endStep, h.toStep);
    blocks++;
    at += d.bytes;
  }
  const entries = new Uint32Array(spikes * 3);
  let o = 0;
  for (const p of parts) {
    entries.set(p, o);
    o += p.length;
  }
  const duplicateSpikes = countDuplicates(entries, meta);
  return { meta, blocks, spikes, endStep, gaps, corruptBlocks: corrupt, overlappingBlocks: overlapping, duplicateSpikes, truncatedTailBytes: truncated, ok: gaps.length === 0 && corrupt === 0 && duplicateSpikes === 0, entries };
}

/** The position of the next plausible block header at or after `from` (or the end). */
function resync(file: Uint8Array, from: number): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let i = from; i + BLOCK_HEADER_BYTES <= file.length; i++) {
    if (view.getUint32(i, true) === BLOCK_MAGIC && decodeBlock(file, i).ok) return i;
  }
  return file.length;
}

/** One number per entry that orders entries by (step, replica, neuron); exact below 2^53. */
export function entryKeys(entries: Uint32Array, meta: Pick<RecordingMeta, 'neurons' | 'batch'>): Float64Array {
  const n = entries.length / 3;
  const keys = new Float64Array(n);
  const perStep = meta.batch * meta.neurons;
  for (let i = 0; i < n; i++) keys[i] = entries[i * 3] * perStep + entries[i * 3 + 1] * meta.neurons + entries[i * 3 + 2];
  return keys;
}

function countDuplicates(entries: Uint32Array, meta: RecordingMeta): number {
  const keys = entryKeys(entries, meta).sort();
  let dup = 0;
  for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) dup++;
  return dup;
}
