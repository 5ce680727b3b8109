import { z } from 'zod';
import { lowerBound } from '../../kernels/cpu/lower_bound.js';
import { FAULT_DEAD, FAULT_DRIFT, FAULT_PARAM_STRIDE, FAULT_SATURATED, FAULT_STUCK } from '../../kernels/cpu/neuron_fault.js';
import { populationOf } from '../model/network.js';
import { computePropagators } from '../model/propagators.js';
import { InputError } from '../util/errors.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';
import type { Network } from '../model/network.js';
import type { FaultHooks, NeuronFaultContribution } from './fault-hooks.js';
import { resolveTargets, targetSchema } from './targets.js';

export const neuronFaultSchema = z
  .object({
    kind: z.literal('neuron-fault'),
    id: z.string().min(1).max(64).optional(),
    target: targetSchema.optional(),
    mode: z.enum(['dead', 'saturated', 'stuck', 'drift']),
    /** stuck: the membrane value. */
    valueMv: boundedNumber(-1000, 1000).optional(),
    /** drift: which parameter, and the factor it is scaled by (threshold: its distance from rest). */
    parameter: z.enum(['threshold', 'tauMembrane', 'refractory']).optional(),
    factor: boundedNumber(0, 100, { exclusiveMin: true }).optional(),
    /** Simulated ms after which the controller stops it (absent: until stopped). */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type NeuronFaultSpec = z.infer<typeof neuronFaultSchema>;

const CODE = { dead: FAULT_DEAD, saturated: FAULT_SATURATED, stuck: FAULT_STUCK, drift: FAULT_DRIFT } as const;

/**
 * Neuron faults (SpikeFI's models): dead, saturated, membrane stuck at a
 * value, parametric drift of threshold, membrane time constant or refractory
 * period. They live in the fault table of the live state, which every
 * backend's neuron kernel consults; stop removes them from the table exactly.
 */
export class NeuronFault extends FaultBase implements NeuronFaultContribution {
  private readonly neurons: Int32Array;
  private readonly replicas: number[];
  private readonly code: number;
  private readonly params: number[][];
  /** A drift that leaves every target's parameters as they were (factor 1, or a refractory period that rounds to the same steps). */
  private readonly inert: boolean;

  constructor(ctx: FaultContext, spec: NeuronFaultSpec, id: string, private readonly hooks: FaultHooks) {
    if (spec.mode === 'stuck' && spec.valueMv === undefined) throw new InputError('fault.valueMv', 'is required for mode stuck (a membrane value in [-1000, 1000] mV)');
    if (spec.mode === 'drift' && (spec.parameter === undefined || spec.factor === undefined)) {
      throw new InputError(spec.parameter === undefined ? 'fault.parameter' : 'fault.factor', 'mode drift needs parameter (threshold, tauMembrane or refractory) and factor (in (0, 100])');
    }
    const t = resolveTargets(ctx.network, ctx.backend.batch, spec.target, `${ctx.seed}:fault:${id}:targets`, 'fault.target');
    super(id, 'neuron-fault', spec, { neurons: [...t.neurons], replicas: t.replicas }, false, ctx);
    this.neurons = t.neurons;
    this.replicas = t.replicas;
    this.code = CODE[spec.mode];
    this.params = [...t.neurons].map((i) => faultParamsFor(ctx.network, spec, i));
    this.inert = driftLeavesParameters(ctx.network, spec, t.neurons);
    hooks.setNeuronFault(id, this);
  }

  writeFaults(code: Uint8Array, params: Float32Array): void {
    const n = this.ctx.network.neuronCount;
    for (const b of this.replicas) {
      this.neurons.forEach((i, k) => {
        const s = b * n + i;
        code[s] = this.code;
        params.set(this.params[k], s * FAULT_PARAM_STRIDE);
      });
    }
  }

  covers(b: number, i: number): boolean {
    if (!this.replicas.includes(b)) return false;
    const l = lowerBound(this.neurons, 0, this.neurons.length, i);
    return l < this.neurons.length && this.neurons[l] === i;
  }

  protected async undo(): Promise<void> {
    this.hooks.setNeuronFault(this.id, null);
  }

  protected verifyActive(): VerifyResult {
    const code = this.ctx.backend.buffer('faultCode');
    const v = this.ctx.backend.buffer('membraneMv');
    const n = this.ctx.network.neuronCount;
    let marked = 0;
    let wrong = 0;
    let shadowed = 0;
    for (const b of this.replicas) {
      this.neurons.forEach((i, k) => {
        const s = b * n + i;
        if (code[s] !== this.code && code[s] !== 0 && this.hooks.neuronCoveredByOther(this.id, b, i)) {
          shadowed++; // a later fault on the same neuron wins while both are active
          return;
        }
        if (code[s] === this.code) marked++;
        const mode = this.spec.mode;
        const stepped = this.ctx.backend.currentStep > this.hooks.neuronTableChangedAt();
        if (stepped && mode === 'dead' && v[s] !== Math.fround(populationOf(this.ctx.network, i).neuron.resetMv)) wrong++;
        if (stepped && mode === 'stuck' && v[s] !== Math.fround(this.params[k][0])) wrong++;
      });
    }
    const total = this.neurons.length * this.replicas.length;
    const owned = marked + shadowed === total;
    if (owned && wrong === 0 && (this.inert || total === 0)) {
      return { ok: false, noEffect: true, evidence: total === 0 ? 'its target holds no (replica, neuron): nothing to fault' : `${marked}/${total} entries carry the drift code, but a drift of ${this.spec.parameter} by ${this.spec.factor} leaves every target's parameters as they were` };
    }
    return { ok: owned && wrong === 0, evidence: `${marked}/${total} (replica, neuron) entries carry fault code ${this.code} (${this.spec.mode}), ${shadowed} overridden by a later fault; ${wrong} membranes disagree with it` };
  }

  protected verifyGone(): VerifyResult {
    const code = this.ctx.backend.buffer('faultCode');
    const n = this.ctx.network.neuronCount;
    let left = 0;
    for (const b of this.replicas) for (const i of this.neurons) if (code[b * n + i] === this.code && !this.hooks.neuronCoveredByOther(this.id, b, i)) left++;
    return { ok: left === 0, evidence: `${left} of its (replica, neuron) entries still carry code ${this.code} with no other fault on them` };
  }
}

/**
 * Whether a drift leaves the parameters of every given neuron as they are
 * (a factor of 1, or a refractory period that rounds to the same number of
 * steps): such a fault acts on nothing. False for the other modes.
 */
export function driftLeavesParameters(network: Network, spec: NeuronFaultSpec, neurons: ArrayLike<number>): boolean {
  if (spec.mode !== 'drift' || spec.parameter === undefined || spec.factor === undefined) return false;
  // Parameters are per population: one neuron of each population in scope stands for all of them.
  const seen = new Set<number>();
  for (let k = 0; k < neurons.length; k++) {
    const pop = populationOf(network, neurons[k]);
    if (seen.has(pop.index)) continue;
    seen.add(pop.index);
    const drifted = faultParamsFor(network, spec, neurons[k]);
    const plain = faultParamsFor(network, { ...spec, factor: 1 }, neurons[k]);
    if (drifted.some((x, i) => Math.fround(x) !== Math.fround(plain[i]))) return false;
  }
  return true;
}

function faultParamsFor(network: Network, spec: NeuronFaultSpec, neuron: number): number[] {
  const out = new Array<number>(FAULT_PARAM_STRIDE).fill(0);
  if (spec.mode === 'stuck') out[0] = spec.valueMv!;
  if (spec.mode !== 'drift') return out;
  const pop = populationOf(network, neuron);
  const p = { ...pop.neuron };
  const f = spec.factor!;
  if (spec.parameter === 'threshold') p.thresholdMv = p.restingMv + (p.thresholdMv - p.restingMv) * f;
  if (spec.parameter === 'tauMembrane') p.tauMembraneMs *= f;
  if (spec.parameter === 'refractory') p.refractoryMs *= f;
  const pr = computePropagators(p, network.dtMs);
  let dc = p.dcPa;
  for (const d of pop.drives) if (d.kind === 'dc') dc += d.currentPa;
  out[0] = p.thresholdMv;
  out[1] = pr.p22;
  out[2] = pr.p20 * dc;
  out[3] = pr.p21ex;
  out[4] = pr.p21in;
  out[5] = pr.refractorySteps;
  return out;
}
