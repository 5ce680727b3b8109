import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { AllocationError, defaultAllocator, type Allocator } from '../memory/allocator.js';
import { allocateWithRetry } from '../memory/allocate-with-retry.js';
import { outputFs, type OutputFs } from '../io/output-fs.js';
import { check, InputError } from '../util/errors.js';
import { BLOCK_HEADER_BYTES, decodeBlock, decodeFileHeader, encodeBlock, encodeFileHeader, ENTRY_BYTES, type RecordingMeta } from './recording-format.js';
import { validateRecordingBytes } from './read-recording.js';
import type { SpikeRecorder, SpikeSink } from './spike-recorder.js';
import { RECORDING_DEFAULTS, type DurableRecordingOptions, type DurableRecordingStats, type DurableRecordingEvents } from './durable-recording-options.js';

/** A sealed block on its way to durable storage. */
interface QueuedBlock {
  seq: number;
  fromStep: number;
  toStep: number;
  spikes: number;
  loss: boolean;
  bytes: Uint8Array;
  /** Taken from the allocator (given back once durable). */
  fromAllocator: boolean;
  /** File offset, fixed at the first write attempt so a retry rewrites the same bytes in the same place. */
  offset: number;
  written: boolean;
  /** Its entry in the index, which learns the offset at the first write. */
  entry: IndexEntry;
}

/** Where each sealed block went (kept for every block: rewinds cut the file back at block boundaries). */
interface IndexEntry {
  seq: number;
  fromStep: number;
  offset: number;
}

const RECORDING_LABEL = 'recording backlog';

/**
 * The durable spike recorder: every spike the simulation records goes into
 * an append-only file of blocks (one per `blockSteps` steps, each with a
 * sequence number and CRCs; see recording-format.ts).
 *
 * Fsync policy: `interval` (default) groups blocks and fsyncs at most
 * `fsyncIntervalMs` of wall time after a block is written, and on close;
 * `block` fsyncs every block; `none` leaves it to the OS. A block stays in
 * memory until it is durable under the policy, so a failed fsync rewrites
 * it (Linux may drop dirty pages on a failed fsync).
 *
 * Under EIO, ENOSPC or a slow disk, writes are retried with exponential
 * backoff while sealed blocks wait in a bounded backlog, in order, at fixed
 * offsets: when the disk comes back nothing is lost and nothing written
 * twice. When the backlog bound is reached, new blocks are dropped, a
 * `data-loss` event says which steps and how many spikes, and a loss block in
 * the file says the same. With `defended: false` (the raw recorder, for
 * side-by-side reports) a failed write simply loses its block, and a rewind
 * of the record (worker recovery) is not followed, so replayed steps are
 * written twice.
 */
export class DurableSpikeWriter extends EventEmitter<DurableRecordingEvents> implements SpikeSink {
  readonly path: string;
  readonly options: Required<Omit<DurableRecordingOptions, 'path' | 'allocator' | 'fs'>>;
  private readonly allocator: Allocator;
  private readonly fs: OutputFs;
  private fd: number | null;
  private readonly meta: RecordingMeta;
  private openFrom: number;
  private entries = new Uint32Array(3 * 4096);
  private entryCount = 0;
  private nextSeq = 0;
  private writeEnd: number;
  private queue: QueuedBlock[] = [];
  private queueBytes = 0;
  private readonly index: IndexEntry[] = [];
  private scratch = new Uint8Array(0);
  private failures = 0;
  private firstFailureAt = 0;
  private nextAttemptAt = 0;
  private lastSyncAt = performance.now();
  private truncatePending: number | null = null;
  private groupCommitDegraded = false;
  private closed = false;
  readonly stats: DurableRecordingStats = { blocksWritten: 0, bytesWritten: 0, fsyncs: 0, writeErrors: 0, fsyncErrors: 0, retries: 0, backlogBytes: 0, maxBacklogBytes: 0, spikesLost: 0, lossEvents: 0, degradations: 0, recoveries: 0 };

  private constructor(options: DurableRecordingOptions, meta: RecordingMeta, fd: number, writeEnd: number) {
    super();
    this.path = options.path;
    this.options = { ...RECORDING_DEFAULTS, ...stripUndefined(options) } as DurableSpikeWriter['options'];
    this.allocator = options.allocator ?? defaultAllocator;
    this.fs = options.fs ?? outputFs;
    this.meta = meta;
    this.fd = fd;
    this.writeEnd = writeEnd;
    this.openFrom = meta.startStep;
  }

  /** Starts a new recording at `startStep` (the file is created or replaced; its header is made durable at once). */
  static create(options: DurableRecordingOptions, network: { neuronCount: number; dtMs: number }, batch: number, seed: number, startStep = 0): DurableSpikeWriter {
    validateOptions(options);
    const meta: RecordingMeta = { format: 'neurochaos-spikes', neurons: network.neuronCount, batch, dtMs: network.dtMs, seed, blockSteps: options.blockSteps ?? RECORDING_DEFAULTS.blockSteps, startStep };
    const fs = options.fs ?? outputFs;
    let fd: number;
    try {
      fd = fs.open(options.path, 'w');
    } catch (e) {
      throw new InputError('recording.path', `cannot create ${options.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const header = encodeFileHeader(meta);
    try {
      fs.write(fd, options.path, header, 0, header.length, 0);
      fs.fsync(fd, options.path);
    } catch (e) {
      fs.close(fd);
      throw new Error(`durable recording: cannot create ${options.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new DurableSpikeWriter(options, meta, fd, header.length);
  }

  /**
   * Reopens a recording to continue it from `atStep` (after a restore from a
   * checkpoint): the valid blocks before the block holding `atStep` are kept,
   * the rest of the file is cut off, and whatever the file lacks before
   * `atStep` is written again from the recorder (which the checkpoint filled).
   */
  static resume(options: DurableRecordingOptions, recorder: SpikeRecorder, atStep: number): DurableSpikeWriter {
    validateOptions(options);
    const bytes = readFileSync(options.path);
    const v = validateRecordingBytes(bytes);
    check(v.meta.neurons === recorder.neuronCount && v.meta.batch === recorder.batch, 'recording', () => `${options.path} records ${v.meta.neurons} neurons x ${v.meta.batch} replicas, not this simulation's ${recorder.neuronCount} x ${recorder.batch}`);
    const fs = options.fs ?? outputFs;
    const fd = fs.open(options.path, 'r+');
    const w = new DurableSpikeWriter({ ...options, blockSteps: v.meta.blockSteps }, v.meta, fd, 0);
    // Walk the blocks again to learn their offsets; keep the leading run of good, contiguous ones.
    const keep = keptPrefix(bytes, v.meta, w.blockStart(atStep));
    w.writeEnd = keep.end;
    w.nextSeq = keep.blocks.length;
    w.index.push(...keep.blocks);
    w.openFrom = keep.endStep;
    fs.truncate(fd, options.path, keep.end);
    w.refill(recorder, keep.endStep, atStep);
    w.attach(recorder);
    return w;
  }

  /** Makes this writer the recorder's sink: every recorded spike and every rewind reaches it. */
  attach(recorder: SpikeRecorder): void {
    recorder.sink = this;
    this.recorder = recorder;
  }

  private recorder: SpikeRecorder | null = null;

  /** First step of the block that holds `step` (blocks are aligned to multiples of blockSteps). */
  private blockStart(step: number): number {
    return Math.max(this.meta.startStep, Math.floor(step / this.meta.blockSteps) * this.meta.blockSteps);
  }

  record(step: number, replica: number, neurons: Int32Array, count: number): void {
    if (this.closed) return;
    if (step >= this.blockStart(this.openFrom) + this.meta.blockSteps) this.sealUpTo(step);
    this.ensureEntries(this.entryCount + count);
    let at = this.entryCount * 3;
    for (let j = 0; j < count; j++) {
      this.entries[at++] = step;
      this.entries[at++] = replica;
      this.entries[at++] = neurons[j];
    }
    this.entryCount += count;
  }

  /**
   * The record was cut back to (or restored at) `step`: blocks from the one
   * holding `step` on are dropped (queued or written: the file is cut back),
   * and that block is re-filled from the recorder, which holds the truth.
   */
  rewound(step: number): void {
    if (this.closed || !this.options.defended) return; // the raw recorder does not follow: replays get written twice
    const from = this.blockStart(step);
    if (from < this.openFrom) {
      const cut = this.index.findIndex((b) => b.fromStep >= from);
      if (cut >= 0) {
        const offset = this.index[cut].offset;
        this.nextSeq = this.index[cut].seq;
        this.index.length = cut;
        this.queue = this.queue.filter((q) => {
          if (q.seq < this.nextSeq) return true;
          this.forget(q);
          return false;
        });
        this.updateBacklog();
        // A block never written has no offset yet; nor has any after it.
        if (offset >= 0) {
          this.writeEnd = offset;
          this.truncatePending = offset;
        }
      }
      this.openFrom = from;
    }
    if (this.recorder) this.refill(this.recorder, this.openFrom, step);
    else this.dropOpenEntriesFrom(step);
  }

  /** Re-records the recorder's spikes of [from, to) into the open block (after a rewind or a resume). */
  private refill(recorder: SpikeRecorder, from: number, to: number): void {
    this.openFrom = from;
    this.entryCount = 0;
    const perReplica = recorder.stores.map((s) => s.toPairs());
    const cursor = perReplica.map((pairs) => lowerBoundStep(pairs, from));
    const ids = new Int32Array(recorder.neuronCount);
    for (let step = from; step < to; step++) {
      for (let b = 0; b < recorder.batch; b++) {
        const pairs = perReplica[b];
        let n = 0;
        while (cursor[b] * 2 < pairs.length && pairs[cursor[b] * 2] === step) ids[n++] = pairs[cursor[b]++ * 2 + 1];
        if (n > 0) this.record(step, b, ids, n);
      }
    }
  }

  private dropOpenEntriesFrom(step: number): void {
    let keep = this.entryCount;
    while (keep > 0 && this.entries[(keep - 1) * 3] >= step) keep--;
    this.entryCount = keep;
  }

  /**
   * Seals every block that ends at or before `step` and moves data towards
   * the disk: retries due, writes, fsyncs by the policy. Called by whoever
   * runs the simulation after each run() (the experiment engine does).
   */
  advance(step: number): void {
    if (this.closed) return;
    this.sealUpTo(step);
    this.pump(false);
  }

  /** Seals what is recorded up to `step`, then tries for up to closeTimeoutMs (wall) to make everything durable; what is still not is counted lost. */
  close(step: number): DurableRecordingStats {
    if (this.closed) return this.stats;
    this.sealUpTo(step, true);
    const deadline = performance.now() + this.options.closeTimeoutMs;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      this.pump(true);
      if (this.queue.length === 0 || !this.options.defended) break;
      const now = performance.now();
      if (now >= deadline) break;
      Atomics.wait(sleeper, 0, 0, Math.max(1, Math.min(this.nextAttemptAt - now, deadline - now)));
    }
    for (const q of this.queue) {
      if (!q.loss) this.declareLoss(q.fromStep, q.toStep, q.spikes, `still not durable when the recording closed (${this.failures} failed attempts)`, false);
      this.forget(q);
    }
    this.queue = [];
    this.updateBacklog();
    this.closed = true;
    if (this.fd !== null) this.fs.close(this.fd);
    this.fd = null;
    return this.stats;
  }


  private sealUpTo(step: number, partialLast = false): void {
    for (;;) {
      const end = this.blockStart(this.openFrom) + this.meta.blockSteps;
      if (end <= step) this.seal(end);
      else break;
    }
    if (partialLast && step > this.openFrom) this.seal(step);
  }

  private seal(toStep: number): void {
    const fromStep = this.openFrom;
    const count = this.countBefore(toStep);
    const bytes = BLOCK_HEADER_BYTES + count * ENTRY_BYTES;
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(Math.max(bytes, this.scratch.length * 2));
    const seq = this.nextSeq;
    encodeBlock(this.scratch, 0, { type: 'spikes', seq, fromStep, toStep, count }, this.entries.subarray(0, count * 3));
    this.shiftEntries(count);
    this.openFrom = toStep;
    if (!this.options.defended) {
      this.nextSeq++;
      this.rawWrite(seq, fromStep, toStep, count, bytes);
      return;
    }
    if (this.queueBytes + bytes > this.options.backlogBytes) {
      this.declareLoss(fromStep, toStep, count, `the recording backlog is full (${this.queueBytes} of ${this.options.backlogBytes} bytes waiting for the disk)`, true);
      return;
    }
    const copy = allocateWithRetry(this.allocator, Uint8Array, bytes, false, RECORDING_LABEL);
    if (copy instanceof AllocationError) {
      // No memory to hold the block until it is durable: if the disk is healthy, flush what waits and make this one durable now (fsync per block).
      if (this.queue.length > 0 && this.failures === 0) this.pump(true);
      this.nextSeq++;
      if (this.queue.length === 0 && this.writeNow(seq, fromStep, bytes)) {
        if (!this.groupCommitDegraded) {
          this.groupCommitDegraded = true;
          this.stats.degradations++;
          this.allocator.reportDegradation({ component: 'durable recording', gaveUp: 'group commit: blocks are fsynced one by one while memory is refused', reason: copy.message });
        }
        return;
      }
      this.nextSeq--;
      this.declareLoss(fromStep, toStep, count, `no memory to hold the block while the disk is failing (${copy.message})`, true);
      return;
    }
    copy.set(this.scratch.subarray(0, bytes));
    this.nextSeq++;
    const entry = { seq, fromStep, offset: -1 };
    this.index.push(entry);
    this.enqueue({ seq, fromStep, toStep, spikes: count, loss: false, bytes: copy, fromAllocator: true, offset: -1, written: false, entry });
  }

  private enqueue(q: QueuedBlock): void {
    this.queue.push(q);
    this.queueBytes += q.bytes.length;
    this.updateBacklog();
  }

  /** Writes and fsyncs one block straight from the scratch buffer (the degraded path); false when the disk refuses. */
  private writeNow(seq: number, fromStep: number, bytes: number): boolean {
    try {
      this.writeAll(this.scratch, bytes, this.writeEnd);
      this.fs.fsync(this.fd as number, this.path);
      this.stats.fsyncs++;
    } catch {
      this.stats.writeErrors++;
      return false;
    }
    this.index.push({ seq, fromStep, offset: this.writeEnd });
    this.writeEnd += bytes;
    this.stats.blocksWritten++;
    this.stats.bytesWritten += bytes;
    this.lastSyncAt = performance.now();
    return true;
  }

  private rawWrite(seq: number, fromStep: number, toStep: number, count: number, bytes: number): void {
    try {
      this.writeAll(this.scratch, bytes, this.writeEnd);
      this.index.push({ seq, fromStep, offset: this.writeEnd });
      this.writeEnd += bytes;
      this.stats.blocksWritten++;
      this.stats.bytesWritten += bytes;
    } catch (e) {
      this.stats.writeErrors++;
      this.stats.spikesLost += count;
      this.stats.lossEvents++;
      this.emit('data-loss', { fromStep, toStep, spikes: count, reason: `raw recorder: the write failed (${errorCode(e)}) and is not retried` });
    }
  }

  /** A block that will not be recorded: counted, announced, and declared in the file by a loss block. */
  private declareLoss(fromStep: number, toStep: number, spikes: number, reason: string, marker: boolean): void {
    this.stats.spikesLost += spikes;
    this.stats.lossEvents++;
    this.emit('data-loss', { fromStep, toStep, spikes, reason });
    if (!marker) return;
    const last = this.queue[this.queue.length - 1];
    if (last && last.loss && !last.written && last.toStep === fromStep) {
      // Contiguous losses share one loss block.
      last.toStep = toStep;
      last.spikes += spikes;
      encodeBlock(last.bytes, 0, { type: 'loss', seq: last.seq, fromStep: last.fromStep, toStep, count: last.spikes }, null);
      return;
    }
    const seq = this.nextSeq++;
    const bytes = new Uint8Array(BLOCK_HEADER_BYTES); // tiny and outside the allocator: a loss must always be declarable
    encodeBlock(bytes, 0, { type: 'loss', seq, fromStep, toStep, count: spikes }, null);
    const entry = { seq, fromStep, offset: -1 };
    this.index.push(entry);
    this.enqueue({ seq, fromStep, toStep, spikes, loss: true, bytes, fromAllocator: false, offset: -1, written: false, entry });
  }

  private pump(force: boolean): void {
    if (this.queue.length === 0 && this.truncatePending === null) return;
    const now = performance.now();
    if (this.failures > 0 && now < this.nextAttemptAt) return;
    try {
      if (this.truncatePending !== null) {
        this.fs.truncate(this.fd as number, this.path, this.truncatePending);
        this.truncatePending = null;
      }
      for (const q of this.queue) {
        if (q.written) continue;
        if (q.offset < 0) {
          q.offset = this.writeEnd;
          this.writeEnd += q.bytes.length;
          q.entry.offset = q.offset;
        }
        this.writeAll(q.bytes, q.bytes.length, q.offset);
        q.written = true;
        this.stats.blocksWritten++;
        this.stats.bytesWritten += q.bytes.length;
      }
    } catch (e) {
      this.stats.writeErrors++;
      this.failed(e, now);
      return;
    }
    const policy = this.options.fsync;
    const due = policy === 'block' || force || now - this.lastSyncAt >= this.options.fsyncIntervalMs;
    if (policy !== 'none' && !due) return;
    if (policy !== 'none') {
      try {
        this.fs.fsync(this.fd as number, this.path);
        this.stats.fsyncs++;
        this.lastSyncAt = now;
      } catch (e) {
        this.stats.fsyncErrors++;
        // After a failed fsync the kernel may have dropped the dirty pages: write every unsynced block again.
        for (const q of this.queue) q.written = false;
        this.failed(e, now);
        return;
      }
    }
    for (const q of this.queue) this.forget(q);
    this.queue = [];
    this.updateBacklog();
    if (this.failures > 0) {
      this.stats.recoveries++;
      this.emit('recovered', { afterMs: now - this.firstFailureAt, failedAttempts: this.failures });
      this.failures = 0;
    }
  }

  private failed(e: unknown, now: number): void {
    if (this.failures === 0) this.firstFailureAt = now;
    this.failures++;
    this.stats.retries++;
    const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
    this.nextAttemptAt = now + delay;
    this.emit('write-error', { code: errorCode(e), attempt: this.failures, retryInMs: delay, backlogBytes: this.queueBytes });
  }

  /** Positional write of the whole buffer; a short write is an error (the retry rewrites it at the same place). */
  private writeAll(data: Uint8Array, length: number, position: number): void {
    const n = this.fs.write(this.fd as number, this.path, data, 0, length, position);
    if (n !== length) throw Object.assign(new Error(`short write: ${n} of ${length} bytes`), { code: 'ESHORT' });
  }

  private forget(q: QueuedBlock): void {
    this.queueBytes -= q.bytes.length;
    if (q.fromAllocator) this.allocator.release(q.bytes);
  }

  private updateBacklog(): void {
    this.stats.backlogBytes = this.queueBytes;
    if (this.queueBytes > this.stats.maxBacklogBytes) this.stats.maxBacklogBytes = this.queueBytes;
  }

  private countBefore(step: number): number {
    let n = 0;
    while (n < this.entryCount && this.entries[n * 3] < step) n++;
    return n;
  }

  private shiftEntries(n: number): void {
    this.entries.copyWithin(0, n * 3, this.entryCount * 3);
    this.entryCount -= n;
  }

  private ensureEntries(count: number): void {
    if (count * 3 <= this.entries.length) return;
    const bigger = new Uint32Array(Math.max(count * 3, this.entries.length * 2));
    bigger.set(this.entries.subarray(0, this.entryCount * 3));
    this.entries = bigger;
  }
}

/** The leading run of good, contiguous blocks that end at or before `beforeStep`, with their offsets. */
function keptPrefix(bytes: Uint8Array, meta: RecordingMeta, beforeStep: number): { blocks: IndexEntry[]; end: number; endStep: number } {
  const blocks: IndexEntry[] = [];
  let at = decodeFileHeader(bytes).blocksAt;
  let endStep = meta.startStep;
  for (;;) {
    const d = decodeBlock(bytes, at);
    if (!d.ok || d.header.seq !== blocks.length || d.header.fromStep !== endStep || d.header.toStep > beforeStep) break;
    blocks.push({ seq: d.header.seq, fromStep: d.header.fromStep, offset: at });
    at += d.bytes;
    endStep = d.header.toStep;
  }
  return { blocks, end: at, endStep };
}

function lowerBoundStep(pairs: Int32Array, step: number): number {
  let lo = 0;
  let hi = pairs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pairs[mid * 2] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateOptions(o: DurableRecordingOptions): void {
  check(typeof o.path === 'string' && o.path.length > 0, 'recording.path', () => 'must be a file path');
  const int = (name: string, v: number | undefined, lo: number, hi: number) => check(v === undefined || (Number.isInteger(v) && v >= lo && v <= hi), `recording.${name}`, () => `must be an integer in [${lo}, ${hi}] (got ${v})`);
  const num = (name: string, v: number | undefined, lo: number, hi: number) => check(v === undefined || (Number.isFinite(v) && v >= lo && v <= hi), `recording.${name}`, () => `must be a number in [${lo}, ${hi}] (got ${v})`);
  int('blockSteps', o.blockSteps, 1, 1_000_000);
  int('backlogBytes', o.backlogBytes, 0, 2 ** 40);
  num('fsyncIntervalMs', o.fsyncIntervalMs, 0, 3_600_000);
  num('retryBaseMs', o.retryBaseMs, 0, 60_000);
  num('retryMaxMs', o.retryMaxMs, 0, 3_600_000);
  num('closeTimeoutMs', o.closeTimeoutMs, 0, 3_600_000);
  check(o.fsync === undefined || ['block', 'interval', 'none'].includes(o.fsync), 'recording.fsync', () => `must be one of block, interval, none (got ${String(o.fsync)})`);
}
