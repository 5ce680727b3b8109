import fc from 'fast-check';
import { InputError } from '../../util/errors.js';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { SpikeStorm, spikeStormSchema } from '../spike-storm.js';
import { resolveTargets } from '../targets.js';

/** Spike storm: trains of input events into chosen neurons of chosen replicas. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const spikeStormKind: FaultKindDescriptor<'spike-storm', typeof spikeStormSchema> = defineFaultKind({
  kind: 'spike-storm',
  schema: spikeStormSchema,
  perReplica: true,
  // The storm kernel carries its own [start, end) window.
  durationEndsBy: 'kernel',
  actsOn: ['input'],
  requires: ['storm-injection'],
  report: { summary: 'trains of input events (regular or Poisson) into the synaptic input or the membrane of chosen neurons' },
  fromScenario(raw, field) {
    // Scenarios may say amplitudePa or amplitudeMv; the spec says amplitude and unit.
    const f = { ...raw };
    const pa = f.amplitudePa;
    const mv = f.amplitudeMv;
    if (pa !== undefined && mv !== undefined) throw new InputError(`${field}.amplitudeMv`, 'give amplitudePa or amplitudeMv, not both');
    // One way to say the amplitude: the alias carries its unit, so amplitude and unit beside it would be silently overridden.
    for (const other of ['amplitude', 'unit']) {
      if ((pa !== undefined || mv !== undefined) && f[other] !== undefined) throw new InputError(`${field}.${other}`, `give amplitude (with unit) or ${pa !== undefined ? 'amplitudePa' : 'amplitudeMv'}, not both`);
    }
    if (pa !== undefined) {
      f.amplitude = pa;
      f.unit = 'pA';
    }
    if (mv !== undefined) {
      f.amplitude = mv;
      f.unit = 'mV';
    }
    delete f.amplitudePa;
    delete f.amplitudeMv;
    return f;
  },
  emptyScope(spec, plan, id) {
    if (spec.amplitude === 0) return { field: `${plan.root}.amplitude`, reason: 'an amplitude of 0 adds nothing to its targets (give a non-zero amplitude)' };
    const t = resolveTargets(plan.network, plan.batch, spec.target, `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    if (t.neurons.length === 0 || t.replicas.length === 0) return { field: `${plan.root}.target`, reason: 'its target selects no (replica, neuron)' };
    return null;
  },
  planTargets(spec, id, plan) {
    // The storm's ceiling depends on dt, known only with the network: checked here as injection checks it (SpikeStorm).
    const maxRate = 1000 / plan.network.dtMs;
    if (!(spec.rateHz <= maxRate + 1e-9)) throw new InputError(`${plan.root}.rateHz`, `must be at most 1/dt = ${maxRate} Hz at dt = ${plan.network.dtMs} ms (one event per step per target is the grid's ceiling; got ${spec.rateHz})`);
    const t = resolveTargets(plan.network, plan.batch, spec.target, `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    return { neurons: [...t.neurons], replicas: t.replicas };
  },
  inject: (ctx, spec, id, env) => new SpikeStorm(ctx, spec, id, env.hooks),
  fuzzable: () => null,
  arbitrary(network, c, t) {
    const s = spikeStormSchema.shape;
    return t.spec('spike-storm', {
      target: t.opt(t.target(network, c.batch ?? 1)),
      rateHz: t.numberFrom(s.rateHz, 1000 / network.dtMs),
      train: t.opt(fc.constantFrom('regular', 'poisson')),
      // Amplitude 0 acts on nothing; planning refuses it.
      amplitude: t.numberFrom(s.amplitude).filter((a) => a !== 0),
      unit: t.opt(fc.constantFrom('pA', 'mV')),
      durationMs: t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)),
      delayMs: t.opt(t.numberFrom(s.delayMs, c.maxSimMs ?? 50)),
    });
  },
});
