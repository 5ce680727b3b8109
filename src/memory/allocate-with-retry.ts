import { AllocationError, type Allocator } from './allocator.js';

/** How a consumer retries a refused allocation before it degrades. */
export interface AllocationRetryPolicy {
  /** Attempts in all (the first included). @defaultValue 4 */
  attempts: number;
  /** Wait before the second attempt, doubled for each later one (wall ms). @defaultValue 1 */
  baseDelayMs: number;
  /** Longest single wait (wall ms). @defaultValue 8 */
  maxDelayMs: number;
}

export const DEFAULT_ALLOCATION_RETRY: AllocationRetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 8 };

const sleeper = new Int32Array(new SharedArrayBuffer(4));

type Ctor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };

/**
 * Allocates through the allocator, retrying a refusal with exponential
 * backoff (injected failures are transient; a squeezed budget may be
 * released meanwhile by another consumer). Returns the array, or the last
 * refusal so the caller can degrade or stop with a clear error. Waits are
 * synchronous because callers sit between simulation steps.
 */
export function allocateWithRetry<T extends ArrayBufferView>(
  allocator: Allocator,
  ctor: Ctor<T>,
  length: number,
  shared: boolean,
  label: string,
  policy: AllocationRetryPolicy = DEFAULT_ALLOCATION_RETRY,
): T | AllocationError {
  let delay = policy.baseDelayMs;
  let last: AllocationError | null = null;
  for (let attempt = 0; attempt < Math.max(1, policy.attempts); attempt++) {
    if (attempt > 0) {
      Atomics.wait(sleeper, 0, 0, delay);
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
    try {
      return allocator.allocate(ctor, length, shared, label);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      last = e;
    }
  }
  return last as AllocationError;
}
