import type { GPU } from 'gpu.js';
import type { Network } from '../../model/network.js';
import type { SimulationOptions } from '../backend.js';
import { BackendShell } from '../backend-shell.js';
import { planKernels, type KernelPlan } from '../kernel-plan.js';
import { guardKernel } from '../guards.js';
import type { GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { deliverStep } from '../cpu-step.js';
import { stepKey } from '../../../kernels/cpu/counter_rng.js';
import { injectStorm } from '../../../kernels/cpu/inject_storm.js';
import { containNonFinite, sanitizeInputs } from '../../../kernels/cpu/guard_scan.js';
import { buildGatherTable, refreshWeights, type GatherTable } from '../../../kernels/gpujs/gather_table.js';
import { createDeliverSpikes } from '../../../kernels/gpujs/deliver_spikes.js';
import { createLifStep, lifParams, LIF_FIELDS } from '../../../kernels/gpujs/lif_step.js';
import { createPoissonDrive } from '../../../kernels/gpujs/poisson_drive.js';
import { poissonCounts } from '../../../kernels/gpujs/poisson_counts.js';
import type { GpuKernel } from '../../../kernels/gpujs/kernel_types.js';
import { chooseGpujsMode, type GpujsMode, type ModeProbe } from './gpujs-mode.js';

export interface GpujsOptions extends SimulationOptions {
  /** Run in this gpu.js mode or fail with the reason. @defaultValue the best working one (webgpu, headlessgl, cpu) */
  mode?: GpujsMode;
}

interface Kernels {
  gpu: GPU;
  lif: GpuKernel;
  deliver: GpuKernel;
  poisson: GpuKernel;
}

/**
 * The gpu.js backend (`--backend gpujs`): the neuron update, spike delivery
 * and Poisson drive run as gpu.js kernels over flat [batch, neurons] arrays,
 * all replicas in one launch per kernel, in gpu.js's best working mode
 * (webgpu, headlessgl, or plain JavaScript in cpu mode).
 *
 * The host typed arrays (the same SimulationState as the reference) are the
 * source of truth: each step the kernels read them and their results are
 * copied back, so the chaos layer's reads and writes of buffer() and
 * synapses() between runs, checkpoints and restores work unchanged. Weights
 * are re-read into the gather table at every run (and after a scrubber
 * repair) when any bit changed. What stays on the host, with the CPU kernels
 * themselves: Poisson draws (counter-based uint32 hashing), storms, guards,
 * and delivery in steps where a partition is active (rare, per-spike rules).
 * Every device result is copied back each step: simple and exact, but on a
 * GPU it costs a round trip per kernel per step (see README).
 */
export class GpujsBackend extends BackendShell {
  readonly name = 'gpujs';
  private readonly plan: KernelPlan;
  private readonly guard: GuardKernel | null;
  /** Excitatory and inhibitory gather tables. */
  private tables: [GatherTable, GatherTable];
  private readonly params: number[];
  private readonly popOf: Uint32Array;
  private readonly fusedCounts: Float32Array;
  private readonly driveCounts: Float32Array;
  private readonly spikes: Int32Array;
  private readonly slotOffset: Float64Array;
  private readonly requiredMode: GpujsMode | undefined;
  private kernels: Kernels | null = null;
  private starting: Promise<Kernels> | null = null;
  private probes: ModeProbe[] = [];
  private weightUploads = 0;

  constructor(network: Network, options: GpujsOptions = {}) {
    // Its cpu mode is bit-identical to the float64 reference; it has no float32 kernels of the CPU's kind.
    super(network, options, { sharedState: false, guardShards: 1, precisions: { backend: 'gpujs', supported: ['float64'], why: "its kernels follow the float64 reference (bit for bit in gpu.js's cpu mode); single precision runs on cpu and workers (and webgpu and tfjs compute in float32 per op whatever is asked)" } });
    this.requiredMode = options.mode;
    this.plan = planKernels(network);
    this.guard = guardKernel(this.guards, 0);
    const n = network.neuronCount;
    this.tables = this.buildTables();
    this.popOf = new Uint32Array(n);
    this.params = [];
    for (const p of this.plan.populations) {
      this.popOf.fill(p.index, p.start, p.end);
      this.params.push(...lifParams(p.lif, p.fusedPoisson ? p.fusedPoisson.weightPa : 0));
    }
    this.fusedCounts = new Float32Array(this.batch * n);
    this.driveCounts = new Float32Array(this.batch * n);
    this.spikes = new Int32Array(n);
    this.slotOffset = new Float64Array(network.maxDelaySteps + 1);
  }

  private buildTables(): [GatherTable, GatherTable] {
    const net = this.network;
    return [1, 0].map((exc) => buildGatherTable(net.synapses, net.neuronCount, net.minDelaySteps, net.maxDelaySteps, exc)) as [GatherTable, GatherTable];
  }

  /** Brings the gather tables up to date with the live weights (the chaos layer or the scrubber may have written them). */
  private refreshTables(): void {
    const w = this.network.synapses.weightsPa;
    const a = refreshWeights(this.tables[0], w);
    const b = a === 'rebuild' ? 'rebuild' : refreshWeights(this.tables[1], w);
    if (a === 'rebuild' || b === 'rebuild') this.tables = this.buildTables();
    if (a !== 'same' || b !== 'same') this.weightUploads++;
  }

  /** The gpu.js mode in use, once started (null before the first run or ready()). */
  get mode(): GpujsMode | null {
    return this.kernels ? (this.kernels.gpu.mode as GpujsMode) : null;
  }

  /** Every mode tried and what was found: why a better one was not used. */
  get modeProbes(): readonly ModeProbe[] {
    return this.probes;
  }

  /** Picks the mode and compiles the kernels (the first run does it too). */
  async ready(): Promise<GpujsMode> {
    if (!this.starting) {
      this.starting = (async () => {
        const choice = await chooseGpujsMode(this.requiredMode).catch((e: unknown) => {
          this.starting = null;
          throw e;
        });
        this.probes = choice.probes;
        const net = this.network;
        const k: Kernels = {
          gpu: choice.gpu,
          lif: createLifStep(choice.gpu, this.batch, net.neuronCount, net.populations.length),
          deliver: createDeliverSpikes(choice.gpu, this.tables[0], this.batch, net.neuronCount, this.state.ringSlots),
          poisson: createPoissonDrive(choice.gpu, this.batch, net.neuronCount),
        };
        this.kernels = k;
        return k;
      })();
    }
    await this.starting;
    return this.mode!;
  }

  /** Compiles the kernels on the first run, and brings the gather tables up to date with the live weights. */
  protected override async prepareRun(): Promise<void> {
    if (!this.kernels) await this.ready();
    this.refreshTables();
  }

  protected async advanceSteps(steps: number): Promise<void> {
    const k = this.kernels!;
    for (let s = 0; s < steps; s++) await this.advanceOne(k);
  }

  private async advanceOne(k: Kernels): Promise<void> {
    const st = this.state;
    const n = st.neuronCount;
    const bn = this.batch * n;
    const T = this.step;
    const slot = T % st.ringSlots;
    const exSlot = st.ringExcPa.subarray(slot * bn, slot * bn + bn);
    const inSlot = st.ringInhPa.subarray(slot * bn, slot * bn + bn);
    // PoissonDrive (drives not fused into the update): counts on the host, the add on the device.
    // Draws are keyed by each replica's noise stream (noise-streams.ts), storms by the replica.
    const noise = st.noiseStreams;
    for (const d of this.plan.poisson) {
      for (let b = 0; b < this.batch; b++) poissonCounts(d.table, d.parts, stepKey(this.seed, noise[b], T, d.stream), d.start, d.end, this.driveCounts, b * n);
      const ring = d.weightPa >= 0 ? exSlot : inSlot;
      ring.set(await k.poisson(ring, this.driveCounts, d.weightPa));
      for (let b = 0; b < this.batch; b++) this.driveCounts.fill(0, b * n + d.start, b * n + d.end);
    }
    for (let b = 0; b < this.batch; b++) {
      const ringOffset = slot * bn + b * n;
      for (const storm of this.effects.storms) injectStorm(storm, this.seed, T, b, 0, n, b * n, ringOffset, st.membraneMv, st.refractorySteps, st.ringExcPa, st.ringInhPa, 0);
      for (const p of this.plan.populations) {
        if (p.fusedPoisson) poissonCounts(p.fusedPoisson.table, 1, stepKey(this.seed, noise[b], T, p.fusedPoisson.stream), p.start, p.end, this.fusedCounts, b * n);
      }
      if (this.guard) {
        // The cap is on the whole input of the step, fused drive included, as in
        // the CPU kernels: the drive goes into the ring slot here (rounded as the
        // device would add it) and the device adds zero counts.
        for (const p of this.plan.populations) {
          if (!p.fusedPoisson) continue;
          const w = p.fusedPoisson.weightPa;
          for (let i = p.start; i < p.end; i++) {
            st.ringExcPa[ringOffset + i] = Math.fround(st.ringExcPa[ringOffset + i] + this.fusedCounts[b * n + i] * w);
            this.fusedCounts[b * n + i] = 0;
          }
        }
        this.guard.counters[1] += sanitizeInputs(st.ringExcPa, st.ringInhPa, ringOffset, 0, n, this.guard.capPa);
      }
    }
    const out = await k.lif(st.membraneMv, st.currentExcPa, st.currentInhPa, st.refractorySteps, exSlot, inSlot, this.fusedCounts, this.popOf, this.params, st.faultCode, st.faultParams, st.faultedPopulations);
    st.membraneMv.set(out.subarray(LIF_FIELDS.membraneMv * bn, LIF_FIELDS.membraneMv * bn + bn));
    st.currentExcPa.set(out.subarray(LIF_FIELDS.currentExcPa * bn, LIF_FIELDS.currentExcPa * bn + bn));
    st.currentInhPa.set(out.subarray(LIF_FIELDS.currentInhPa * bn, LIF_FIELDS.currentInhPa * bn + bn));
    st.refractorySteps.set(out.subarray(LIF_FIELDS.refractorySteps * bn, LIF_FIELDS.refractorySteps * bn + bn));
    const spiked = out.subarray(LIF_FIELDS.spiked * bn, LIF_FIELDS.spiked * bn + bn);
    exSlot.fill(0);
    inSlot.fill(0);
    let any = false;
    const partitioned = this.effects.partitions.some((p) => T >= p.startStep && T < p.endStep);
    const rowPtr = this.network.synapses.rowPtr;
    for (let b = 0; b < this.batch; b++) {
      if (this.guard) {
        for (const p of this.plan.populations) this.guard.counters[0] += containNonFinite(st.membraneMv, st.currentExcPa, st.currentInhPa, st.refractorySteps, b * n, p.start, p.end, p.lif.resetMv, this.guard.quarantineSteps);
      }
      let count = 0;
      for (let i = 0; i < n; i++) if (spiked[b * n + i] > 0) this.spikes[count++] = i;
      this.recorder.record(T, b, this.spikes, count);
      if (count === 0) continue;
      any = true;
      if (partitioned) {
        // Partition rules are per spike and per synapse: the CPU kernels deliver this step on the host.
        this.events += deliverStep(this.network.synapses, st, this.effects, T, b, this.spikes, count, this.slotOffset, this.network.maxDelaySteps);
      } else {
        for (let j = 0; j < count; j++) this.events += rowPtr[this.spikes[j] + 1] - rowPtr[this.spikes[j]];
      }
    }
    if (any && !partitioned) await this.deliver(k, spiked, T);
    this.step++;
    if (this.scrubber && this.scrubber.tick(this.step).length > 0) this.refreshTables();
  }

  /** DeliverSpikes on the device, excitatory and inhibitory rings; the results replace the ring slots the delays reach. */
  private async deliver(k: Kernels, spiked: Float32Array, T: number): Promise<void> {
    const st = this.state;
    const bn = this.batch * st.neuronCount;
    const first = (T + this.network.minDelaySteps) % st.ringSlots;
    for (const t of this.tables) {
      const ring = t.exc === 1 ? st.ringExcPa : st.ringInhPa;
      const out = await k.deliver(ring, spiked, t.bucketPtr, t.entrySource, t.entryWeight, first);
      for (let dd = 0; dd < t.delaySpan; dd++) {
        const slot = (first + dd) % st.ringSlots;
        ring.set(out.subarray(dd * bn, dd * bn + bn), slot * bn);
      }
    }
  }

  /** Times the weights changed between runs or by a scrubber repair (each a re-upload on a GPU mode). */
  get weightRefreshes(): number {
    return this.weightUploads;
  }

  protected override async releaseKernels(): Promise<void> {
    const k = this.kernels ?? (this.starting ? await this.starting.catch(() => null) : null);
    k?.gpu.destroy();
  }
}
