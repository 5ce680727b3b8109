import { bitsAt, stepKey } from './counter_rng.js';
import { poissonFromBits, type PoissonTable } from './poisson_drive.js';
import { lowerBound } from './lower_bound.js';

/**
 * A spike storm as the kernels see it: a train of input events into sorted
 * target neurons during steps [startStep, endStep), regular (synchronous,
 * `ratePerStep` events per step on average, at most one) or Poisson, each
 * event adding `amplitude` pA to the arriving input (the ring slot of the
 * step) or mV to the membrane.
 */
export interface StormKernel {
  targets: Int32Array;
  /** 1 for each replica the storm hits. */
  replicas: Uint8Array;
  startStep: number;
  endStep: number;
  poisson: boolean;
  /** rateHz * dt / 1000, at most 1 (one event per step is the grid's ceiling). */
  ratePerStep: number;
  table: PoissonTable | null;
  amplitude: number;
  unitMv: boolean;
  /** Counter-generator stream of this storm's Poisson draws. */
  stream: number;
  /** Events injected, one slot per shard (summed by the controller). */
  events: Float64Array;
}

/** Events a regular train puts into step k of its window: 1 when floor(k * rate) moves on. */
export function regularEvents(k: number, ratePerStep: number): number {
  return Math.floor((k + 1) * ratePerStep) - Math.floor(k * ratePerStep);
}

/** InjectStorm: applies one storm to targets in [from, to) of one replica at one step. No allocation. */
export function injectStorm(
  storm: StormKernel,
  seed: number,
  step: number,
  replica: number,
  from: number,
  to: number,
  stateOffset: number,
  ringOffset: number,
  v: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  shard: number,
): void {
  if (step < storm.startStep || step >= storm.endStep || storm.replicas[replica] === 0) return;
  const t = storm.targets;
  let j = lowerBound(t, 0, t.length, from);
  if (j >= t.length || t[j] >= to) return;
  const regular = storm.poisson ? 0 : regularEvents(step - storm.startStep, storm.ratePerStep);
  if (!storm.poisson && regular === 0) return;
  const key = storm.poisson ? stepKey(seed, replica, step, storm.stream) : 0;
  const amp = storm.amplitude;
  const ring = amp >= 0 ? ringEx : ringIn;
  let injected = 0;
  for (; j < t.length && t[j] < to; j++) {
    const i = t[j];
    const n = storm.poisson ? poissonFromBits(storm.table!, bitsAt(key, i)) : regular;
    if (n === 0) continue;
    injected += n;
    if (storm.unitMv) {
      if (refractory[stateOffset + i] === 0) v[stateOffset + i] += n * amp;
    } else {
      ring[ringOffset + i] += n * amp;
    }
  }
  storm.events[shard] += injected;
}

