import type { SimulationBackend } from '../backends/backend.js';
import type { Network } from '../model/network.js';

// The kinds come from the registry (one descriptor per kind); re-exported here where the fault types live.
export { FAULT_KINDS, type FaultKindName } from './fault-kinds.js';
import type { FaultKindName } from './fault-kinds.js';

/** What `verify` found in the backend's buffers. */
export interface VerifyResult {
  ok: boolean;
  /** One line a person can read: what was checked and what was seen. */
  evidence: string;
  /**
   * Present (and `ok` false) when the fault is in place as asked but has
   * acted on nothing since its window began: no event, no write, no
   * allocation, no synapse reached it. An experiment must not pass on such
   * a fault (issue 17, item 2). Only an active fault's verify says it; a
   * stopped one answers whether it is gone.
   */
  noEffect?: true;
}

/** What a fault hit, recorded for the journal (so a run can be audited and replayed). */
export interface FaultTargets {
  neurons?: number[];
  replicas?: number[];
  synapses?: number;
  synapseSample?: number[];
  worker?: number;
  threads?: number;
}

export interface FaultContext {
  backend: SimulationBackend;
  network: Network;
  /** Experiment seed: target choices come from streams keyed by (seed, fault id). */
  seed: number;
  /** The step at which the fault is injected. */
  step: number;
}

/** A fault in effect. `stop` undoes it (unless permanent) and never throws for an already stopped fault. */
export interface ActiveFault {
  readonly id: string;
  readonly kind: FaultKindName;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly targets: FaultTargets;
  readonly injectedAtStep: number;
  /** A permanent fault stays in the state after stop (it says so in its spec). */
  readonly permanent: boolean;
  readonly stopped: boolean;
  /** Reads the backend's buffers back: while active, proves the fault took effect; after stop, that it is gone. */
  verify(): VerifyResult;
  stop(): Promise<void>;
}
