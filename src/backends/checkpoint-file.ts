import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { outputFs } from '../io/output-fs.js';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../util/errors.js';
import type { SimulationCheckpoint } from './checkpoint.js';

/**
 * Checkpoint file: magic, header length, JSON header, raw sections, then a
 * SHA-256 of everything before it. Written atomically: a temporary file in
 * the same folder, fsync, rename over the target, fsync of the folder; so a
 * crash leaves either the old checkpoint or the new one, never half of one.
 */
const MAGIC = 'NCHKPT01';
const DIGEST_BYTES = 32;

type SectionName = 'membraneMv' | 'currentExcPa' | 'currentInhPa' | 'refractorySteps' | 'ringExcPa' | 'ringInhPa' | 'counts';
const SECTIONS: { name: SectionName; ctor: Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor }[] = [
  { name: 'membraneMv', ctor: Float32Array },
  { name: 'currentExcPa', ctor: Float32Array },
  { name: 'currentInhPa', ctor: Float32Array },
  { name: 'refractorySteps', ctor: Int32Array },
  { name: 'ringExcPa', ctor: Float32Array },
  { name: 'ringInhPa', ctor: Float32Array },
  { name: 'counts', ctor: Uint32Array },
];

interface Header {
  format: 1;
  meta: Omit<SimulationCheckpoint, SectionName | 'spikes'>;
  sections: { name: string; bytes: number }[];
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function writeCheckpointFile(path: string, cp: SimulationCheckpoint): number {
  const { membraneMv, currentExcPa, currentInhPa, refractorySteps, ringExcPa, ringInhPa, counts, spikes, ...meta } = cp;
  const arrays: ArrayBufferView[] = [membraneMv, currentExcPa, currentInhPa, refractorySteps, ringExcPa, ringInhPa, counts, ...spikes];
  const names = [...SECTIONS.map((s) => s.name), ...spikes.map((_, b) => `spikes.${b}`)];
  const header: Header = { format: 1, meta, sections: arrays.map((a, i) => ({ name: names[i], bytes: a.byteLength })) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(12);
  lead.write(MAGIC, 0, 'ascii');
  lead.writeUInt32LE(headerBytes.length, 8);

  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const hash = createHash('sha256');
  let fd: number | undefined;
  let written = 0;
  try {
    fd = outputFs.open(tmp, 'w', 0o644);
    for (const chunk of [lead, headerBytes, ...arrays.map(bytesOf)]) {
      hash.update(chunk);
      let off = 0;
      while (off < chunk.length) off += outputFs.write(fd, tmp, chunk, off, chunk.length - off);
      written += chunk.length;
    }
    const digest = hash.digest();
    outputFs.write(fd, tmp, digest);
    written += digest.length;
    outputFs.fsync(fd, tmp);
    outputFs.close(fd);
    fd = undefined;
    outputFs.rename(tmp, path);
    syncFolder(dirname(path));
  } catch (e) {
    if (fd !== undefined) outputFs.close(fd);
    outputFs.remove(tmp);
    throw e;
  }
  return written;
}

function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and verifies a checkpoint; a truncated, corrupted or foreign file is refused with a clear error. */
export function readCheckpointFile(path: string, field = 'checkpoint'): SimulationCheckpoint {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new InputError(field, `cannot read checkpoint "${path}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (buf.length < 12 + DIGEST_BYTES || buf.toString('ascii', 0, 8) !== MAGIC) {
    throw new InputError(field, `"${path}" is not a neurochaos checkpoint (bad magic or too short: ${buf.length} bytes)`);
  }
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength + DIGEST_BYTES > buf.length) throw new InputError(field, `"${path}" is truncated (${buf.length} bytes; its header alone needs ${12 + headerLength + DIGEST_BYTES})`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Header;
  } catch {
    throw new InputError(field, `"${path}" is corrupted (unreadable header)`);
  }
  const body = header.sections.reduce((a, s) => a + s.bytes, 0);
  const expected = 12 + headerLength + body + DIGEST_BYTES;
  if (buf.length !== expected) throw new InputError(field, `"${path}" is truncated or padded (${buf.length} bytes, expected ${expected})`);
  const digest = createHash('sha256').update(buf.subarray(0, expected - DIGEST_BYTES)).digest();
  if (!digest.equals(buf.subarray(expected - DIGEST_BYTES))) throw new InputError(field, `"${path}" is corrupted (checksum mismatch)`);
  if (header.format !== 1) throw new InputError(field, `"${path}" has format ${header.format}; this version reads format 1`);

  let off = 12 + headerLength;
  const take = (ctor: (typeof SECTIONS)[number]['ctor'], bytes: number): Float32Array | Int32Array | Uint32Array => {
    const copy = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes) as ArrayBuffer;
    off += bytes;
    return new ctor(copy);
  };
  const sections: Partial<Record<SectionName, Float32Array | Int32Array | Uint32Array>> = {};
  const spikes: Int32Array[] = [];
  header.sections.forEach((s, i) => {
    if (i < SECTIONS.length) sections[SECTIONS[i].name] = take(SECTIONS[i].ctor, s.bytes);
    else spikes.push(take(Int32Array, s.bytes) as Int32Array);
  });
  return {
    ...header.meta,
    membraneMv: sections.membraneMv as Float32Array,
    currentExcPa: sections.currentExcPa as Float32Array,
    currentInhPa: sections.currentInhPa as Float32Array,
    refractorySteps: sections.refractorySteps as Int32Array,
    ringExcPa: sections.ringExcPa as Float32Array,
    ringInhPa: sections.ringInhPa as Float32Array,
    counts: sections.counts as Uint32Array,
    spikes,
  };
}

/** Writes a checkpoint file atomically, then reads it back (hash and all) so a bad write is found now, not at restore. */
export function writeVerifiedCheckpoint(path: string, cp: SimulationCheckpoint): void {
  writeCheckpointFile(path, cp);
  const back = readCheckpointFile(path, 'saveCheckpoint');
  if (back.step !== cp.step) throw new Error(`checkpoint ${path} reads back at step ${back.step}, not ${cp.step}`);
}
