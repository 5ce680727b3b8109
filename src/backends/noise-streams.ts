import { InputError } from '../util/errors.js';

/** Largest noise stream index: the counter-based generator mixes it in as a uint32 word. */
export const MAX_NOISE_STREAM = 0xffffffff;

/**
 * The replica-to-noise-stream map: replica b draws its Poisson drive and its
 * initial membrane potentials from noise stream `streams[b]`. The default is
 * the identity (replica b draws stream b), which is what every backend did
 * before the map existed, so spike hashes are unchanged. Two replicas given
 * the same stream (and the same state) see the same drive spike for spike:
 * the paired control of a chaos experiment (control k and treated k differ
 * only by the fault). Storms and other faults stay keyed by the replica.
 */
export function identityNoiseStreams(batch: number): number[] {
  return Array.from({ length: batch }, (_, b) => b);
}

/**
 * Checks a noise-stream map: `batch` integers in [0, 4294967295].
 * @throws InputError naming `field` and the allowed range
 */
export function validateNoiseStreams(streams: unknown, batch: number, field = 'noiseStreams'): number[] {
  if (!Array.isArray(streams) && !ArrayBuffer.isView(streams)) throw new InputError(field, `must be an array of ${batch} noise stream indices (one per replica)`);
  const list = Array.from(streams as ArrayLike<unknown>);
  if (list.length !== batch) throw new InputError(field, `must hold one noise stream per replica: ${batch} entries (got ${list.length})`);
  list.forEach((s, b) => {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > MAX_NOISE_STREAM) {
      throw new InputError(`${field}[${b}]`, `must be an integer in [0, ${MAX_NOISE_STREAM}] (got ${String(s)})`);
    }
  });
  return list as number[];
}
