import { AllocationError, type Allocator } from '../memory/allocator.js';
import { allocateWithRetry } from '../memory/allocate-with-retry.js';
import type { ChunkSource } from './spike-store.js';

/** The allocator label of spike-record chunks (monitors leave it out of memory: it grows by design). */
export const SPIKE_RECORD_LABEL = 'spike record';

/** The smallest chunk the recorder falls back to before it gives up (8 KiB of pairs). */
export const MIN_CHUNK_PAIRS = 1024;

/**
 * Spike-record chunks taken from the simulation allocator. When a chunk is
 * refused (after retries with backoff) the recorder degrades: it asks for
 * ever smaller chunks, down to MIN_CHUNK_PAIRS, and reports what it gave up.
 * Below that it stops the run with a clear error rather than drop a spike:
 * the record must stay complete.
 */
export function allocatorChunks(allocator: Allocator, degrade = true, label = SPIKE_RECORD_LABEL): ChunkSource {
  let preferred: number | null = null;
  return {
    take(pairs: number): Int32Array {
      if (!degrade) return allocator.allocate(Int32Array, pairs * 2, false, label);
      let size = Math.min(pairs, preferred ?? pairs);
      let last: AllocationError | null = null;
      while (size >= MIN_CHUNK_PAIRS) {
        const got = allocateWithRetry(allocator, Int32Array, size * 2, false, label);
        if (!(got instanceof AllocationError)) {
          if (size < pairs && size !== preferred) {
            allocator.reportDegradation({ component: 'spike recorder', gaveUp: `record chunks reduced from ${pairs} to ${size} spikes`, reason: last?.message ?? 'allocation refused' });
          }
          preferred = size < pairs ? size : null;
          return got;
        }
        last = got;
        size = Math.floor(size / 2);
      }
      throw new AllocationError(label, MIN_CHUNK_PAIRS * 8, last?.reason ?? 'budget', `the spike record cannot grow even by ${MIN_CHUNK_PAIRS} spikes (${last?.message ?? 'refused'}); the run stops here so that no spike goes unrecorded`);
    },
    give(chunk: Int32Array): void {
      allocator.release(chunk);
    },
  };
}
