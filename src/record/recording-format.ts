import { crc32 } from 'node:zlib';

/**
 * The durable spike recording: a file header, then append-only blocks.
 *
 * File header: the 8 bytes `NCSPIKE1`, a u32 length, that many bytes of JSON
 * metadata, a u32 CRC-32 of the JSON. Then blocks, little-endian:
 *
 *   u32 magic 'NCSB' | u16 version | u16 type | u32 seq | u32 fromStep |
 *   u32 toStep (exclusive) | u32 count | u32 payloadCrc | u32 reserved |
 *   u32 headerCrc (over the 32 bytes before it)
 *
 * A `spikes` block carries `count` entries of (u32 step, u32 replica,
 * u32 neuron) for every spike of steps [fromStep, toStep). A `loss` block
 * declares that the spikes of [fromStep, toStep) were not recorded (`count`
 * of them): the writer's backlog overflowed and it says so in the file too.
 * Sequence numbers count every block, so a reader sees a missing one.
 */
export const FILE_MAGIC = 'NCSPIKE1';
export const BLOCK_MAGIC = 0x4253434e; // 'NCSB' read as little-endian u32
export const FORMAT_VERSION = 1;
export const BLOCK_HEADER_BYTES = 36;
export const ENTRY_BYTES = 12;

export const BLOCK_TYPE = { spikes: 1, loss: 2 } as const;
export type BlockType = keyof typeof BLOCK_TYPE;

export interface RecordingMeta {
  format: 'neurochaos-spikes';
  neurons: number;
  batch: number;
  dtMs: number;
  seed: number;
  blockSteps: number;
  /** Step the recording starts at (a resumed recording keeps its first value). */
  startStep: number;
}

export interface BlockHeader {
  type: BlockType;
  seq: number;
  fromStep: number;
  toStep: number;
  count: number;
  payloadCrc: number;
}

export function encodeFileHeader(meta: RecordingMeta): Uint8Array {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const out = Buffer.alloc(8 + 4 + json.length + 4);
  out.write(FILE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  out.writeUInt32LE(crc32(json), 12 + json.length);
  return out;
}

/** Parses the file header; returns its metadata and where the first block starts. */
export function decodeFileHeader(file: Uint8Array): { meta: RecordingMeta; blocksAt: number } {
  const b = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (b.length < 16 || b.toString('latin1', 0, 8) !== FILE_MAGIC) throw new Error('not a neurochaos spike recording (bad magic)');
  const len = b.readUInt32LE(8);
  if (len > 1 << 20 || 12 + len + 4 > b.length) throw new Error('spike recording header is truncated');
  const json = b.subarray(12, 12 + len);
  if (crc32(json) !== b.readUInt32LE(12 + len)) throw new Error('spike recording header fails its CRC');
  return { meta: JSON.parse(json.toString('utf8')) as RecordingMeta, blocksAt: 12 + len + 4 };
}

/**
 * Writes one block at `at` in `out` (which must have room for header and
 * payload) from `count` entries of `entries` (step, replica, neuron triples).
 */
export function encodeBlock(out: Uint8Array, at: number, h: Omit<BlockHeader, 'payloadCrc'>, entries: Uint32Array | null): number {
  const payloadBytes = h.type === 'spikes' ? h.count * ENTRY_BYTES : 0;
  const view = new DataView(out.buffer, out.byteOffset + at, BLOCK_HEADER_BYTES + payloadBytes);
  const payload = new Uint8Array(out.buffer, out.byteOffset + at + BLOCK_HEADER_BYTES, payloadBytes);
  if (payloadBytes > 0 && entries) {
    // Entries are host-order u32; every platform Node runs on is little-endian, which the format fixes.
    payload.set(new Uint8Array(entries.buffer, entries.byteOffset, payloadBytes));
  }
  view.setUint32(0, BLOCK_MAGIC, true);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, BLOCK_TYPE[h.type], true);
  view.setUint32(8, h.seq, true);
  view.setUint32(12, h.fromStep, true);
  view.setUint32(16, h.toStep, true);
  view.setUint32(20, h.count, true);
  view.setUint32(24, payloadBytes > 0 ? crc32(payload) : 0, true);
  view.setUint32(28, 0, true);
  view.setUint32(32, crc32(new Uint8Array(out.buffer, out.byteOffset + at, 32)), true);
  return BLOCK_HEADER_BYTES + payloadBytes;
}

export type DecodedBlock = { ok: true; header: BlockHeader; payloadAt: number; bytes: number } | { ok: false; reason: 'truncated' | 'bad-header' | 'bad-payload'; bytes: number; header?: BlockHeader };

/** Reads the block at `at`, checking both CRCs. */
export function decodeBlock(file: Uint8Array, at: number): DecodedBlock {
  if (at + BLOCK_HEADER_BYTES > file.length) return { ok: false, reason: 'truncated', bytes: file.length - at };
  const view = new DataView(file.buffer, file.byteOffset + at, BLOCK_HEADER_BYTES);
  const typeCode = view.getUint16(6, true);
  const headerOk = view.getUint32(0, true) === BLOCK_MAGIC && view.getUint32(32, true) === crc32(file.subarray(at, at + 32)) && (typeCode === 1 || typeCode === 2);
  if (!headerOk) return { ok: false, reason: 'bad-header', bytes: BLOCK_HEADER_BYTES };
  const header: BlockHeader = {
    type: typeCode === 1 ? 'spikes' : 'loss',
    seq: view.getUint32(8, true),
    fromStep: view.getUint32(12, true),
    toStep: view.getUint32(16, true),
    count: view.getUint32(20, true),
    payloadCrc: view.getUint32(24, true),
  };
  const payloadBytes = header.type === 'spikes' ? header.count * ENTRY_BYTES : 0;
  const payloadAt = at + BLOCK_HEADER_BYTES;
  if (payloadAt + payloadBytes > file.length) return { ok: false, reason: 'truncated', bytes: file.length - at, header };
  if (payloadBytes > 0 && crc32(file.subarray(payloadAt, payloadAt + payloadBytes)) !== header.payloadCrc) return { ok: false, reason: 'bad-payload', bytes: BLOCK_HEADER_BYTES + payloadBytes, header };
  return { ok: true, header, payloadAt, bytes: BLOCK_HEADER_BYTES + payloadBytes };
}
