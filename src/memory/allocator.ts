import { EventEmitter } from 'node:events';
import { totalmem } from 'node:os';
import { StreamRng } from '../util/rng.js';

/** An allocation refused by the allocator: over budget, or failed by injected pressure. */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  constructor(
    readonly label: string,
    readonly bytes: number,
    readonly reason: 'budget' | 'injected',
    detail: string,
  ) {
    super(`allocation of ${bytes} bytes for ${label} refused: ${detail}`);
  }
}

export interface AllocatorStats {
  budgetBytes: number;
  /** Budget in force now (squeezed under pressure). */
  effectiveBudgetBytes: number;
  inUseBytes: number;
  peakBytes: number;
  allocations: number;
  failures: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
}

/** Pressure the allocator-pressure fault applies. */
export interface AllocatorPressure {
  /** Squeeze: the free part of the budget shrinks to this fraction of what it was. */
  freeFraction?: number;
  /** Fraction of allocations that fail. */
  failureRate?: number;
  /** Added latency per allocation (wall ms). */
  latencyMs?: number;
  rng: StreamRng;
}

export interface AllocatorEvents {
  allocation: [{ label: string; bytes: number; latencyMs: number }];
  failure: [AllocationError];
  pressure: [{ active: boolean; effectiveBudgetBytes: number }];
  /** A consumer coped with a refused allocation by giving something up (graceful degradation). */
  degraded: [Degradation];
}

/** What a consumer gave up when memory was refused, and why. */
export interface Degradation {
  /** Who degraded, e.g. `spike recorder`, `worker supervision`, `durable recording`. */
  component: string;
  /** What it gave up, in words a report can show. */
  gaveUp: string;
  /** The refusal that caused it. */
  reason: string;
}

/** Budget taken for memory held elsewhere (device tensors). */
export interface DeviceReservation {
  readonly label: string;
  readonly bytes: number;
}

type Ctor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The allocator every backend takes its large buffers from (state, spike
 * logs, in-memory checkpoints): a byte budget, statistics (in use, peak,
 * allocations, failures, latency) and events. Allocator pressure acts here.
 */
export class Allocator extends EventEmitter<AllocatorEvents> {
  private inUse = 0;
  private peak = 0;
  private count = 0;
  private failures = 0;
  private latencyTotal = 0;
  private latencyMax = 0;
  private pressure: AllocatorPressure | null = null;
  private squeezedBudget: number | null = null;
  private readonly sizes = new WeakMap<object, { bytes: number; label: string }>();
  private readonly labelBytes = new Map<string, number>();

  constructor(readonly budgetBytes = Math.floor(totalmem() * 0.75)) {
    super();
  }

  allocate<T extends ArrayBufferView>(ctor: Ctor<T>, length: number, shared: boolean, label: string): T {
    const bytes = length * ctor.BYTES_PER_ELEMENT;
    return this.admit(label, bytes, () => new ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, length));
  }

  /**
   * Takes `bytes` of the budget for memory the allocator does not hand out
   * itself (a device's tensors): the same budget, pressure, failures and
   * statistics as allocate(). Give it back with release(reservation).
   */
  reserve(bytes: number, label: string): DeviceReservation {
    return this.admit(label, bytes, () => ({ label, bytes }));
  }

  private admit<T extends object>(label: string, bytes: number, make: () => T): T {
    const t0 = performance.now();
    const p = this.pressure;
    if (p?.latencyMs) Atomics.wait(sleeper, 0, 0, p.latencyMs);
    if (p?.failureRate && p.rng.uniform() < p.failureRate) return this.refuse(label, bytes, 'injected', `failed by allocator pressure (failure rate ${p.failureRate})`);
    const budget = this.effectiveBudget;
    if (this.inUse + bytes > budget) return this.refuse(label, bytes, 'budget', `${this.inUse} bytes in use of a ${budget}-byte budget`);
    const array = make();
    this.sizes.set(array, { bytes, label });
    this.labelBytes.set(label, (this.labelBytes.get(label) ?? 0) + bytes);
    this.inUse += bytes;
    this.peak = Math.max(this.peak, this.inUse);
    this.count++;
    const ms = performance.now() - t0;
    this.latencyTotal += ms;
    this.latencyMax = Math.max(this.latencyMax, ms);
    this.emit('allocation', { label, bytes, latencyMs: ms });
    return array;
  }

  /** Gives an array's (or a reservation's) bytes back to the budget (once; later calls are ignored). */
  release(array: ArrayBufferView | DeviceReservation): void {
    const held = this.sizes.get(array);
    if (held === undefined) return;
    this.sizes.delete(array);
    this.inUse -= held.bytes;
    this.labelBytes.set(held.label, (this.labelBytes.get(held.label) ?? 0) - held.bytes);
  }

  private refuse(label: string, bytes: number, reason: 'budget' | 'injected', detail: string): never {
    this.failures++;
    const e = new AllocationError(label, bytes, reason, detail);
    this.emit('failure', e);
    throw e;
  }

  /** Consumers call this when they cope with a refusal by reducing what they hold (the engine journals it). */
  reportDegradation(d: Degradation): void {
    this.degradations++;
    this.emit('degraded', d);
  }

  /** Degradations reported so far. */
  degradations = 0;

  get effectiveBudget(): number {
    return this.squeezedBudget ?? this.budgetBytes;
  }

  setPressure(pressure: AllocatorPressure | null): void {
    this.pressure = pressure;
    this.squeezedBudget = pressure?.freeFraction === undefined ? null : Math.floor(this.inUse + pressure.freeFraction * Math.max(0, this.budgetBytes - this.inUse));
    this.emit('pressure', { active: pressure !== null, effectiveBudgetBytes: this.effectiveBudget });
  }

  get underPressure(): boolean {
    return this.pressure !== null;
  }

  /** Bytes in use under one label (e.g. `spike record`). */
  inUseFor(label: string): number {
    return this.labelBytes.get(label) ?? 0;
  }

  /** Whether this very pressure (as given to setPressure) is the one in force. */
  hasPressure(pressure: AllocatorPressure): boolean {
    return this.pressure === pressure;
  }

  stats(): AllocatorStats {
    return {
      budgetBytes: this.budgetBytes,
      effectiveBudgetBytes: this.effectiveBudget,
      inUseBytes: this.inUse,
      peakBytes: this.peak,
      allocations: this.count,
      failures: this.failures,
      totalLatencyMs: this.latencyTotal,
      maxLatencyMs: this.latencyMax,
    };
  }
}

/** The process-wide allocator backends use unless given their own. */
export const defaultAllocator = new Allocator();
