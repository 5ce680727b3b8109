import type { Allocator } from '../memory/allocator.js';
import type { OutputFs } from '../io/output-fs.js';

export type FsyncPolicy = 'block' | 'interval' | 'none';

export interface DurableRecordingOptions {
  /** The recording file (created or replaced; resumed by DurableSpikeWriter.resume). */
  path: string;
  /** Simulated steps per block. @defaultValue 100 (10 ms at dt 0.1 ms) */
  blockSteps?: number;
  /** When data is made durable. @defaultValue 'interval' */
  fsync?: FsyncPolicy;
  /** With `interval`: the longest a written block waits for its fsync (wall ms). @defaultValue 200 */
  fsyncIntervalMs?: number;
  /** Bound on the blocks held in memory while the disk fails. @defaultValue 16 MiB */
  backlogBytes?: number;
  /** First retry delay after a failed write or fsync, doubled per failure (wall ms). @defaultValue 10 */
  retryBaseMs?: number;
  /** Longest retry delay (wall ms). @defaultValue 1000 */
  retryMaxMs?: number;
  /** On close, how long to keep retrying before counting what is left as lost (wall ms). @defaultValue 5000 */
  closeTimeoutMs?: number;
  /** false: the raw recorder (no retry, no backlog, rewinds not followed), for side-by-side reports. @defaultValue true */
  defended?: boolean;
  /** Where held blocks take memory from. @defaultValue the process-wide allocator */
  allocator?: Allocator;
  /** The output file layer (disk faults act there). @defaultValue the process-wide one */
  fs?: OutputFs;
}

export const RECORDING_DEFAULTS = {
  blockSteps: 100,
  fsync: 'interval' as FsyncPolicy,
  fsyncIntervalMs: 200,
  backlogBytes: 16 * 1024 * 1024,
  retryBaseMs: 10,
  retryMaxMs: 1000,
  closeTimeoutMs: 5000,
  defended: true,
};

export interface DurableRecordingStats {
  blocksWritten: number;
  bytesWritten: number;
  fsyncs: number;
  writeErrors: number;
  fsyncErrors: number;
  /** Failed attempts that were retried later. */
  retries: number;
  /** Bytes waiting for the disk now, and at most. */
  backlogBytes: number;
  maxBacklogBytes: number;
  /** Spikes the recording could not keep (each announced by a data-loss event). */
  spikesLost: number;
  lossEvents: number;
  degradations: number;
  /** Times the disk came back after failures. */
  recoveries: number;
}

export interface DurableRecordingEvents {
  'write-error': [{ code: string; attempt: number; retryInMs: number; backlogBytes: number }];
  recovered: [{ afterMs: number; failedAttempts: number }];
  'data-loss': [{ fromStep: number; toStep: number; spikes: number; reason: string }];
}
