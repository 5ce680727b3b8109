import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulationBackend } from '../backends/backend.js';
import type { Allocator } from '../memory/allocator.js';
import { compareRecording } from '../record/compare-recording.js';
import type { DurableRecordingStats, FsyncPolicy } from '../record/durable-recording-options.js';
import { DurableSpikeWriter } from '../record/durable-spike-writer.js';
import { validateRecording, type RecordingGap } from '../record/read-recording.js';
import type { Scenario } from './scenario-schema.js';
import { roundedSteps } from '../util/time-steps.js';

/** What an experiment's spike recording did, checked against the in-memory record. */
export interface RecordingFigures extends Pick<DurableRecordingStats, 'blocksWritten' | 'bytesWritten' | 'fsyncs' | 'writeErrors' | 'fsyncErrors' | 'retries' | 'maxBacklogBytes'> {
  mode: 'durable' | 'raw';
  /** The recording file; absent when it went to the engine's temporary folder, removed after the run (`removed`). */
  path?: string;
  /** True when the file was temporary and is gone (ChaosEngine without recordDir): the figures stay, the file does not. */
  removed?: boolean;
  fsync: FsyncPolicy;
  /** Spikes the simulation produced that the file lacks, and entries the file holds twice (checked spike by spike). */
  spikesLost: number;
  spikesDuplicated: number;
  spikesRecorded: number;
  backlogBoundBytes: number;
  /** Data-loss events the writer raised (each also in the file as a loss block). */
  lossEvents: number;
  /** What the reader found: gaps (first 20) and whether the file validates. */
  gaps: RecordingGap[];
  valid: boolean;
}

/**
 * The spike recording of one experiment: a durable (or raw) writer on the
 * backend's recorder, advanced after each run, closed and validated at the end.
 */
export class ExperimentRecording {
  readonly writer: DurableSpikeWriter;
  private readonly mode: 'durable' | 'raw';
  private readonly fsync: 'block' | 'interval' | 'none';

  private constructor(writer: DurableSpikeWriter, mode: 'durable' | 'raw', fsync: 'block' | 'interval' | 'none') {
    this.writer = writer;
    this.mode = mode;
    this.fsync = fsync;
  }

  /** Null when the scenario switches recording off. */
  static start(backend: SimulationBackend, scenario: Scenario, dir: string, id: string, allocator: Allocator): ExperimentRecording | null {
    const d = scenario.defences;
    if (d.recording === 'off') return null;
    mkdirSync(dir, { recursive: true });
    const writer = DurableSpikeWriter.create(
      { path: join(dir, `${id}.spikes`), defended: d.recording === 'durable', fsync: d.fsync, fsyncIntervalMs: d.fsyncIntervalMs, backlogBytes: d.recordingBacklogBytes, blockSteps: Math.max(1, roundedSteps(10, backend.network.dtMs, 'recording block', { minSteps: 0 })), allocator },
      backend.network,
      backend.batch,
      backend.seed,
      backend.currentStep,
    );
    writer.attach(backend.recorder);
    return new ExperimentRecording(writer, d.recording, d.fsync);
  }

  advance(step: number): void {
    this.writer.advance(step);
  }

  get spikesLostSoFar(): number {
    return this.writer.stats.spikesLost;
  }

  get backlogBytes(): number {
    return this.writer.stats.backlogBytes;
  }

  get backlogBoundBytes(): number {
    return this.writer.options.backlogBytes;
  }

  /** Closes the file (retrying what is still pending) and checks it against the in-memory record. */
  finish(backend: SimulationBackend): RecordingFigures {
    const s = this.writer.close(backend.currentStep);
    backend.recorder.sink = null;
    const v = validateRecording(this.writer.path);
    const c = compareRecording(v, backend.recorder, v.meta.startStep, backend.currentStep);
    return {
      mode: this.mode,
      path: this.writer.path,
      fsync: this.fsync,
      spikesLost: c.spikesLost,
      spikesDuplicated: c.spikesDuplicated,
      spikesRecorded: v.spikes,
      blocksWritten: s.blocksWritten,
      bytesWritten: s.bytesWritten,
      fsyncs: s.fsyncs,
      writeErrors: s.writeErrors,
      fsyncErrors: s.fsyncErrors,
      retries: s.retries,
      maxBacklogBytes: s.maxBacklogBytes,
      backlogBoundBytes: this.writer.options.backlogBytes,
      lossEvents: s.lossEvents,
      gaps: v.gaps.slice(0, 20),
      valid: v.ok,
    };
  }
}
