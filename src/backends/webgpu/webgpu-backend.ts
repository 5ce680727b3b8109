/// <reference types="@webgpu/types" />
import { PRECISIONS } from '../precision.js';
import { deliverSpikesWgsl } from '../../../kernels/webgpu/deliver_spikes.js';
import { fixedToMagnitude, magnitudeToFixed } from '../../../kernels/webgpu/fixed_point.js';
import * as L from '../../../kernels/webgpu/layout.js';
import { lifStepWgsl } from '../../../kernels/webgpu/lif_step.js';
import { regularEvents } from '../../../kernels/cpu/inject_storm.js';
import { FAULT_PARAM_STRIDE } from '../../../kernels/cpu/neuron_fault.js';
import type { DeviceReservation } from '../../memory/allocator.js';
import type { Network } from '../../model/network.js';
import type { BackendMetrics, GpuStepCounters, RunOptions, RunOutcome, SimulationOptions, StateBufferName, StepEffects } from '../backend.js';
import { BackendShell } from '../backend-shell.js';
import { checkCompatible, type SimulationCheckpoint } from '../checkpoint.js';
import { planKernels } from '../kernel-plan.js';
import type { AcquiredDevice, AdapterReport } from './device-provider.js';
import { planLayout, MAX_CHUNK_STEPS, type DeviceLayout, type DeviceLimits, type LayoutSplit } from './device-layout.js';
import { buildEffectsBuffer } from './effects-buffer.js';
import { buildModelBuffer, type ModelBuffer } from './model-buffer.js';

// GPUBufferUsage / GPUMapMode as numbers: Node has no WebGPU globals (the constants are the spec's).
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const UNIFORM = 0x0040;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/** A typed array as WebGPU's BufferSource (its types refuse views that may sit on a SharedArrayBuffer). */
function data(a: ArrayBufferView): BufferSource {
  return a as unknown as BufferSource;
}

export type GpuCounters = GpuStepCounters;

/** The host mirrors that have a device copy (faultedPopulations goes with the fault table). */
type MirrorName = 'neurons' | 'rings' | 'faults';
const MIRROR_OF: Record<StateBufferName, MirrorName> = {
  membraneMv: 'neurons',
  currentExcPa: 'neurons',
  currentInhPa: 'neurons',
  refractorySteps: 'neurons',
  ringExcPa: 'rings',
  ringInhPa: 'rings',
  faultCode: 'faults',
  faultParams: 'faults',
  faultedPopulations: 'faults',
};

/**
 * The WebGPU backend (`--backend webgpu`): the column as WGSL compute kernels
 * (kernels/webgpu) on any GPUDevice, written against the standard WebGPU API.
 *
 * Device-resident stepping: state, delay rings, connectivity, fault tables
 * and the spike list live on the device. A chunk of up to MAX_CHUNK_STEPS
 * steps is one submission of two dispatches per step (the neuron kernel,
 * then event-driven delivery); the step index comes from a per-step record
 * bound at a dynamic offset, so no host round trip happens inside a chunk.
 * Spikes are appended on the device and read back once per chunk with the
 * counters (one mapAsync). The host state (the shell's SimulationState) is
 * brought up to date once at the end of every run(), so that the chaos
 * layer, probes and checkpoints read it synchronously; what they write is
 * uploaded before the next run's first chunk.
 *
 * Faults act on device buffers: storms and neuron faults through the device
 * tables (effects buffer, fault table), weight corruption written into the
 * device weight buffer (the changed entries, found against the last upload,
 * and read back after the run into the host weights that verify() reads),
 * partitions in the delivery kernel.
 */
export class WebGpuBackend extends BackendShell {
  readonly name = 'webgpu';
  readonly adapter: AdapterReport;
  readonly layout: DeviceLayout;
  private readonly device: GPUDevice;
  private readonly model: ModelBuffer;
  private readonly buffers: {
    globals: GPUBuffer;
    steps: GPUBuffer;
    neu: GPUBuffer;
    faults: GPUBuffer;
    model: GPUBuffer;
    effects: GPUBuffer;
    ctl: GPUBuffer;
    spikes: GPUBuffer;
    rowPtr: GPUBuffer;
    targets: GPUBuffer[];
    weights: GPUBuffer[];
    rings: GPUBuffer[];
    readCtl: GPUBuffer;
    readSpikes: GPUBuffer;
  };
  private lifPipeline!: GPUComputePipeline;
  private deliverPipeline!: GPUComputePipeline;
  private lifGroup!: GPUBindGroup;
  private deliverGroup!: GPUBindGroup;
  private effectsWords = 1;
  private effectsCounts = { storms: 0, partitions: 0, partOff: 0 };
  private readonly reservation: DeviceReservation;
  private readonly outDegree: Uint32Array;
  private readonly uploadedWeights: Uint32Array;
  /** Weight ranges [lo, hi) written to the device since the last read-back. */
  private weightRangesWritten: [number, number][] = [];
  private readonly dirty = new Set<MirrorName>();
  private effectsDirty = true;
  /** Host mirrors hold the device state. */
  private mirrorFresh = true;
  /** Spikes expected in the next chunk (how much of the list the read-back copies at once). */
  private spikeEstimate = 4096;
  private readonly counters = { stepsEncoded: 0, dispatches: 0, chunks: 0, hostSyncs: 0, chunkSyncs: 0 };
  private guardCounts = { contained: 0, capped: 0 };
  private readonly spikeList: Int32Array;
  private readonly deviceLost: Promise<unknown>;
  private lostReason: string | null = null;

  /** `split`: smaller bindings for the split buffers than the adapter allows (tests of the split path). */
  constructor(network: Network, acquired: AcquiredDevice, options: SimulationOptions = {}, split: LayoutSplit = {}) {
    // WGSL rounds every op to float32 whatever is asked: 'float32' describes it, 'float64' (the default) asks it to follow the reference as closely as that allows.
    super(network, options, { sharedState: false, guardShards: 1, precisions: { backend: 'webgpu', supported: PRECISIONS } });
    this.device = acquired.device;
    this.adapter = acquired.adapter;
    const limits = this.device.limits as unknown as DeviceLimits;
    const maxChunk = this.scrubber ? Math.max(1, Math.min(MAX_CHUNK_STEPS, this.scrubber.everySteps)) : MAX_CHUNK_STEPS;
    try {
      this.layout = planLayout(network, this.batch, this.state.ringSlots, limits, maxChunk, split);
      this.reservation = this.allocator.reserve(this.layout.deviceBytes, 'webgpu device buffers');
    } catch (e) {
      this.abandon(e);
    }
    const lay = this.layout;
    const plan = planKernels(network);
    this.model = buildModelBuffer(network, plan, this.batch);
    const syn = network.synapses;
    this.outDegree = new Uint32Array(lay.n);
    for (let s = 0; s < lay.n; s++) this.outDegree[s] = syn.rowPtr[s + 1] - syn.rowPtr[s];
    this.spikeList = new Int32Array(lay.n);
    const dev = this.device;
    const make = (size: number, usage: number, label: string) => dev.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage, label });
    const rw = STORAGE | COPY_DST | COPY_SRC;
    const rings: GPUBuffer[] = [];
    for (let p = 0; p < lay.ringParts; p++) {
      const replicas = Math.min(lay.replicasPerPart, this.batch - p * lay.replicasPerPart);
      rings.push(make(lay.slots * replicas * lay.n * 16, rw, `ring part ${p}`));
    }
    const targets: GPUBuffer[] = [];
    const weights: GPUBuffer[] = [];
    for (let p = 0; p < lay.synParts; p++) {
      const count = Math.max(1, Math.min(lay.synPerPart, network.synapseCount - p * lay.synPerPart));
      targets.push(make(count * 4, STORAGE | COPY_DST, `targets part ${p}`));
      weights.push(make(count * 4, rw, `weights part ${p}`));
    }
    this.buffers = {
      globals: make(L.GLOBALS_FIELDS.length * 4, UNIFORM | COPY_DST, 'globals'),
      steps: make(lay.maxChunkSteps * L.STEP_RECORD_BYTES, UNIFORM | COPY_DST, 'step records'),
      neu: make(16 * lay.bn, rw, 'neuron state'),
      faults: make(4 * (lay.bn * (1 + FAULT_PARAM_STRIDE) + this.batch * network.populations.length), rw, 'fault table'),
      model: make(this.model.words.byteLength, STORAGE | COPY_DST, 'model'),
      effects: make(64, STORAGE | COPY_DST, 'effects'),
      ctl: make(lay.ctlWords * 4, rw, 'control'),
      spikes: make(lay.spikeCap * 4, rw, 'spike list'),
      rowPtr: make(syn.rowPtr.byteLength, STORAGE | COPY_DST, 'row pointers'),
      targets,
      weights,
      rings,
      readCtl: make(lay.ctlWords * 4, MAP_READ | COPY_DST, 'control read-back'),
      readSpikes: make(lay.spikeCap * 4, MAP_READ | COPY_DST, 'spike read-back'),
    };
    this.deviceLost = this.device.lost.then((info) => {
      this.lostReason = `${info.reason}: ${info.message}`;
    });
    const q = dev.queue;
    q.writeBuffer(this.buffers.model, 0, data(this.model.words));
    q.writeBuffer(this.buffers.rowPtr, 0, data(syn.rowPtr));
    this.uploadConnectivity();
    this.uploadedWeights = new Uint32Array(syn.weightsPa.length);
    this.uploadedWeights.set(new Uint32Array(syn.weightsPa.buffer, syn.weightsPa.byteOffset, syn.weightsPa.length));
    this.uploadWeightRange(0, syn.weightsPa.length, false);
    this.dirty.add('neurons').add('rings').add('faults');
    // Shader and pipeline errors surface asynchronously: the first run awaits this scope.
    dev.pushErrorScope('validation');
    this.buildPipelines();
    this.pipelineErrors = dev.popErrorScope();
  }

  /** Validation errors of the shaders and pipelines, checked before the first submission. */
  private pipelineErrors: Promise<GPUError | null> | null;

  // ---- setup ----

  private uploadConnectivity(): void {
    const syn = this.network.synapses;
    const lay = this.layout;
    for (let p = 0; p < lay.synParts; p++) {
      const lo = p * lay.synPerPart;
      const hi = Math.min(this.network.synapseCount, lo + lay.synPerPart);
      const packed = new Uint32Array(Math.max(1, hi - lo));
      for (let k = lo; k < hi; k++) packed[k - lo] = (syn.targets[k] | (syn.delaySteps[k] << L.TARGET_BITS)) >>> 0;
      this.device.queue.writeBuffer(this.buffers.targets[p], 0, data(packed));
    }
  }

  /** Writes weights [lo, hi) from the host CSR into the device weight parts. */
  private uploadWeightRange(lo: number, hi: number, remember: boolean): void {
    const w = this.network.synapses.weightsPa;
    const lay = this.layout;
    for (let p = Math.floor(lo / lay.synPerPart); p < lay.synParts && p * lay.synPerPart < hi; p++) {
      const a = Math.max(lo, p * lay.synPerPart);
      const b = Math.min(hi, (p + 1) * lay.synPerPart);
      if (b > a) this.device.queue.writeBuffer(this.buffers.weights[p], (a - p * lay.synPerPart) * 4, data(w), a, b - a);
    }
    if (remember) this.weightRangesWritten.push([lo, hi]);
  }

  private buildPipelines(): void {
    const dev = this.device;
    const lay = this.layout;
    const entry = (binding: number, type: GPUBufferBindingType, dynamic = false): GPUBindGroupLayoutEntry => ({ binding, visibility: 0x4 /* COMPUTE */, buffer: { type, hasDynamicOffset: dynamic } });
    const uniforms = [entry(0, 'uniform'), entry(1, 'uniform', true)];
    const lifEntries = [...uniforms, entry(2, 'storage'), entry(3, 'read-only-storage'), entry(4, 'read-only-storage'), entry(5, 'read-only-storage'), entry(6, 'storage'), entry(7, 'storage')];
    for (let p = 0; p < lay.ringParts; p++) lifEntries.push(entry(8 + p, 'storage'));
    const delEntries = [...uniforms, entry(2, 'storage'), entry(3, 'read-only-storage'), entry(4, 'read-only-storage'), entry(5, 'read-only-storage')];
    for (let p = 0; p < 2 * lay.synParts; p++) delEntries.push(entry(6 + p, 'read-only-storage'));
    for (let p = 0; p < lay.ringParts; p++) delEntries.push(entry(6 + 2 * lay.synParts + p, 'storage'));
    const lifLayout = dev.createBindGroupLayout({ entries: lifEntries, label: 'lif' });
    const delLayout = dev.createBindGroupLayout({ entries: delEntries, label: 'deliver' });
    this.lifPipeline = dev.createComputePipeline({
      label: 'lif step',
      layout: dev.createPipelineLayout({ bindGroupLayouts: [lifLayout] }),
      compute: { module: dev.createShaderModule({ code: lifStepWgsl(lay.ringParts), label: 'lif_step.wgsl' }), entryPoint: 'main' },
    });
    this.deliverPipeline = dev.createComputePipeline({
      label: 'deliver spikes',
      layout: dev.createPipelineLayout({ bindGroupLayouts: [delLayout] }),
      compute: { module: dev.createShaderModule({ code: deliverSpikesWgsl(lay.ringParts, lay.synParts), label: 'deliver_spikes.wgsl' }), entryPoint: 'main' },
    });
    this.lifLayout = lifLayout;
    this.delLayout = delLayout;
    this.rebindGroups();
  }

  private lifLayout!: GPUBindGroupLayout;
  private delLayout!: GPUBindGroupLayout;

  private rebindGroups(): void {
    const B = this.buffers;
    const lay = this.layout;
    const buf = (binding: number, buffer: GPUBuffer, size?: number): GPUBindGroupEntry => ({ binding, resource: size === undefined ? { buffer } : { buffer, size } });
    const uniforms = [buf(0, B.globals), buf(1, B.steps, L.STEP_RECORD_BYTES)];
    this.lifGroup = this.device.createBindGroup({
      layout: this.lifLayout,
      entries: [...uniforms, buf(2, B.neu), buf(3, B.faults), buf(4, B.model), buf(5, B.effects), buf(6, B.ctl), buf(7, B.spikes), ...B.rings.map((r, p) => buf(8 + p, r))],
    });
    this.deliverGroup = this.device.createBindGroup({
      layout: this.delLayout,
      entries: [
        ...uniforms,
        buf(2, B.ctl),
        buf(3, B.spikes),
        buf(4, B.rowPtr),
        buf(5, B.effects),
        ...B.targets.map((t, p) => buf(6 + p, t)),
        ...B.weights.map((w, p) => buf(6 + lay.synParts + p, w)),
        ...B.rings.map((r, p) => buf(6 + 2 * lay.synParts + p, r)),
      ],
    });
  }

  // ---- host <-> device ----

  private writeGlobals(): void {
    const lay = this.layout;
    const g: Record<L.GlobalsField, number> = {
      seed: this.seed >>> 0,
      batch: this.batch,
      n: lay.n,
      slots: lay.slots,
      pops: this.network.populations.length,
      storms: this.effectsCounts.storms,
      partitions: this.effectsCounts.partitions,
      guards: this.guards ? 1 : 0,
      capPa: this.guards ? this.guards.capPa : 0,
      quarantine: this.guards ? this.guards.quarantineSteps : 0,
      spikeCap: lay.spikeCap,
      replicasPerPart: lay.replicasPerPart,
      popOff: this.model.popOff,
      driveOff: this.model.driveOff,
      noiseOff: this.model.noiseOff,
      synPerPart: lay.synPerPart,
      faultParamsOff: lay.bn,
      faultPopsOff: lay.bn * (1 + FAULT_PARAM_STRIDE),
      deliverGroups: lay.deliverGroups,
      partOff: this.effectsCounts.partOff,
      dispatchX: lay.lifGroups[0],
      haltOff: L.CTL_STEP_END + lay.maxChunkSteps + 1,
      pad2: 0,
      pad3: 0,
    };
    const words = new Uint32Array(L.GLOBALS_FIELDS.length);
    const floats = new Float32Array(words.buffer);
    L.GLOBALS_FIELDS.forEach((f, k) => {
      if (L.GLOBALS_F32.includes(f)) floats[k] = g[f];
      else words[k] = g[f];
    });
    this.device.queue.writeBuffer(this.buffers.globals, 0, data(words));
  }

  private uploadMirror(name: MirrorName): void {
    const st = this.state;
    const lay = this.layout;
    const q = this.device.queue;
    if (name === 'neurons') {
      const words = new Uint32Array(4 * lay.bn);
      words.set(new Uint32Array(st.membraneMv.buffer, st.membraneMv.byteOffset, lay.bn), 0);
      words.set(new Uint32Array(st.currentExcPa.buffer, st.currentExcPa.byteOffset, lay.bn), lay.bn);
      words.set(new Uint32Array(st.currentInhPa.buffer, st.currentInhPa.byteOffset, lay.bn), 2 * lay.bn);
      words.set(new Uint32Array(st.refractorySteps.buffer, st.refractorySteps.byteOffset, lay.bn), 3 * lay.bn);
      q.writeBuffer(this.buffers.neu, 0, data(words));
    } else if (name === 'faults') {
      const P = this.network.populations.length;
      const words = new Uint32Array(lay.bn * (1 + FAULT_PARAM_STRIDE) + this.batch * P);
      words.set(st.faultCode, 0);
      words.set(new Uint32Array(st.faultParams.buffer, st.faultParams.byteOffset, lay.bn * FAULT_PARAM_STRIDE), lay.bn);
      words.set(st.faultedPopulations, lay.bn * (1 + FAULT_PARAM_STRIDE));
      q.writeBuffer(this.buffers.faults, 0, data(words));
    } else {
      for (let p = 0; p < lay.ringParts; p++) {
        const b0 = p * lay.replicasPerPart;
        const replicas = Math.min(lay.replicasPerPart, this.batch - b0);
        const words = new Uint32Array(lay.slots * replicas * lay.n * 4);
        for (let slot = 0; slot < lay.slots; slot++) {
          for (let bl = 0; bl < replicas; bl++) {
            const host = (slot * this.batch + b0 + bl) * lay.n;
            const dev = (slot * replicas + bl) * lay.n * 4;
            for (let i = 0; i < lay.n; i++) {
              const ex = st.ringExcPa[host + i];
              const inh = st.ringInhPa[host + i];
              if (ex !== 0) magnitudeToFixed(ex, words, dev + 4 * i);
              if (inh !== 0) magnitudeToFixed(inh, words, dev + 4 * i + 2);
            }
          }
        }
        q.writeBuffer(this.buffers.rings[p], 0, data(words));
      }
    }
  }

  /** Copies `sources` into one mappable buffer, waits once, and hands each range's bytes to `take`. */
  private async readBack(sources: { buffer: GPUBuffer; offset: number; size: number }[], take: (parts: ArrayBuffer[]) => void): Promise<void> {
    const total = sources.reduce((s, x) => s + x.size, 0);
    const staging = this.device.createBuffer({ size: Math.max(16, total), usage: MAP_READ | COPY_DST, label: 'state read-back' });
    try {
      const enc = this.device.createCommandEncoder();
      let at = 0;
      for (const s of sources) {
        if (s.size > 0) enc.copyBufferToBuffer(s.buffer, s.offset, staging, at, s.size);
        at += s.size;
      }
      this.device.queue.submit([enc.finish()]);
      await this.mapRead(staging, 0, Math.max(16, total));
      const all = staging.getMappedRange(0, Math.max(16, total));
      at = 0;
      const parts = sources.map((s) => {
        const part = all.slice(at, at + s.size);
        at += s.size;
        return part;
      });
      staging.unmap();
      take(parts);
    } finally {
      staging.destroy();
    }
  }

  private async mapRead(buffer: GPUBuffer, offset: number, size: number): Promise<void> {
    this.counters.hostSyncs++;
    try {
      await buffer.mapAsync(MAP_MODE_READ, offset, size);
    } catch (e) {
      throw new Error(`webgpu: reading the device back failed${this.lostReason ? ` (device lost: ${this.lostReason})` : ''}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Brings the host mirrors (state, rings, fault table, weights written since the last read) up to date with the device: one wait. */
  private async downloadState(): Promise<void> {
    const lay = this.layout;
    const st = this.state;
    const B = this.buffers;
    const sources = [{ buffer: B.neu, offset: 0, size: 16 * lay.bn }, { buffer: B.faults, offset: 0, size: 4 * (lay.bn * (1 + FAULT_PARAM_STRIDE) + this.batch * this.network.populations.length) }];
    for (const r of B.rings) sources.push({ buffer: r, offset: 0, size: r.size });
    const ranges = this.weightRangesWritten;
    this.weightRangesWritten = [];
    for (const [lo, hi] of ranges) {
      for (let p = Math.floor(lo / lay.synPerPart); p < lay.synParts && p * lay.synPerPart < hi; p++) {
        const a = Math.max(lo, p * lay.synPerPart);
        const b = Math.min(hi, (p + 1) * lay.synPerPart);
        // Copies must start and end on 4 bytes: weights are 4 bytes each.
        sources.push({ buffer: B.weights[p], offset: (a - p * lay.synPerPart) * 4, size: (b - a) * 4 });
      }
    }
    await this.readBack(sources, (parts) => {
      const neu = new Uint32Array(parts[0]);
      new Uint32Array(st.membraneMv.buffer, st.membraneMv.byteOffset, lay.bn).set(neu.subarray(0, lay.bn));
      new Uint32Array(st.currentExcPa.buffer, st.currentExcPa.byteOffset, lay.bn).set(neu.subarray(lay.bn, 2 * lay.bn));
      new Uint32Array(st.currentInhPa.buffer, st.currentInhPa.byteOffset, lay.bn).set(neu.subarray(2 * lay.bn, 3 * lay.bn));
      new Uint32Array(st.refractorySteps.buffer, st.refractorySteps.byteOffset, lay.bn).set(neu.subarray(3 * lay.bn, 4 * lay.bn));
      const faults = new Uint32Array(parts[1]);
      for (let k = 0; k < lay.bn; k++) st.faultCode[k] = faults[k];
      new Uint32Array(st.faultParams.buffer, st.faultParams.byteOffset, lay.bn * FAULT_PARAM_STRIDE).set(faults.subarray(lay.bn, lay.bn * (1 + FAULT_PARAM_STRIDE)));
      const popsAt = lay.bn * (1 + FAULT_PARAM_STRIDE);
      for (let k = 0; k < st.faultedPopulations.length; k++) st.faultedPopulations[k] = faults[popsAt + k];
      // Rings are converted from fixed point when they are read (ringExcPa, ringInhPa, checkpoints): most windows never read them.
      this.rawRings = lay.ringParts === 0 ? null : Array.from({ length: lay.ringParts }, (_, p) => new Uint32Array(parts[2 + p]));
      // The weights the kernels now read, from the device: what the weight faults' verify() sees.
      const bits = new Uint32Array(this.network.synapses.weightsPa.buffer, this.network.synapses.weightsPa.byteOffset, this.network.synapses.weightsPa.length);
      let at = 2 + lay.ringParts;
      for (const [lo, hi] of ranges) {
        for (let p = Math.floor(lo / lay.synPerPart); p < lay.synParts && p * lay.synPerPart < hi; p++) {
          const a = Math.max(lo, p * lay.synPerPart);
          const b = Math.min(hi, (p + 1) * lay.synPerPart);
          const got = new Uint32Array(parts[at++]);
          bits.set(got, a);
          this.uploadedWeights.set(got, a);
          void b;
        }
      }
    });
    this.mirrorFresh = true;
  }

  /** Uploads the host weights that differ from the last upload (weight faults, their rollback, scrubber repairs), as few ranges. */
  private syncWeights(): void {
    const w = this.network.synapses.weightsPa;
    const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
    const up = this.uploadedWeights;
    let k = 0;
    while (k < bits.length) {
      if (bits[k] === up[k]) {
        k++;
        continue;
      }
      let end = k + 1;
      // Gaps of up to 16 equal weights join two ranges (one write instead of two).
      for (let gap = 0; end < bits.length && gap <= 16; end++) gap = bits[end] === up[end] ? gap + 1 : 0;
      while (end > k + 1 && bits[end - 1] === up[end - 1]) end--;
      up.set(bits.subarray(k, end), k);
      this.uploadWeightRange(k, end, true);
      k = end;
    }
  }

  // ---- the shell's hooks ----

  protected override blocksEventLoop(): boolean {
    // The kernels run on the device while the host awaits the read-back.
    return false;
  }

  protected override maxChunkSteps(): number {
    return this.layout.maxChunkSteps;
  }

  protected override async prepareRun(): Promise<void> {
    if (this.lostReason) throw new Error(`webgpu: the device was lost (${this.lostReason}); create a new backend`);
    if (this.pipelineErrors) {
      const error = await this.pipelineErrors;
      this.pipelineErrors = null;
      if (error) throw new Error(`webgpu: the kernels did not compile on ${this.adapter.vendor} ${this.adapter.architecture}: ${error.message}`);
    }
    for (const name of this.dirty) this.uploadMirror(name);
    this.dirty.clear();
    if (this.effectsDirty) {
      const built = buildEffectsBuffer(this.effects, this.layout.n, this.batch);
      if (built.words.length > this.effectsWords) {
        this.buffers.effects.destroy();
        this.effectsWords = Math.max(built.words.length, 2 * this.effectsWords);
        this.buffers.effects = this.device.createBuffer({ size: this.effectsWords * 4, usage: STORAGE | COPY_DST, label: 'effects' });
        this.rebindGroups();
      }
      this.device.queue.writeBuffer(this.buffers.effects, 0, data(built.words));
      this.effectsCounts = { storms: built.storms, partitions: built.partitions, partOff: built.partOff };
      this.effectsDirty = false;
    }
    // The noise-stream map and the seed change without a write through buffer() (setNoiseStreams, restore).
    this.device.queue.writeBuffer(this.buffers.model, this.model.noiseOff * 4, data(this.state.noiseStreams));
    this.writeGlobals();
    this.syncWeights();
  }

  protected override async runSession(steps: number, options: RunOptions = {}): Promise<RunOutcome> {
    const outcome = await super.runSession(steps, options);
    if (!this.mirrorFresh || this.weightRangesWritten.length > 0) await this.downloadState();
    return outcome;
  }

  protected async advanceSteps(steps: number): Promise<void> {
    let left = steps;
    while (left > 0) {
      const done = await this.runChunk(Math.min(left, this.layout.maxChunkSteps));
      left -= done;
      if (this.scrubber && this.scrubber.tick(this.step).length > 0) this.syncWeights();
    }
  }

  /** One submission of up to `steps` steps; returns the steps the device completed (fewer when the spike list filled up). */
  private async runChunk(steps: number): Promise<number> {
    const lay = this.layout;
    const dev = this.device;
    const B = this.buffers;
    const first = this.step;
    this.mirrorFresh = false;
    // Per-step records: step, index, each storm's regular-train events.
    const recWords = L.STEP_RECORD_BYTES / 4;
    const records = new Uint32Array(steps * recWords);
    const storms = this.effects.storms;
    for (let k = 0; k < steps; k++) {
      const step = first + k;
      records[k * recWords] = step >>> 0;
      records[k * recWords + 1] = k;
      storms.forEach((s, j) => {
        if (!s.poisson && step >= s.startStep && step < s.endStep) records[k * recWords + L.STEP_REGULAR_AT + j] = regularEvents(step - s.startStep, s.ratePerStep);
      });
    }
    dev.queue.writeBuffer(B.steps, 0, data(records));
    dev.queue.writeBuffer(B.ctl, 0, data(new Uint32Array(lay.ctlWords)));
    const enc = dev.createCommandEncoder({ label: `chunk of ${steps} steps from ${first}` });
    const pass = enc.beginComputePass();
    for (let k = 0; k < steps; k++) {
      const offset = [k * L.STEP_RECORD_BYTES];
      pass.setPipeline(this.lifPipeline);
      pass.setBindGroup(0, this.lifGroup, offset);
      pass.dispatchWorkgroups(lay.lifGroups[0], lay.lifGroups[1]);
      pass.setPipeline(this.deliverPipeline);
      pass.setBindGroup(0, this.deliverGroup, offset);
      pass.dispatchWorkgroups(lay.deliverGroups);
    }
    pass.end();
    const estimate = Math.min(lay.spikeCap, this.spikeEstimate);
    enc.copyBufferToBuffer(B.ctl, 0, B.readCtl, 0, lay.ctlWords * 4);
    enc.copyBufferToBuffer(B.spikes, 0, B.readSpikes, 0, estimate * 4);
    dev.queue.submit([enc.finish()]);
    this.counters.stepsEncoded += steps;
    this.counters.dispatches += 2 * steps;
    this.counters.chunks++;
    this.counters.chunkSyncs++;
    await Promise.all([this.mapRead(B.readCtl, 0, lay.ctlWords * 4), B.readSpikes.mapAsync(MAP_MODE_READ, 0, estimate * 4)]);
    const ctl = new Uint32Array(B.readCtl.getMappedRange(0, lay.ctlWords * 4).slice(0));
    B.readCtl.unmap();
    const total = Math.min(ctl[L.CTL_TOTAL], lay.spikeCap);
    let list = new Uint32Array(total);
    list.set(new Uint32Array(B.readSpikes.getMappedRange(0, estimate * 4)).subarray(0, Math.min(total, estimate)));
    B.readSpikes.unmap();
    if (total > estimate) {
      // More spikes than expected: a second read for the rest (rare once the estimate has adapted).
      const enc2 = dev.createCommandEncoder();
      enc2.copyBufferToBuffer(B.spikes, estimate * 4, B.readSpikes, 0, (total - estimate) * 4);
      dev.queue.submit([enc2.finish()]);
      this.counters.chunkSyncs++;
      await this.mapRead(B.readSpikes, 0, (total - estimate) * 4);
      list.set(new Uint32Array(B.readSpikes.getMappedRange(0, (total - estimate) * 4)), estimate);
      B.readSpikes.unmap();
    }
    this.spikeEstimate = Math.max(4096, Math.min(lay.spikeCap, Math.ceil(1.5 * total * (steps / Math.max(1, ctl[L.CTL_STEPS_DONE]))) + 1024));
    const done = ctl[L.CTL_STEPS_DONE];
    this.recordChunk(first, done, ctl, list);
    list = new Uint32Array(0);
    this.guardCounts.contained += ctl[L.CTL_CONTAINED];
    this.guardCounts.capped += ctl[L.CTL_CAPPED];
    storms.forEach((s, j) => (s.events[0] += ctl[L.CTL_STORM_EVENTS + j]));
    this.effects.partitions.forEach((p, j) => (p.affected[0] += ctl[L.CTL_PARTITION_AFFECTED + j]));
    this.step = first + done;
    return done;
  }

  /** Records each step's spikes per replica in ascending neuron order (the device appends in its own order). */
  private recordChunk(first: number, done: number, ctl: Uint32Array, list: Uint32Array): void {
    const n = this.layout.n;
    for (let k = 0; k < done; k++) {
      const slice = list.subarray(ctl[L.CTL_STEP_END + k], ctl[L.CTL_STEP_END + k + 1]).sort();
      let j = 0;
      for (let b = 0; b < this.batch; b++) {
        let count = 0;
        const end = (b + 1) * n;
        for (; j < slice.length && slice[j] < end; j++) {
          const i = slice[j] - b * n;
          this.spikeList[count++] = i;
          this.events += this.outDegree[i];
        }
        this.recorder.record(first + k, b, this.spikeList, count);
      }
    }
  }

  protected override pullState(): void {
    if (!this.mirrorFresh) throw new Error('webgpu: the host state is read while a run is in progress (await run() first)');
  }

  /** Ring words read back at the end of the last run, not yet converted into the host rings. */
  private rawRings: Uint32Array[] | null = null;

  /** Converts the read-back ring words into the host rings (float32 pA), once per read-back. */
  private materializeRings(): void {
    const raw = this.rawRings;
    if (!raw) return;
    this.rawRings = null;
    const lay = this.layout;
    const st = this.state;
    for (let p = 0; p < lay.ringParts; p++) {
      const words = raw[p];
      const b0 = p * lay.replicasPerPart;
      const replicas = Math.min(lay.replicasPerPart, this.batch - b0);
      for (let slot = 0; slot < lay.slots; slot++) {
        for (let bl = 0; bl < replicas; bl++) {
          const host = (slot * this.batch + b0 + bl) * lay.n;
          const dev = (slot * replicas + bl) * lay.n * 4;
          for (let i = 0; i < lay.n; i++) {
            const w = dev + 4 * i;
            st.ringExcPa[host + i] = words[w] === 0 && words[w + 1] === 0 ? 0 : fixedToMagnitude(words[w], words[w + 1]);
            st.ringInhPa[host + i] = words[w + 2] === 0 && words[w + 3] === 0 ? 0 : -fixedToMagnitude(words[w + 2], words[w + 3]);
          }
        }
      }
    }
  }

  override buffer(name: StateBufferName): Float32Array | Int32Array | Uint8Array {
    if (name === 'ringExcPa' || name === 'ringInhPa') {
      this.assertAlive();
      this.pullState();
      this.materializeRings();
    }
    return super.buffer(name);
  }

  override checkpoint(): SimulationCheckpoint {
    this.assertAlive();
    this.pullState();
    this.materializeRings();
    return super.checkpoint();
  }

  override restore(cp: SimulationCheckpoint): void {
    // The checkpoint's rings replace the host rings: words read back before it are stale.
    this.assertAlive();
    checkCompatible(cp, this.network, this.state, this.precision);
    this.rawRings = null;
    super.restore(cp);
  }

  protected override stateWritten(names: readonly StateBufferName[]): void {
    for (const name of names) {
      const mirror = MIRROR_OF[name];
      // A ring upload sends the host rings: they must hold the device's values first.
      if (mirror === 'rings') this.materializeRings();
      this.dirty.add(mirror);
    }
  }

  override setStepEffects(effects: StepEffects): void {
    buildEffectsBuffer(effects, this.layout.n, this.batch); // refuses what the device tables cannot hold, now
    super.setStepEffects(effects);
    this.effectsDirty = true;
  }

  protected override metricsOverrides(): Partial<BackendMetrics> {
    return {
      stateBytes: this.layout.stateBytes,
      connectivityBytes: this.layout.connectivityBytes,
      nonFiniteContained: this.guardCounts.contained,
      inputsCapped: this.guardCounts.capped,
      device: { flavour: `webgpu on ${this.adapter.vendor || 'an unnamed vendor'} ${this.adapter.architecture}`.trim(), bytes: this.reservation.bytes, engineBytes: this.layout.deviceBytes, engineTensors: 0 },
      gpu: this.gpuCounters(),
    };
  }

  /** Dispatches per step and host syncs per chunk, with the adapter. */
  gpuCounters(): GpuCounters {
    const c = this.counters;
    return {
      adapter: this.adapter,
      ...c,
      dispatchesPerStep: c.stepsEncoded === 0 ? 0 : c.dispatches / c.stepsEncoded,
      hostSyncsPerChunk: c.chunks === 0 ? 0 : c.chunkSyncs / c.chunks,
      deviceBytes: this.layout.deviceBytes,
      ringParts: this.layout.ringParts,
      synapseParts: this.layout.synParts,
    };
  }

  /** Reads synapse weights [lo, hi) back from the device (tests, verification of weight faults). */
  async readDeviceWeights(lo: number, hi: number): Promise<Float32Array> {
    this.assertAlive();
    const lay = this.layout;
    const sources: { buffer: GPUBuffer; offset: number; size: number }[] = [];
    for (let p = Math.floor(lo / lay.synPerPart); p < lay.synParts && p * lay.synPerPart < hi; p++) {
      const a = Math.max(lo, p * lay.synPerPart);
      const b = Math.min(hi, (p + 1) * lay.synPerPart);
      sources.push({ buffer: this.buffers.weights[p], offset: (a - p * lay.synPerPart) * 4, size: (b - a) * 4 });
    }
    const out = new Float32Array(hi - lo);
    await this.readBack(sources, (parts) => {
      let at = 0;
      for (const part of parts) {
        out.set(new Float32Array(part), at);
        at += part.byteLength / 4;
      }
    });
    return out;
  }

  protected override releaseKernels(): void {
    const B = this.buffers;
    for (const b of [B.globals, B.steps, B.neu, B.faults, B.model, B.effects, B.ctl, B.spikes, B.rowPtr, B.readCtl, B.readSpikes, ...B.targets, ...B.weights, ...B.rings]) b.destroy();
    void this.deviceLost;
    this.allocator.release(this.reservation);
  }
}
