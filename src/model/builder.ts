import { check, InputError, InterruptedError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { allocArray } from '../util/shared-arrays.js';
import type { Network, PopulationInfo, ProjectionInfo } from './network.js';
import { NEURONS_PER_YIELD, ProjectionSampler } from './projection-sampler.js';
import type { NetworkSpec } from './spec.js';
import { validateNetworkSpec } from './spec-schema.js';
import { SynapseDrawer } from './synapse-drawer.js';
import { mergeRunsByTarget } from './merge-runs.js';

export interface BuildOptions {
  /** Seed of every construction stream. @defaultValue 1 */
  seed?: number;
  /** Time step in ms. @defaultValue 0.1 */
  dtMs?: number;
  /** Allocate connectivity in SharedArrayBuffers (needed by the worker engine). @defaultValue true */
  shared?: boolean;
}

export const DEFAULT_DT_MS = 0.1;
const MAX_SYNAPSES = 0xffff_fffe;

export function validateSeed(seed: number, field = 'seed'): number {
  check(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff, field, () => `must be an integer in [0, 4294967295] (got ${seed})`);
  return seed;
}

export function validateDt(dtMs: number, field = 'dtMs'): number {
  check(Number.isFinite(dtMs) && dtMs >= 0.001 && dtMs <= 10, field, () => `must be a number in [0.001, 10] ms (got ${dtMs})`);
  return dtMs;
}

/**
 * Turns a spec into a Network: deterministic for a seed, independent of how
 * the simulation is later split. Two passes over regenerable streams (count
 * outgoing synapses per source, then place them), so peak memory is the final
 * arrays plus O(neurons).
 */
export function buildNetwork(specInput: NetworkSpec, options: BuildOptions = {}): Network {
  const steps = networkBuildSteps(specInput, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Options of buildNetworkAsync: those of buildNetwork, and a signal that stops the build. */
export interface AsyncBuildOptions extends BuildOptions {
  /** Aborting it stops the build at its next turn, YIELD_EVERY_MS plus one piece of work away (measured: about 50 ms at most, bench/build-turns.ts): the promise rejects with an InterruptedError (phase `build`). */
  signal?: AbortSignal;
}

/** Wall ms of building between two turns of the event loop in buildNetworkAsync. */
const YIELD_EVERY_MS = 20;

/**
 * buildNetwork, giving the event loop a turn about every 20 ms of work, so a
 * signal handler (Ctrl-C), a progress line or a timer runs during a long
 * build (the full-scale microcircuit takes seconds), and an aborted `signal`
 * stops it there. The same network, bit for bit, as buildNetwork's.
 * @throws InputError as buildNetwork does
 * @throws InterruptedError (phase `build`) when `signal` is aborted before the build ends
 */
export async function buildNetworkAsync(specInput: NetworkSpec, options: AsyncBuildOptions = {}): Promise<Network> {
  const { signal, ...buildOptions } = options;
  // The signal's reason (a user's Ctrl-C, AbortSignal.timeout's TimeoutError, a caller's own) is the cause.
  const interrupted = () => new InterruptedError('build', 'interrupted while building the network: nothing was simulated', { cause: signal?.reason });
  const steps = networkBuildSteps(specInput, buildOptions);
  let since = performance.now();
  for (;;) {
    // The first piece validates the spec: bad input is reported as such even under an aborted signal.
    const r = steps.next();
    if (r.done) return r.value;
    if (signal?.aborted) throw interrupted();
    if (performance.now() - since >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw interrupted();
      since = performance.now();
    }
  }
}

/**
 * The build as a generator: it yields between pieces of work of a few ms
 * (a projection's pass, or NEURONS_PER_YIELD of its neurons), so the sync
 * and async builds share one code path and one result.
 */
function* networkBuildSteps(specInput: NetworkSpec, options: BuildOptions): Generator<void, Network, void> {
  const spec = validateNetworkSpec(specInput);
  const seed = validateSeed(options.seed ?? 1);
  const dtMs = validateDt(options.dtMs ?? DEFAULT_DT_MS);
  const shared = options.shared ?? true;

  const populations: PopulationInfo[] = [];
  let neuronCount = 0;
  spec.populations.forEach((p, index) => {
    populations.push({ name: p.name, index, start: neuronCount, size: p.size, neuron: p.neuron, initialPotential: p.initialPotential, drives: p.drives });
    neuronCount += p.size;
  });
  const byName = new Map(populations.map((p) => [p.name, p]));

  // Row order: projections sorted by target population, so rows come out sorted by target.
  const order = spec.projections.map((_, i) => i).sort((a, b) => byName.get(spec.projections[a].target)!.index - byName.get(spec.projections[b].target)!.index || a - b);
  const samplers = spec.projections.map(
    (pr, i) => new ProjectionSampler(pr, byName.get(pr.source)!, byName.get(pr.target)!, `${seed}:projection:${i}`, `model.projections[${i}]`),
  );
  let scratchSize = 1;
  for (const s of samplers) scratchSize = Math.max(scratchSize, s.scratchNeeded, s.sourceMajor ? s.target.size : 0);
  const scratch = new Uint32Array(scratchSize);

  // Pass 1: out-degree of every source.
  const outDegree = new Uint32Array(neuronCount);
  const projections: ProjectionInfo[] = spec.projections.map((p) => ({ source: p.source, target: p.target, synapses: 0 }));
  let total = 0;
  for (const i of order) {
    projections[i].synapses = yield* samplers[i].countOutDegrees(outDegree, scratch);
    total += projections[i].synapses;
    if (total > MAX_SYNAPSES) throw new InputError('model.projections', `more than ${MAX_SYNAPSES} synapses in all; reduce the scale`);
    yield;
  }

  const rowPtr = allocArray(Uint32Array, neuronCount + 1, shared);
  for (let s = 0; s < neuronCount; s++) rowPtr[s + 1] = rowPtr[s] + outDegree[s];
  const fill = outDegree; // reused as the insertion cursor of each row
  fill.set(rowPtr.subarray(0, neuronCount));
  const targets = allocArray(Uint32Array, total, shared);
  const weightsPa = allocArray(Float32Array, total, shared);
  const delaySteps = allocArray(Uint8Array, total, shared);

  // Pass 2: each projection in row order appends one sorted run to the rows of its sources.
  let minDelay = Infinity;
  let maxDelay = 0;
  const pairCount = new Map<string, number>();
  for (const i of order) {
    const sampler = samplers[i];
    sampler.restart();
    const drawer = new SynapseDrawer(sampler.spec, new StreamRng(`${seed}:projection:${i}:synapses`), dtMs, `model.projections[${i}]`);
    const { start, size } = sampler.source;
    if (sampler.sourceMajor) {
      for (let s = start; s < start + size; s++) {
        const at = fill[s];
        const n = sampler.targetsOf(s, targets, at);
        drawer.drawRun(at, at + n, weightsPa, delaySteps);
        fill[s] = at + n;
        if ((s - start) % NEURONS_PER_YIELD === NEURONS_PER_YIELD - 1) yield;
      }
    } else {
      for (let t = sampler.target.start; t < sampler.target.start + sampler.target.size; t++) {
        const n = sampler.sourcesOf(t, scratch);
        for (let k = 0; k < n; k++) {
          const at = fill[scratch[k]]++;
          targets[at] = t;
          drawer.drawAt(at, weightsPa, delaySteps);
        }
        if ((t - sampler.target.start) % NEURONS_PER_YIELD === NEURONS_PER_YIELD - 1) yield;
      }
    }
    minDelay = Math.min(minDelay, drawer.minDelay);
    maxDelay = Math.max(maxDelay, drawer.maxDelay);
    const pair = `${sampler.source.index}>${sampler.target.index}`;
    pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
    yield;
  }
  // Several projections between one pair of populations leave several sorted runs per row: merge them.
  for (const [pair, count] of pairCount) {
    if (count < 2) continue;
    const [si, ti] = pair.split('>').map(Number);
    yield* mergeRunsByTarget(populations[si], populations[ti], rowPtr, targets, weightsPa, delaySteps);
    yield;
  }
  if (total === 0) minDelay = maxDelay = 1;

  return {
    name: spec.name,
    seed,
    dtMs,
    neuronCount,
    synapseCount: total,
    populations,
    projections,
    synapses: { rowPtr, targets, weightsPa, delaySteps },
    minDelaySteps: minDelay,
    maxDelaySteps: maxDelay,
    spec,
  };
}
