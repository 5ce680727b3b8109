import type { DeliveryOrder } from './workers/delay-order.js';
import type { Network } from '../model/network.js';
import { backendUnavailable, check, unknownBackend } from '../util/errors.js';
import type { SimulationBackend, SimulationOptions } from './backend.js';
import type { CapabilityName } from './capabilities.js';
import type { GpujsMode } from './gpujs/gpujs-mode.js';
import type { FaultCapability } from '../chaos/kind-descriptor.js';
import type { Precision } from './precision.js';

/**
 * The backend registry: one descriptor per backend name, read by
 * createBackend/prepareBackend (and `auto`), the CLI (`--backend`, help,
 * `neurochaos list`), the scenario schema's backend enum, the conformance
 * suite and the fuzz backends. Modelled on Brian2's devices (a name, a
 * build step, what the device supports) and TensorFlow.js's backend
 * registry (a name, a factory, a priority that picks the default among the
 * backends that initialise).
 *
 * Adding a backend: its folder (the backend class and a `descriptor.ts`
 * exporting a BackendDescriptor) plus one line in registered-backends.ts.
 */

/** What a caller asks createBackend for: the backend name plus its options. */
export interface BackendChoice extends SimulationOptions {
  /** A registered backend name, or `auto`. @defaultValue DEFAULT_BACKEND ('workers') */
  backend?: string;
  /** Worker threads (workers backend). @defaultValue the number of cores (workers), 1 (every other backend) */
  workers?: number;
  /** In-memory checkpoint interval the workers' supervisor recovers from, in steps. @defaultValue 1000 */
  checkpointEverySteps?: number;
  /** workers backend: the order of each shard's live synapses (WorkersOptions.deliveryOrder). @defaultValue 'target' ('delay' in simulate()) */
  deliveryOrder?: DeliveryOrder;
  /** gpujs backend: require this gpu.js mode. @defaultValue the best working one (webgpu, headlessgl, cpu) */
  gpujsMode?: GpujsMode;
}

export interface CreatedBackend {
  backend: SimulationBackend;
  workers: number;
  /** Why this backend (for tfjs and auto: which flavour, and why). */
  selection?: string;
  /** Backend-specific facts a run reports after it ran (gpujs: the mode and the probes), merged into simulate's result. */
  details?(): Record<string, unknown>;
}

/** Whether a backend can run here, and why (or why not, and what would fix it). */
export interface Availability {
  available: boolean;
  reason: string;
}

/**
 * How far a backend's arithmetic is from the reference's: `exact` backends
 * match the cpu reference bit for bit (spikes and state); `float32-per-op`
 * backends round every op to float32, so state differs by a few ulp and
 * spike trains part after a while (conformance: exact spikes for a window,
 * state within a tolerance, rates within 2%).
 */
export type { FaultCapability };
export type ExactnessClass = 'exact' | 'float32-per-op';
export const EXACTNESS_CLASSES: readonly ExactnessClass[] = ['exact', 'float32-per-op'];

/** What a backend can do, declared up front (no instance needed). */
export interface CapabilitySheet {
  /**
   * What its kernels let faults act on (the chaos layer's capability names).
   * The fault kinds it hosts follow from these: every kind whose `requires`
   * it has (`kindsHostedBy` in src/chaos/fault-kinds.ts), so a new kind needs
   * no edit here; other kinds are refused with an UnsupportedError.
   */
  hosts: readonly FaultCapability[];
  /** Optional capabilities its instances answer through capability() (capabilities.ts). */
  offers: readonly CapabilityName[];
  /** Most replicas (batch). */
  maxBatch: number;
  /** Most worker threads (1: single-threaded). */
  maxWorkers: number;
  /** Its arithmetic against the reference's, with the default options. */
  exactness: ExactnessClass;
  /** The SimulationOptions.precision values it takes (src/backends/precision.ts); checked before a scenario runs. @defaultValue ['float64'] */
  precisions?: readonly Precision[];
}

/** One way the shared test suites run a backend. */
export interface SuiteVariant {
  /** Shown in test names, e.g. `workers (2 workers)`. */
  label: string;
  /** Options merged under the suite's own (batch, seed, allocator, guards). */
  choice: BackendChoice;
  /** When these options change the arithmetic (gpujs in a GPU mode). @defaultValue the sheet's exactness */
  exactness?: ExactnessClass;
}

export interface BackendDescriptor {
  /** The name `--backend` and scenarios use. */
  name: string;
  /** One line for help texts and `neurochaos list`. */
  summary: string;
  /** Whether it can run here, with the reason (loads packages, probes devices; cached by the backend where costly). */
  isAvailable(): Promise<Availability>;
  /**
   * Taking part in `auto`: the highest priority whose `suited` (default:
   * isAvailable) says yes wins. Absent: auto never picks it.
   */
  auto?: { priority: number; suited?(): Promise<Availability> };
  capabilities: CapabilitySheet;
  /**
   * For a name that picks one of other registered backends when prepared
   * (tfjs: the best flavour installed), the names it picks among. Suites
   * that run every backend skip it: what it picks runs under its own name.
   */
  picksAmong?: readonly string[];
  /** The asynchronous half of creation (loading a package, probing a device); returns why this backend, for the run's report. */
  prepare?(choice: BackendChoice): Promise<string | undefined>;
  /** Builds it (synchronous: prepare must have run when there is one). */
  create(network: Network, choice: BackendChoice): CreatedBackend;
  /**
   * Whether create() may be given a network whose connectivity is lent
   * (model/lent-network.ts): the backend never writes the arrays it was given
   * (it copies them, or takes ownedNetwork() where it would not). Absent:
   * createBackend gives it a copy of its own. @defaultValue false
   */
  acceptsLentNetwork?: boolean;
  /**
   * How the shared suites run it. The last variant is the most demanding
   * one (most threads): the fuzz suite runs that one. @defaultValue one variant with no options
   */
  suiteVariants?(): SuiteVariant[];
  /** Slow enough that CI gives it fewer fuzz runs (gpu.js in cpu mode). */
  slow?: boolean;
}

/** The outcome of `auto`: the backend picked and why. */
export interface AutoChoice {
  name: string;
  selection: string;
}

/** The registered backends, in registration order (the order help texts list them in). */
export class BackendRegistry {
  private readonly byName = new Map<string, BackendDescriptor>();

  constructor(descriptors: readonly BackendDescriptor[]) {
    for (const d of descriptors) this.register(d);
  }

  /** Adds a backend; a name may be registered once, and `auto` is taken. */
  register(d: BackendDescriptor): void {
    check(/^[a-z][a-z0-9-]*$/.test(d.name) && d.name !== 'auto', 'backend.name', () => `must be lower-case letters, digits and -, and not "auto" (got "${d.name}")`);
    check(!this.byName.has(d.name), 'backend.name', () => `"${d.name}" is registered already`);
    this.byName.set(d.name, d);
  }

  /** Every registered name, in registration order (without `auto`). */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Every name `--backend` accepts: the registered ones, then `auto`. */
  choices(): [string, ...string[]] {
    const [first = 'auto', ...rest] = this.names();
    return this.byName.size === 0 ? ['auto'] : [first, ...rest, 'auto'];
  }

  /** `name` when `--backend` accepts it (a registered name or `auto`); an InputError (code unknown-backend) against `field` otherwise. */
  checkChoice(name: unknown, field = 'backend'): string {
    if (name === 'auto') return name;
    return this.get(name, field).name;
  }

  list(): BackendDescriptor[] {
    return [...this.byName.values()];
  }

  has(name: unknown): boolean {
    return typeof name === 'string' && this.byName.has(name);
  }

  /** The descriptor of `name`; an InputError (code unknown-backend) naming every registered name otherwise. */
  get(name: unknown, field = 'backend'): BackendDescriptor {
    const d = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (!d) throw unknownBackend(name, this.choices(), field);
    return d;
  }

  /**
   * Resolves `auto`: among the backends with an auto priority, highest
   * first, the first that is suited here. The selection says what was
   * picked and why each better one was passed over.
   */
  async resolveAuto(): Promise<AutoChoice> {
    const candidates = this.list().filter((d) => d.auto).sort((a, b) => b.auto!.priority - a.auto!.priority);
    const passed: string[] = [];
    for (const d of candidates) {
      let verdict: Availability;
      try {
        verdict = await (d.auto!.suited ?? d.isAvailable).call(d);
      } catch (e) {
        verdict = { available: false, reason: `${d.name} failed to start: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (verdict.available) {
        return { name: d.name, selection: passed.length === 0 ? `auto: ${d.name} (${verdict.reason})` : `auto: ${d.name}, because ${passed.join('; ')}` };
      }
      passed.push(verdict.reason);
    }
    throw backendUnavailable('auto', `no backend that auto considers can run here (${passed.join('; ')})`);
  }
}

/** Where a suite variant stands with respect to the reference. */
export function variantExactness(d: BackendDescriptor, v: SuiteVariant): ExactnessClass {
  return v.exactness ?? d.capabilities.exactness;
}

/** The suite variants of a backend (one plain variant when it declares none). */
export function suiteVariantsOf(d: BackendDescriptor): SuiteVariant[] {
  return d.suiteVariants?.() ?? [{ label: d.name, choice: {} }];
}
