import { PRECISIONS } from '../precision.js';
import { deliverSpikes, type DeviceGatherTable } from '../../../kernels/tfjs/deliver_spikes.js';
import { buildDelayGatherTable, offsetToSlab, tableWeights, type DelayGatherTable } from '../../../kernels/tfjs/gather_table.js';
import { containNonFinite, sanitizeInputs } from '../../../kernels/tfjs/guards.js';
import { lifStep } from '../../../kernels/tfjs/lif_step.js';
import { lifStepFaulted } from '../../../kernels/tfjs/lif_step_faulted.js';
import { hostDrives, type DriveBuffers, type HostPoissonDrive } from '../../../kernels/tfjs/poisson_drive.js';
import type { LifParamTensors, Tensor, Tf, Variable } from '../../../kernels/tfjs/types.js';
import type { DeviceReservation } from '../../memory/allocator.js';
import type { Network } from '../../model/network.js';
import { unsupported } from '../../util/errors.js';
import type { BackendMetrics, RunOptions, RunOutcome, SimulationOptions, StateBufferName, StepEffects } from '../backend.js';
import { BackendShell } from '../backend-shell.js';
import { planKernels } from '../kernel-plan.js';
import { createDeviceState, deviceStateBytes, disposeDeviceState, downloadBuffers, downloadBuffersAsync, isDeviceBuffer, uploadBuffers, type DeviceBufferName, type DeviceState } from './device-state.js';
import type { TfjsRuntime } from './tfjs-runtime.js';
import { takeDeviceErrors } from './webgpu-device.js';

/** What the device holds for one simulation, as reported in metrics. */
export interface DeviceMemory {
  /** The tfjs flavour (tfjs-node-gpu, tfjs-webgpu, tfjs-node, tfjs-cpu). */
  flavour: string;
  /** Bytes of this simulation's tensors (state variables, connectivity, parameters), taken from the allocator's budget. */
  bytes: number;
  /** tf.memory() of the whole tfjs engine: every simulation in the process, plus tfjs's own. */
  engineBytes: number;
  engineTensors: number;
}

/**
 * The TensorFlow.js backend: B replicas as [batch, neurons] tensors, one
 * step = one batch of tensor ops (kernels/tfjs), state in tf.Variables
 * updated in place. The chaos layer works on host mirrors: buffer(name)
 * downloads the device state once per between-runs window and marks it
 * dirty; the next run() uploads what was handed out. Weights are compared
 * with what was last uploaded at each run() and re-uploaded when a fault or
 * the scrubber changed them.
 */
export class TfjsBackend extends BackendShell {
  readonly name = 'tfjs';
  readonly flavour: string;
  private readonly tf: Tf;
  private readonly dev: DeviceState;
  private readonly params: LifParamTensors;
  private readonly table: DelayGatherTable;
  private readonly deviceTable: DeviceGatherTable;
  private readonly tableHostEx: Float32Array;
  private readonly tableHostIn: Float32Array;
  private readonly uploadedWeights: Uint32Array;
  private readonly outDegree: Uint32Array;
  private readonly fused: HostPoissonDrive[];
  private readonly separate: HostPoissonDrive[];
  private readonly drives: DriveBuffers;
  private readonly zeroRefractory: Int32Array;
  private readonly spikeList: Int32Array;
  private readonly guardCounts: Variable | null;
  /** The guard counters as they were at dispose (the device copy is gone then). */
  private finalGuardCounts: Int32Array | null = null;
  private readonly reservation: DeviceReservation;
  private readonly connectivityDeviceBytes: number;
  /** Host mirrors hold the device state (downloaded since the last step). */
  private mirrorFresh = true;
  /** Mirrors handed out (or restored) since the last upload: the device copy is stale. */
  private readonly dirty = new Set<DeviceBufferName>();
  /** The tfjs engine backend this simulation's tensors live on (the engine has one active backend per process). */
  private readonly tfBackend: string;
  /** False on tfjs-webgpu: reads are awaited (spikes once per chunk, state once per run). */
  private readonly syncReads: boolean;
  /** Guard counters as last read (async-read flavours read them with the state at the end of a run). */
  private lastGuardCounts: Int32Array | null = null;
  private readonly readCounts = { chunks: 0, hostSyncs: 0 };

  constructor(network: Network, runtime: TfjsRuntime, options: SimulationOptions = {}) {
    // tfjs rounds every op to float32 whatever is asked: 'float32' describes it, 'float64' (the default) asks it to follow the reference as closely as that allows.
    super(network, options, { sharedState: false, guardShards: 1, precisions: { backend: 'tfjs', supported: PRECISIONS } });
    const tf = runtime.tf;
    this.tf = tf;
    this.flavour = runtime.flavour;
    this.tfBackend = runtime.tfBackend;
    this.syncReads = runtime.syncReads;
    try {
      this.useEngineBackend();
    } catch (e) {
      this.abandon(e);
    }
    const batch = this.batch;
    const host = this.state;
    const n = network.neuronCount;
    this.table = buildDelayGatherTable(network.synapses, n);
    const entries = this.table.paddedEntries;
    // The largest tensors of a step are [batch, paddedEntries] (gathered spikes, selected weights); a WebGPU device binds each whole.
    const largestBytes = batch * entries * 4;
    if (largestBytes > runtime.maxTensorBytes) {
      this.abandon(unsupported(runtime.flavour, 'network size', `its gather table makes [batch, padded entries] tensors of ${largestBytes} bytes (batch ${batch} x ${entries} entries x 4), above the device's largest storage binding (${runtime.maxTensorBytes} bytes); use a smaller batch or network, or --backend webgpu`, 'batch'));
    }
    // The device's share of the budget: state variables, gather table (sources, two weight sets), parameters.
    const stateBytes = 4 * (host.membraneMv.length * 4 + host.ringExcPa.length * 2 + host.faultParams.length + host.faultCode.length);
    this.connectivityDeviceBytes = entries * 4 + 3 * batch * entries * 4 + host.ringSlots * 4;
    try {
      this.reservation = this.allocator.reserve(stateBytes + this.connectivityDeviceBytes + 10 * batch * n * 4, 'tfjs device tensors');
    } catch (e) {
      this.abandon(e);
    }

    const plan = planKernels(network);
    this.fused = plan.populations.flatMap((p) => (p.fusedPoisson ? [p.fusedPoisson] : []));
    this.separate = plan.poisson;
    const expand = (f: (lif: (typeof plan.populations)[number]['lif']) => number, dtype: 'float32' | 'int32' = 'float32') => {
      const a = dtype === 'int32' ? new Int32Array(batch * n) : new Float32Array(batch * n);
      for (let b = 0; b < batch; b++) for (const p of plan.populations) a.fill(f(p.lif), b * n + p.start, b * n + p.end);
      return tf.tensor2d(a, [batch, n], dtype);
    };
    this.params = {
      restingMv: expand((l) => l.restingMv),
      thresholdMv: expand((l) => l.thresholdMv),
      resetMv: expand((l) => l.resetMv),
      dcTerm: expand((l) => l.p20 * l.dcPa),
      p22: expand((l) => l.p22),
      p11ex: expand((l) => l.p11ex),
      p11in: expand((l) => l.p11in),
      p21ex: expand((l) => l.p21ex),
      p21in: expand((l) => l.p21in),
      refractorySteps: expand((l) => l.refractorySteps, 'int32'),
    };
    this.tableHostEx = new Float32Array(entries);
    this.tableHostIn = new Float32Array(entries);
    const w = network.synapses.weightsPa;
    this.uploadedWeights = new Uint32Array(w.length);
    this.deviceTable = {
      sources: tf.tensor1d(this.table.sources, 'int32'),
      weightsEx: tf.zeros([batch, entries]),
      weightsIn: tf.zeros([batch, entries]),
      zeros: tf.zeros([batch, entries]),
      offsetToSlab: tf.tensor1d(offsetToSlab(this.table, host.ringSlots), 'int32'),
      delayCount: this.table.delays.length,
      width: this.table.width,
    };
    this.uploadWeights();
    this.outDegree = new Uint32Array(n);
    for (let s = 0; s < n; s++) this.outDegree[s] = network.synapses.rowPtr[s + 1] - network.synapses.rowPtr[s];
    this.drives = { preEx: new Float32Array(batch * n), preIn: new Float32Array(batch * n), fusedEx: new Float32Array(batch * n), kickMv: new Float32Array(batch * n), written: { pre: false, preIn: false, fused: false, kick: false } };
    this.zeroRefractory = new Int32Array(batch * n);
    this.spikeList = new Int32Array(n);
    this.dev = createDeviceState(tf, host);
    this.guardCounts = this.guards ? tf.variable(tf.zeros([2], 'int32'), false, undefined, 'int32') : null;
  }

  /** Re-uploads the table's weights from the live CSR weights (after a weight fault or a scrubber repair). */
  private uploadWeights(): void {
    const w = this.network.synapses.weightsPa;
    tableWeights(this.table, w, this.tableHostEx, this.tableHostIn);
    this.deviceTable.weightsEx.dispose();
    this.deviceTable.weightsIn.dispose();
    const tf = this.tf;
    const tiled = (host: Float32Array) => tf.tidy(() => tf.tile(tf.tensor2d(host, [1, host.length]), [this.batch, 1]));
    this.deviceTable.weightsEx = tiled(this.tableHostEx);
    this.deviceTable.weightsIn = tiled(this.tableHostIn);
    this.uploadedWeights.set(new Uint32Array(w.buffer, w.byteOffset, w.length));
  }

  private weightsChanged(): boolean {
    const w = this.network.synapses.weightsPa;
    const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
    const up = this.uploadedWeights;
    for (let k = 0; k < bits.length; k++) if (bits[k] !== up[k]) return true;
    return false;
  }

  /**
   * Makes this simulation's tfjs backend the engine's active one: tfjs runs
   * every op on one active backend per process, and a process may hold
   * simulations on two flavours (tfjs-cpu and tfjs-webgpu). Switching to an
   * initialised backend is synchronous in tfjs-core.
   */
  private useEngineBackend(): void {
    const tf = this.tf;
    if (tf.getBackend() === this.tfBackend) return;
    void tf.setBackend(this.tfBackend);
    if (tf.getBackend() !== this.tfBackend) throw new Error(`tfjs could not switch to its "${this.tfBackend}" backend (still on "${tf.getBackend()}")`);
  }

  /** Steps per chunk when spikes are read once per chunk: their [steps, batch, neurons] tensor stays under 16 Mi elements. */
  protected override maxChunkSteps(): number {
    if (this.syncReads) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.floor(2 ** 24 / (this.batch * this.network.neuronCount)));
  }

  /** Puts what the chaos layer changed between runs onto the device. */
  protected override prepareRun(): void {
    this.useEngineBackend();
    if (this.dirty.size > 0) {
      uploadBuffers(this.tf, this.dev, this.state, this.dirty);
      this.dirty.clear();
    }
    if (this.weightsChanged()) this.uploadWeights();
  }

  private get anyFaulted(): boolean {
    return this.state.faultedPopulations.some((f) => f !== 0);
  }

  protected advanceSteps(steps: number): void | Promise<void> {
    this.useEngineBackend();
    if (!this.syncReads) return this.advanceStepsAsyncRead(steps);
    for (let k = 0; k < steps; k++) {
      const spiked = this.stepOnDevice();
      this.record(this.step, spiked.dataSync() as Uint8Array);
      spiked.dispose();
      this.step++;
      if (this.scrubber && this.scrubber.tick(this.step).length > 0) this.uploadWeights();
    }
    this.mirrorFresh = false;
  }

  /**
   * A chunk with one awaited read: every step's spikes stay on the device
   * (the drive and storms are computed on the host and need nothing back),
   * stacked and read once at the end, then recorded in step order.
   */
  private async advanceStepsAsyncRead(steps: number): Promise<void> {
    const tf = this.tf;
    const first = this.step;
    const perStep: Tensor[] = [];
    try {
      for (let k = 0; k < steps; k++) {
        perStep.push(this.stepOnDevice());
        this.step++;
        if (this.scrubber && this.scrubber.tick(this.step).length > 0) this.uploadWeights();
      }
      this.mirrorFresh = false;
      const stacked = tf.stack(perStep);
      let all: Uint8Array;
      try {
        all = (await stacked.data()) as Uint8Array;
      } finally {
        stacked.dispose();
      }
      this.readCounts.chunks++;
      this.readCounts.hostSyncs++;
      const errors = takeDeviceErrors();
      if (errors.length > 0) throw new Error(`${this.flavour}: the WebGPU device reported ${errors.length} error(s) during steps ${first}..${this.step - 1}, so their results are void: ${errors[0]}`);
      const bn = this.batch * this.network.neuronCount;
      for (let k = 0; k < steps; k++) this.record(first + k, all.subarray(k * bn, (k + 1) * bn));
    } finally {
      for (const t of perStep) t.dispose();
    }
  }

  /** Runs `steps` steps; on an async-read flavour, then reads the state back once (so buffer() and checkpoint() after it see the device state). */
  protected override async runSession(steps: number, options: RunOptions = {}): Promise<RunOutcome> {
    const outcome = await super.runSession(steps, options);
    if (!this.syncReads && !this.mirrorFresh) {
      this.useEngineBackend();
      this.lastGuardCounts = this.guardCounts ? ((await this.guardCounts.data()) as Int32Array) : null;
      await downloadBuffersAsync(this.dev, this.state);
      this.readCounts.hostSyncs++;
      const errors = takeDeviceErrors();
      if (errors.length > 0) throw new Error(`${this.flavour}: the WebGPU device reported an error while the state was read back: ${errors[0]}`);
      this.mirrorFresh = true;
    }
    return outcome;
  }

  /** Chunks run and awaited device reads, for the bench (async-read flavours; zero on the others). */
  get deviceReads(): { chunks: number; hostSyncs: number } {
    return { ...this.readCounts };
  }

  /** One step on the device: returns the [batch, neurons] bool spike tensor (the caller disposes it). */
  private stepOnDevice(): Tensor {
    const tf = this.tf;
    const { batch: B } = this;
    const n = this.network.neuronCount;
    const S = this.state.ringSlots;
    const faulted = this.anyFaulted;
    const dev = this.dev;
    const d = this.drives;
    const step = this.step;
    hostDrives(this.fused, this.separate, this.effects.storms, this.seed, this.state.noiseStreams, step, B, n, this.zeroRefractory, d);
    return tf.tidy(() => {
      const slot = step % S;
      let ex: Tensor = tf.reshape(tf.slice(dev.ringExcPa, [slot, 0, 0], [1, B, n]), [B, n]);
      let inh: Tensor = tf.reshape(tf.slice(dev.ringInhPa, [slot, 0, 0], [1, B, n]), [B, n]);
      if (d.written.pre) ex = tf.add(ex, tf.tensor2d(d.preEx, [B, n]));
      if (d.written.preIn) inh = tf.add(inh, tf.tensor2d(d.preIn, [B, n]));
      let v: Tensor = dev.membraneMv;
      if (d.written.kick) v = tf.add(v, tf.where(tf.equal(dev.refractorySteps, tf.scalar(0, 'int32')), tf.tensor2d(d.kickMv, [B, n]) as Tensor, tf.scalar(0)));
      if (d.written.fused) ex = tf.add(ex, tf.tensor2d(d.fusedEx, [B, n]));
      const guards = this.guards;
      let touched: Tensor | null = null;
      // After the fused drive: the cap is on the whole input of the step, as in the CPU kernels.
      if (guards) ({ ex, inh, touched } = sanitizeInputs(tf, ex, inh, guards.capPa));
      const state = { v, iEx: dev.currentExcPa, iIn: dev.currentInhPa, refractory: dev.refractorySteps };
      let out = faulted ? lifStepFaulted(tf, this.params, state, ex, inh, dev.faultCode, dev.faultParams) : lifStep(tf, this.params, state, ex, inh);
      if (guards && this.guardCounts) {
        const c = containNonFinite(tf, out.v, out.iEx, out.iIn, out.refractory, this.params.resetMv, guards.quarantineSteps);
        out = { ...out, v: c.v, iEx: c.iEx, iIn: c.iIn, refractory: c.refractory };
        this.guardCounts.assign(tf.add(this.guardCounts, tf.stack([c.contained, touched!])));
      }
      const rings = deliverSpikes(tf, this.deviceTable, out.spiked, dev.ringExcPa, dev.ringInhPa, slot);
      dev.membraneMv.assign(out.v);
      dev.currentExcPa.assign(out.iEx);
      dev.currentInhPa.assign(out.iIn);
      dev.refractorySteps.assign(out.refractory);
      dev.ringExcPa.assign(rings.ringEx);
      dev.ringInhPa.assign(rings.ringIn);
      return out.spiked;
    });
  }

  private record(step: number, spiked: Uint8Array): void {
    const n = this.network.neuronCount;
    for (let b = 0; b < this.batch; b++) {
      let count = 0;
      const base = b * n;
      for (let i = 0; i < n; i++) {
        if (spiked[base + i] !== 0) {
          this.spikeList[count++] = i;
          this.events += this.outDegree[i];
        }
      }
      this.recorder.record(step, b, this.spikeList, count);
    }
  }

  /** Downloads the device state into the host mirrors once per between-runs window. */
  protected override pullState(): void {
    if (this.mirrorFresh) return;
    // Unreachable through run(), which reads the state back at its end on these flavours.
    if (!this.syncReads) throw new Error(`${this.flavour} reads the device asynchronously: the state is read at the end of run(), not in the middle of one`);
    this.useEngineBackend();
    downloadBuffers(this.dev, this.state);
    this.mirrorFresh = true;
  }

  /** Written mirrors are uploaded by the next run(). */
  protected override stateWritten(names: readonly StateBufferName[]): void {
    for (const name of names) if (isDeviceBuffer(name)) this.dirty.add(name);
  }

  // Writes to synapses() land in the host CSR weights; run() compares and re-uploads.

  override setStepEffects(effects: StepEffects): void {
    if (effects.partitions.length > 0) {
      throw unsupported('tfjs', 'partition', 'its delivery runs as one gather per step with no per-synapse cut (use --backend workers or cpu for partitions)');
    }
    super.setStepEffects(effects);
  }

  private guardCountsNow(): Int32Array | null {
    if (this.finalGuardCounts) return this.finalGuardCounts;
    if (!this.syncReads) return this.lastGuardCounts;
    return this.guardCounts ? (this.guardCounts.dataSync() as Int32Array) : null;
  }

  protected override metricsOverrides(): Partial<BackendMetrics> {
    const counts = this.guardCountsNow();
    return {
      stateBytes: deviceStateBytes(this.dev),
      connectivityBytes: this.connectivityDeviceBytes,
      nonFiniteContained: counts ? counts[0] : 0,
      inputsCapped: counts ? counts[1] : 0,
      device: this.deviceMemory(),
    };
  }

  deviceMemory(): DeviceMemory {
    const m = this.tf.memory();
    return { flavour: this.flavour, bytes: this.reservation.bytes, engineBytes: m.numBytes, engineTensors: m.numTensors };
  }

  /** How the connectivity sits on the device: padded entries of the gather table against synapses. */
  get layout(): { delays: number; width: number; paddedEntries: number; synapses: number } {
    return { delays: this.table.delays.length, width: this.table.width, paddedEntries: this.table.paddedEntries, synapses: this.table.synapseCount };
  }

  protected override releaseKernels(): void {
    this.finalGuardCounts = this.guardCountsNow()?.slice() ?? null;
    disposeDeviceState(this.dev);
    for (const t of Object.values(this.params)) (t as Tensor).dispose();
    this.deviceTable.sources.dispose();
    this.deviceTable.weightsEx.dispose();
    this.deviceTable.weightsIn.dispose();
    this.deviceTable.zeros.dispose();
    this.deviceTable.offsetToSlab.dispose();
    this.guardCounts?.dispose();
    this.allocator.release(this.reservation);
  }
}
