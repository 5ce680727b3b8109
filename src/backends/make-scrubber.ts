import { WeightScrubber, type ScrubOptions } from '../defences/weight-scrubber.js';
import type { Synapses } from '../model/network.js';

/** A scrubber over the live weights when scrubbing is asked for and not switched off. */
export function makeScrubber(synapses: Synapses, options: ScrubOptions | undefined): WeightScrubber | null {
  if (!options || options.enabled === false) return null;
  const w = synapses.weightsPa;
  return new WeightScrubber(new Uint32Array(w.buffer, w.byteOffset, w.length), options);
}
