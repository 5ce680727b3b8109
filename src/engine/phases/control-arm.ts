import type { SimulationBackend, StateBufferName } from '../../backends/backend.js';
import { STATE_BUFFER_NAMES } from '../../backends/backend.js';
import type { Allocator } from '../../memory/allocator.js';
import { ActivityLog } from '../../record/activity-log.js';
import type { PairedLayout } from '../paired-controls.js';

/** Raised when paired replicas differ before injection: a bug in the simulator or the pairing, never a finding about the column. */
export class PairingError extends Error {
  override readonly name = 'PairingError';
}

/** Ring buffers are laid out [slot][replica][neuron]; every other state buffer [replica][...]. */
const RINGS: ReadonlySet<StateBufferName> = new Set(['ringExcPa', 'ringInhPa']);

/**
 * The control replicas of an experiment and where they run: in the treated
 * backend's batch (`same-batch`), or in a backend of their own stepped in
 * lockstep with the treated one (`separate-run`); none in baseline mode.
 * The judge reads their spikes from `activity`.
 */
export class ControlArm {
  /** Binned spikes of the control replicas (the treated backend's log when they share its batch). */
  readonly activity: ActivityLog;

  private constructor(
    readonly layout: PairedLayout,
    /** The backend the control replicas live in (the treated one for same-batch). */
    readonly backend: SimulationBackend,
    readonly allocator: Allocator,
    activity: ActivityLog,
    private readonly separate: boolean,
  ) {
    this.activity = activity;
  }

  /**
   * @param treated the experiment's backend, whose activity log is `treatedActivity`
   * @param control the control backend (required for separate-run layouts)
   * @throws PairingError when a backend does not have the layout's batch and noise streams, or a separate-run control is missing
   */
  static of(layout: PairedLayout, treated: SimulationBackend, treatedActivity: ActivityLog, treatedAllocator: Allocator, control?: { backend: SimulationBackend; allocator: Allocator }): ControlArm {
    checkBackend(treated, layout.batch, layout.noiseStreams, 'the treated backend');
    if (layout.controlRun !== 'separate-run') return new ControlArm(layout, treated, treatedAllocator, treatedActivity, false);
    if (!control) throw new PairingError(`internal error: a paired experiment whose fault acts on what replicas share needs its control backend (${layout.controlBatch} replicas)`);
    checkBackend(control.backend, layout.controlBatch!, layout.noiseStreams, 'the control backend');
    if (control.backend.currentStep !== treated.currentStep) throw new PairingError(`internal error: the control backend is at step ${control.backend.currentStep}, the treated one at ${treated.currentStep}`);
    const activity = new ActivityLog(control.backend.network, control.backend.batch);
    control.backend.recorder.activity = activity;
    return new ControlArm(layout, control.backend, control.allocator, activity, true);
  }

  /** Whether there are control replicas at all (false in baseline mode). */
  get paired(): boolean {
    return this.layout.controls.length > 0;
  }

  /**
   * Brings a separate control run up to `step` (the treated backend's step);
   * nothing for same-batch or baseline.
   * @returns whether a signal interrupted it
   */
  async catchUp(step: number, signal?: AbortSignal): Promise<boolean> {
    if (!this.separate) return false;
    const n = step - this.backend.currentStep;
    if (n < 0) throw new PairingError(`internal error: the control backend ran ahead of the treated one (step ${this.backend.currentStep} > ${step})`);
    if (n === 0) return false;
    return (await this.backend.run(n, { signal })).interrupted;
  }

  /**
   * Checks that control k and treated k are bit-identical before injection:
   * the same spikes since step 0 and the same state (membranes, currents,
   * refractory counts, input rings, fault tables), replica by replica.
   * Paired controls rest on it: a difference is an internal error.
   * @param treated the treated backend, at the step the control is at
   * @throws PairingError naming the pair, the buffer and the first index that differs
   */
  assertIdentical(treated: SimulationBackend): void {
    const { treated: tReps, controls: cReps } = this.layout;
    if (!cReps.length) return;
    if (treated.currentStep !== this.backend.currentStep) throw new PairingError(`internal error: paired controls at step ${this.backend.currentStep}, treated at ${treated.currentStep}`);
    const n = treated.network.neuronCount;
    for (let k = 0; k < cReps.length; k++) {
      const c = cReps[k];
      const t = tReps[k];
      const at = `paired control ${c} and treated replica ${t} (trial ${k}) differ before injection at step ${treated.currentStep}`;
      if (this.backend.recorder.replicaHash(c) !== treated.recorder.replicaHash(t)) throw new PairingError(`internal error: ${at}: their spike trains`);
      for (const name of STATE_BUFFER_NAMES) {
        const cb = this.backend.buffer(name);
        const tb = treated.buffer(name);
        const d = firstDifference(cb, this.backend.batch, c, tb, treated.batch, t, RINGS.has(name) ? n : null);
        if (d !== null) throw new PairingError(`internal error: ${at}: ${name}[${d.index}] of the replica is ${d.a} in the control, ${d.b} in the treated`);
      }
    }
  }

  /** Detaches the control's activity log (the backend itself is the engine's to dispose). */
  release(): void {
    if (this.separate) this.backend.recorder.activity = null;
  }
}

function checkBackend(b: SimulationBackend, batch: number, streams: readonly number[], what: string): void {
  if (b.batch !== batch) throw new PairingError(`internal error: ${what} runs ${b.batch} replicas; the paired layout needs ${batch}`);
  const got = b.noiseStreams();
  if (got.some((s, i) => s !== streams[i])) throw new PairingError(`internal error: ${what} draws noise streams [${got.join(', ')}]; the paired layout needs [${streams.join(', ')}]`);
}

/**
 * First index (within the replica's slice) at which replica `ca` of buffer `a`
 * (batch `na`) and replica `cb` of `b` (batch `nb`) differ, with both values,
 * or null (buffers of different shapes differ at index 0, their lengths given).
 * `ringNeurons`: the buffer is [slot][replica][neuron] with that many neurons; else [replica][...].
 */
function firstDifference(a: ArrayLike<number>, na: number, ca: number, b: ArrayLike<number>, nb: number, cb: number, ringNeurons: number | null): { index: number; a: number; b: number } | null {
  const slices = (len: number, batch: number, r: number): [number, number][] => {
    if (ringNeurons === null) {
      const per = len / batch;
      return [[r * per, per]];
    }
    const slots = len / (batch * ringNeurons);
    return Array.from({ length: slots }, (_, s) => [(s * batch + r) * ringNeurons, ringNeurons]);
  };
  const sa = slices(a.length, na, ca);
  const sb = slices(b.length, nb, cb);
  if (sa.length !== sb.length || sa[0][1] !== sb[0][1]) return { index: 0, a: a.length, b: b.length };
  let offset = 0;
  for (let k = 0; k < sa.length; k++) {
    const [fa, len] = sa[k];
    const fb = sb[k][0];
    // Object.is tells NaN from NaN equal and 0 from -0 apart: bit for bit, as far as values go.
    for (let i = 0; i < len; i++) if (!Object.is(a[fa + i], b[fb + i])) return { index: offset + i, a: a[fa + i], b: b[fb + i] };
    offset += len;
  }
  return null;
}
