import { z } from 'zod';
import { MAX_WORKERS } from '../config/settings.js';
import { requireCapability } from '../backends/capabilities.js';
import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { ActiveFault, FaultContext, VerifyResult } from './fault.js';
import { crossingSynapses, populationRanges } from './synapse-selection.js';
import { roundedSteps } from '../util/time-steps.js';

/** Initial failures a cascade can start from, and how each spreads (see downstream()). */
const initialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('worker-crash'), worker: boundedNumber(0, MAX_WORKERS - 1, { integer: true }).default(0), mode: z.enum(['terminate', 'exit', 'throw']).default('exit') }).strict(),
  z.object({ kind: z.literal('partition'), population: z.string().min(1), mode: z.enum(['drop', 'delay']).default('drop'), extraDelayMs: boundedNumber(0, 5, { exclusiveMin: true }).optional() }).strict(),
  z
    .object({
      kind: z.literal('weight-corruption'),
      population: z.string().min(1),
      fraction: boundedNumber(0, 1, { exclusiveMin: true }),
      mode: z.enum(['bit-flip', 'exponent-flip', 'sign-flip', 'stuck-at-zero', 'nan', 'inf']).default('stuck-at-zero'),
    })
    .strict(),
]);

export const cascadingFailureSchema = z
  .object({
    kind: z.literal('cascading-failure'),
    id: z.string().min(1).max(64).optional(),
    initial: initialSchema,
    /** Simulated ms between one depth and the next. */
    propagationDelayMs: boundedNumber(0, 1e6, { exclusiveMin: true }),
    /** Further failures after the initial one. */
    maxDepth: boundedNumber(1, 16, { integer: true }).default(2),
  })
  .strict();
export type CascadingFailureSpec = z.infer<typeof cascadingFailureSchema>;

/** What a cascade needs from the controller: inject a child now, and be called back at a future step. */
export interface CascadeHooks {
  injectChild(spec: Record<string, unknown>): Promise<ActiveFault>;
  schedule(step: number, action: () => Promise<void>): void;
}

/**
 * Cascading failure: an initial failure (a worker crash, a partition that
 * cuts a population off, a corruption of a population's outgoing weights)
 * spreads after a propagation delay to the next target downstream (the next
 * worker; the population that receives the most synapses from the last one
 * hit), depth by depth up to maxDepth. Needs the controller's run() to advance
 * time so the spreads happen at their steps. Stop stops every child.
 */
export class CascadingFailure extends FaultBase {
  readonly children: ActiveFault[] = [];
  private readonly chain: string[];
  private cancelled = false;

  constructor(ctx: FaultContext, spec: CascadingFailureSpec, id: string, private readonly hooks: CascadeHooks) {
    const chain = planChain(ctx, spec);
    super(id, 'cascading-failure', spec, {}, false, ctx);
    this.chain = chain;
    const delaySteps = Math.max(1, roundedSteps(spec.propagationDelayMs, ctx.network.dtMs, 'fault.propagationDelayMs', { minSteps: 0 }));
    for (let depth = 1; depth < chain.length; depth++) {
      hooks.schedule(ctx.step + depth * delaySteps, async () => {
        if (!this.cancelled) await this.spawn(depth);
      });
    }
  }

  /** The targets depth by depth: worker indices or population names. */
  get plannedChain(): readonly string[] {
    return this.chain;
  }

  async start(): Promise<void> {
    await this.spawn(0);
  }

  private async spawn(depth: number): Promise<void> {
    const spec = this.spec as CascadingFailureSpec;
    const target = this.chain[depth];
    const childId = `${this.id}/d${depth}`;
    const init = spec.initial;
    let child: Record<string, unknown>;
    if (init.kind === 'worker-crash') child = { kind: 'worker-crash', id: childId, worker: Number(target), mode: init.mode };
    else if (init.kind === 'partition') {
      const others = this.ctx.network.populations.map((p) => p.name).filter((n) => n !== target);
      child = { kind: 'partition', id: childId, from: { populations: [target] }, to: { populations: others.length ? others : [target] }, mode: init.mode, extraDelayMs: init.extraDelayMs };
    } else child = { kind: 'weight-corruption', id: childId, source: target, fraction: init.fraction, mode: init.mode };
    this.children.push(await this.hooks.injectChild(child));
  }

  protected async undo(): Promise<void> {
    this.cancelled = true;
    for (const c of [...this.children].reverse()) await c.stop();
  }

  protected verifyActive(): VerifyResult {
    const results = this.children.map((c) => c.verify());
    const bad = this.children.filter((_, k) => !results[k].ok).map((c) => c.id);
    // Every failure so far in place but none acted on anything: the cascade acted on nothing.
    if (results.length > 0 && results.every((r) => r.noEffect)) {
      return { ok: false, noEffect: true, evidence: `depth ${this.children.length - 1} of ${this.chain.length - 1} reached (${this.chain.slice(0, this.children.length).join(' -> ')}); no failure acted on anything: ${results.map((r) => r.evidence).join('; ')}` };
    }
    return { ok: this.children.length > 0 && bad.length === 0, evidence: `depth ${this.children.length - 1} of ${this.chain.length - 1} reached (${this.chain.slice(0, this.children.length).join(' -> ')}); ${bad.length ? `not in effect: ${bad.join(', ')}` : 'every failure in effect'}` };
  }

  protected verifyGone(): VerifyResult {
    const left = this.children.filter((c) => !c.stopped || !c.verify().ok).map((c) => c.id);
    return { ok: left.length === 0, evidence: left.length ? `still in effect: ${left.join(', ')}` : `all ${this.children.length} failures undone; no spread pending` };
  }
}

/** Targets depth by depth, decided up front so they are recorded and reproducible. */
function planChain(ctx: FaultContext, spec: CascadingFailureSpec): string[] {
  const init = spec.initial;
  const depth = spec.maxDepth;
  if (init.kind === 'worker-crash') {
    const b = requireCapability(ctx.backend, 'shard-supervision', 'fault.initial.kind', 'a worker-crash cascade', `a worker-crash cascade needs the workers backend, the one with worker threads to fail (this run uses "${ctx.backend.name}")`);
    if (init.worker >= b.workers) throw new InputError('fault.initial.worker', `must be a worker in [0, ${b.workers - 1}] (got ${init.worker})`);
    return Array.from({ length: Math.min(depth, b.workers - 1) + 1 }, (_, k) => String((init.worker + k) % b.workers));
  }
  return populationChain(ctx.network, init, depth, 'fault');
}

/**
 * The chain of a cascade that starts in a population, depth by depth: each
 * next one the population (not yet hit) that receives the most synapses from
 * the last. Only populations the child fault can act on join it: a
 * corruption needs outgoing synapses, a partition synapses crossing between
 * the population and the others. Errors name `root.initial.population`.
 */
export function populationChain(network: Network, init: Exclude<CascadingFailureSpec['initial'], { kind: 'worker-crash' }>, depth: number, root: string): string[] {
  if (!network.populations.some((p) => p.name === init.population)) {
    throw new InputError(`${root}.initial.population`, `unknown population "${init.population}" (known: ${network.populations.map((p) => p.name).join(', ')})`);
  }
  // A corruption spreads along outgoing weights: every population in its chain must have some.
  const eligible = init.kind === 'weight-corruption' ? (name: string) => network.projections.some((p) => p.source === name && p.synapses > 0) : (name: string) => partitionChildCuts(network, name) > 0;
  if (init.kind === 'weight-corruption' && !eligible(init.population)) throw new InputError(`${root}.initial.population`, `"${init.population}" has no outgoing synapses to corrupt`);
  const chain = [init.population];
  while (chain.length <= depth) {
    const next = downstream(network, chain[chain.length - 1], new Set(chain), eligible);
    if (!next) break;
    chain.push(next);
  }
  return chain;
}

/** Synapses a partition cascade's child at `population` would cut: between it and every other population, both ways (itself alone when it is the only one). */
export function partitionChildCuts(network: Network, population: string): number {
  const others = network.populations.map((p) => p.name).filter((n) => n !== population);
  const a = populationRanges(network, [population], 'population');
  const b = populationRanges(network, others.length ? others : [population], 'population');
  return crossingSynapses(network, a, b) + crossingSynapses(network, b, a);
}

/** The population (not yet hit, and eligible) that receives the most synapses from `from`. */
export function downstream(network: Network, from: string, hit: Set<string>, eligible: (population: string) => boolean = () => true): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const p of network.projections) {
    if (p.source !== from || hit.has(p.target) || !eligible(p.target)) continue;
    if (p.synapses > most) {
      most = p.synapses;
      best = p.target;
    }
  }
  return best;
}
