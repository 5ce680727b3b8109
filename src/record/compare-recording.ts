import { entryKeys, type RecordingValidation } from './read-recording.js';
import type { SpikeRecorder } from './spike-recorder.js';

export interface RecordingComparison {
  /** Spikes the simulation recorded in [fromStep, toStep) that the file lacks. */
  spikesLost: number;
  /** Entries the file holds more often than the simulation produced them (or never produced). */
  spikesDuplicated: number;
  /** Spikes in the window, in memory and in the file. */
  expected: number;
  inFile: number;
}

/**
 * Checks a recording against the in-memory record, spike by spike, over
 * [fromStep, toStep): the journal's spikesLost and spikesDuplicated come from
 * here, so they count what is really on disk, not what the writer believes.
 */
export function compareRecording(v: RecordingValidation, recorder: SpikeRecorder, fromStep: number, toStep: number): RecordingComparison {
  const meta = { neurons: recorder.neuronCount, batch: recorder.batch };
  const truthList: number[] = [];
  const perStep = meta.batch * meta.neurons;
  recorder.stores.forEach((store, b) => {
    const pairs = store.toPairs();
    for (let k = 0; k < pairs.length; k += 2) if (pairs[k] >= fromStep && pairs[k] < toStep) truthList.push(pairs[k] * perStep + b * meta.neurons + pairs[k + 1]);
  });
  const truth = Float64Array.from(truthList).sort();
  const all = entryKeys(v.entries, meta);
  const fileList: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const step = v.entries[i * 3];
    if (step >= fromStep && step < toStep) fileList.push(all[i]);
  }
  const file = Float64Array.from(fileList).sort();
  let i = 0;
  let j = 0;
  let lost = 0;
  let dup = 0;
  while (i < truth.length || j < file.length) {
    if (j >= file.length || (i < truth.length && truth[i] < file[j])) {
      lost++;
      i++;
    } else if (i >= truth.length || file[j] < truth[i]) {
      dup++;
      j++;
    } else {
      const key = truth[i];
      i++;
      j++;
      while (j < file.length && file[j] === key) {
        dup++;
        j++;
      }
    }
  }
  return { spikesLost: lost, spikesDuplicated: dup, expected: truth.length, inFile: file.length };
}
