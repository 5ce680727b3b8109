import { closeSync, fsyncSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { StreamRng } from '../util/rng.js';

/** Faults the disk-fault chaos puts into the output layer. */
export interface DiskFaultSettings {
  /** Only paths under this folder are affected (absent: every output file). */
  pathPrefix?: string;
  /** Added latency per write and fsync, in wall ms. */
  latencyMs: number;
  /** Fraction of writes and fsyncs that fail with EIO. */
  errorRate: number;
  /** Every write fails with ENOSPC, as on a full disk. */
  full: boolean;
  /** Stream for the error draws (seeded per fault). */
  rng: StreamRng;
}

export interface DiskFaultCounters {
  /** Writes and fsyncs that reached an active disk fault's folder (whatever it then did to them). */
  opsInScope: number;
  eio: number;
  enospc: number;
  delayedOps: number;
  delayedMs: number;
}

function ioError(code: 'EIO' | 'ENOSPC', op: string, path: string): NodeJS.ErrnoException {
  const message = code === 'EIO' ? 'i/o error' : 'no space left on device';
  const e = new Error(`${code}: ${message}, ${op} '${path}' (injected by disk-fault)`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = op;
  e.path = path;
  return e;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The file layer through which the simulation writes its own output files
 * (checkpoints now; the spike recorder later). It is the plain file system
 * unless a disk fault is active, which adds latency, EIO errors or ENOSPC to
 * the writes and fsyncs of files under its folder.
 */
export class OutputFs {
  private faults: DiskFaultSettings | null = null;
  readonly counters: DiskFaultCounters = { opsInScope: 0, eio: 0, enospc: 0, delayedOps: 0, delayedMs: 0 };

  setFaults(faults: DiskFaultSettings | null): void {
    this.faults = faults;
  }

  get faulted(): boolean {
    return this.faults !== null;
  }

  /** Whether these very settings (as given to setFaults) are the ones in force. */
  hasFaults(faults: DiskFaultSettings): boolean {
    return this.faults === faults;
  }

  private disturb(op: string, path: string): void {
    const f = this.faults;
    if (!f || (f.pathPrefix !== undefined && !path.startsWith(f.pathPrefix))) return;
    this.counters.opsInScope++;
    if (f.latencyMs > 0) {
      // Synchronous I/O gets synchronous latency: this thread really waits.
      Atomics.wait(sleeper, 0, 0, f.latencyMs);
      this.counters.delayedOps++;
      this.counters.delayedMs += f.latencyMs;
    }
    if (f.full && op === 'write') {
      this.counters.enospc++;
      throw ioError('ENOSPC', op, path);
    }
    if (f.errorRate > 0 && f.rng.uniform() < f.errorRate) {
      this.counters.eio++;
      throw ioError('EIO', op, path);
    }
  }

  open(path: string, flags: string, mode?: number): number {
    return openSync(path, flags, mode);
  }

  /** Writes at the file position, or at `position` when given (positional writes make a retry idempotent). */
  write(fd: number, path: string, data: Uint8Array, offset = 0, length = data.length - offset, position: number | null = null): number {
    this.disturb('write', path);
    return writeSync(fd, data, offset, length, position);
  }

  truncate(fd: number, path: string, length: number): void {
    this.disturb('write', path);
    ftruncateSync(fd, length);
  }

  fsync(fd: number, path: string): void {
    this.disturb('fsync', path);
    fsyncSync(fd);
  }

  close(fd: number): void {
    closeSync(fd);
  }

  rename(from: string, to: string): void {
    renameSync(from, to);
  }

  remove(path: string): void {
    rmSync(path, { force: true });
  }
}

/** The process-wide output layer. */
export const outputFs = new OutputFs();
