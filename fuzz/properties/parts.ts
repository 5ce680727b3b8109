import fc from 'fast-check';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { STATE_BUFFER_NAMES } from '../../src/backends/backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { FaultKindName } from '../../src/chaos/fault.js';
import { kindsActingOn, SCHEDULED_STOP_KINDS } from '../../src/chaos/fault-kinds.js';
import { resolveTargets } from '../../src/chaos/targets.js';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import { outputFs } from '../../src/io/output-fs.js';
import { Allocator } from '../../src/memory/allocator.js';
import { buildNetwork } from '../../src/model/builder.js';
import { recoveryScore, scoreExperiment } from '../../src/engine/scores.js';
import type { MetricSample } from '../../src/engine/metrics.js';
import type { Band } from '../../src/engine/steady-state.js';
import { checkProperty } from '../../src/fuzz/check-property.js';
import { digestOf } from '../../src/fuzz/chaos-rig.js';
import { faultOfKind, faultSpecArbitrary } from '../../src/fuzz/fault-arbitraries.js';
import { snapFaultTimes } from '../../src/fuzz/scenario-arbitrary.js';
import { networkSpecArbitrary } from '../../src/fuzz/network-arbitrary.js';
import { targetArbitrary } from '../../src/fuzz/target-arbitrary.js';
import { InputError } from '../../src/util/errors.js';
import { runExperiment } from '../../src/engine/experiment-runner.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import type { FuzzCase } from '../fuzz-case.js';
import { fuzzNetwork } from '../networks.js';

/** Kinds that act on the simulation's buffers (the others act on threads, the allocator or files), from the registry. */
const BUFFER_KINDS: FaultKindName[] = [...kindsActingOn('input', 'neuron-state', 'weights', 'delivery')];
/** Kinds that act on the allocator or the output files: undone in place when stopped, no thread to wait for. */
const UNDONE_IN_PLACE: FaultKindName[] = [...kindsActingOn('allocator', 'output-files')];

function allDigests(sim: ReferenceBackend): Record<string, string> {
  const out: Record<string, string> = { weights: digestOf(sim.synapses().weightsPa) };
  for (const name of STATE_BUFFER_NAMES) out[name] = digestOf(sim.buffer(name));
  return out;
}

/** Reversible faults, stopped in any order, give every buffer back bit for bit (with no step between: all state; with steps: weights and fault tables). */
function reversibleFaults() {
  const net = fuzzNetwork();
  const specs = fc.array(faultSpecArbitrary(net, { kinds: [...BUFFER_KINDS, ...UNDONE_IN_PLACE] }), { minLength: 1, maxLength: 4 });
  return fc.asyncProperty(specs, fc.integer({ min: 0, max: 40 }), fc.func(fc.integer()), async (list, steps, order) => {
    const saved = net.synapses.weightsPa.slice();
    const allocator = new Allocator(2 ** 31);
    const sim = new ReferenceBackend(net, { guards: { enabled: true }, allocator });
    try {
      sim.advance(5);
      const before = allDigests(sim);
      const chaos = new ChaosController(sim, { seed: 9, allocator });
      const faults = [];
      for (const s of list) {
        try {
          faults.push(await chaos.inject(s));
        } catch (e) {
          if (!(e instanceof InputError && /already/.test(e.message))) throw e; // one allocator pressure, one disk fault at a time
        }
      }
      sim.advance(steps);
      const stopOrder = faults.map((f, i) => ({ f, k: order(i) })).sort((a, b) => a.k - b.k).map((x) => x.f);
      for (const f of stopOrder) {
        await f.stop();
        const v = f.verify();
        if (!v.ok) throw new Error(`${f.id} not undone: ${v.evidence}`);
      }
      const after = allDigests(sim);
      const compare = steps === 0 ? Object.keys(before) : ['weights', 'faultCode', 'faultParams', 'faultedPopulations'];
      for (const k of compare) if (before[k] !== after[k]) throw new Error(`${k} differs after every fault was stopped (${steps} steps between)`);
      if (allocator.underPressure || outputFs.faulted) throw new Error('allocator or output layer still faulted');
    } finally {
      await sim.dispose();
      outputFs.setFaults(null);
      net.synapses.weightsPa.set(saved);
    }
  });
}

const sampleArb = (pops: string[]) =>
  fc.record({
    tMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    wallMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    phase: fc.constantFrom('baseline', 'fault', 'recovery'),
    ratesHz: fc.tuple(...pops.map(() => fc.double())).map((r) => Object.fromEntries(pops.map((p, i) => [p, r[i]]))),
    synchrony: fc.double(),
    stepsPerSecond: fc.double(),
    stepLatencyMs: fc.double({ min: 0, max: 1e3, noNaN: true }),
    workerRestarts: fc.nat(),
    memoryBytes: fc.double({ min: 0, max: 1e12, noNaN: true }),
    nonFinite: fc.oneof(fc.constant(0), fc.nat()),
  }) as fc.Arbitrary<MetricSample>;

const bandArb = fc.tuple(fc.double(), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true })).map(([mean, sd, half]): Band => ({ mean, sd, lo: mean - half, hi: mean + half }));

/** Every score is in [0, 1] or null (unmeasured) whatever the samples hold (NaN, infinities, negative throughput); overall is the mean of the measured parts. */
function scoresInRange() {
  const pops = ['A', 'B'];
  const bands = fc.record({ 'rate.A': bandArb, 'rate.B': bandArb, synchrony: bandArb, stepsPerSecond: bandArb, memoryBytes: bandArb, nonFinite: bandArb });
  const recovery = fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null });
  return fc.property(fc.array(sampleArb(pops), { maxLength: 30 }), bands, recovery, fc.double({ min: 1e-3, max: 1e9, noNaN: true }), fc.boolean(), (samples, b, rec, sla, verified) => {
    const s = scoreExperiment(samples, b, rec, sla, verified);
    for (const [k, v] of Object.entries(s)) if (v !== null && !(v >= 0 && v <= 1)) throw new Error(`${k} = ${v}, outside [0, 1]`);
    // A part is null exactly when nothing measured it, never scored as perfect; overall is the mean of the measured parts.
    const faultSamples = samples.some((x) => x.phase === 'fault');
    if ((s.health === null) === faultSamples) throw new Error(`health ${s.health} with${faultSamples ? '' : 'out'} fault-window samples`);
    if ((s.integrity === null) !== (verified && !samples.some((x) => x.phase !== 'baseline'))) throw new Error(`integrity ${s.integrity}: null exactly when no sample after the baseline and no failed rollback measured it`);
    if (s.recovery === null) throw new Error('recovery unmeasured although the recovery window was watched');
    const parts = [s.health, s.performance, s.integrity, s.recovery].filter((x): x is number => x !== null);
    const mean = parts.reduce((a, x) => a + x, 0) / parts.length;
    if (s.overall === null || Math.abs(s.overall - mean) > 1e-12) throw new Error(`overall ${s.overall} is not the mean ${mean} of the measured parts`);
    if (!verified && s.integrity !== 0) throw new Error('an unverified rollback must score integrity 0');
  });
}

/** The recovery score is 1 within the SLA, 0 when never recovered, and never rises as recovery takes longer. */
function recoveryScoreMonotone() {
  const t = fc.double({ min: 0, max: 1e9, noNaN: true });
  return fc.property(t, t, fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (a, b, sla) => {
    const [early, late] = a <= b ? [a, b] : [b, a];
    const se = recoveryScore(early, sla);
    const sl = recoveryScore(late, sla);
    if (!(se >= sl)) throw new Error(`recovery score rose from ${se} (${early} ms) to ${sl} (${late} ms), SLA ${sla}`);
    if (!(se >= 0 && se <= 1 && sl >= 0 && sl <= 1)) throw new Error('recovery score outside [0, 1]');
    if (early <= sla && se !== 1) throw new Error(`recovered within the SLA but scored ${se}`);
    if (recoveryScore(null, sla) !== 0) throw new Error('never recovered must score 0');
  });
}

/** Target choice is a function of (network, spec, seed, fault id) and stays inside the blast radius. */
function targetsDeterministic() {
  const setup = networkSpecArbitrary({ maxPopulationSize: 40 }).chain((spec) => {
    const net = buildNetwork(spec, { seed: 1 });
    return fc.tuple(fc.constant(net), fc.integer({ min: 1, max: 4 }).chain((batch) => fc.tuple(fc.constant(batch), targetArbitrary(net, batch))), fc.string({ maxLength: 8 }), fc.nat());
  });
  return fc.property(setup, ([net, [batch, target], id, seed]) => {
    const spec = validateFaultSpec({ kind: 'neuron-fault', mode: 'dead', target });
    const key = `${seed}:fault:${id}:targets`;
    const a = resolveTargets(net, batch, spec.kind === 'neuron-fault' ? spec.target : undefined, key, 'fault.target');
    const b = resolveTargets(net, batch, spec.kind === 'neuron-fault' ? spec.target : undefined, key, 'fault.target');
    if (digestOf(a.neurons) !== digestOf(b.neurons) || a.replicas.join() !== b.replicas.join()) throw new Error('same seed and id, different targets');
    const t = target as { populations?: string[]; neurons?: number[]; count?: number; percent?: number; replicas?: number[] };
    const scope = t.neurons ? new Set(t.neurons) : new Set(net.populations.filter((p) => !t.populations || t.populations.includes(p.name)).flatMap((p) => Array.from({ length: p.size }, (_, k) => p.start + k)));
    const ns = [...a.neurons];
    if (ns.some((x, k) => !scope.has(x) || (k > 0 && ns[k - 1] >= x))) throw new Error('a target outside the scope, or not ascending and distinct');
    const want = t.count ?? (t.percent !== undefined ? Math.max(1, Math.round((scope.size * t.percent) / 100)) : scope.size);
    if (ns.length !== want) throw new Error(`${ns.length} targets, the blast radius says ${want}`);
    const reps = t.replicas ? [...new Set(t.replicas)].sort((x, y) => x - y) : Array.from({ length: batch }, (_, k) => k);
    if (a.replicas.join() !== reps.join()) throw new Error(`replicas ${a.replicas} but asked ${reps}`);
  });
}

/** The controller stops a fault with a duration exactly when the simulation reaches it, however the steps are split; never before, never after. */
function schedulerStopsOnTime() {
  const net = fuzzNetwork();
  const kinds: FaultKindName[] = [...SCHEDULED_STOP_KINDS];
  const spec = fc.oneof(...kinds.map((k) => faultOfKind(net, k, { maxSimMs: 20 }))).filter((s) => typeof s.durationMs === 'number');
  return fc.asyncProperty(spec, fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }), async (s, chunks) => {
    const saved = net.synapses.weightsPa.slice();
    const allocator = new Allocator(2 ** 31);
    const sim = new ReferenceBackend(net, { allocator });
    try {
      const chaos = new ChaosController(sim, { allocator });
      const f = await chaos.inject(s);
      const due = Math.max(1, Math.round((s.durationMs as number) / net.dtMs));
      let ran = 0;
      for (const c of chunks) {
        await chaos.run(c);
        ran += c;
        if (f.stopped !== ran >= due) throw new Error(`after ${ran} steps the fault is ${f.stopped ? 'stopped' : 'active'}; its duration is ${due} steps`);
        if (f.stopped && !f.verify().ok) throw new Error(`stopped on schedule but not undone: ${f.verify().evidence}`);
      }
    } finally {
      await sim.dispose();
      outputFs.setFaults(null);
      net.synapses.weightsPa.set(saved);
    }
  });
}

/**
 * An experiment leaves nothing behind, whatever its fault, rollback strategy
 * (never included) or interruption: weights as before (unless permanent),
 * the fault table clear, allocator and output layer unfaulted, and the
 * simulation carries on exactly as a fresh one restored from its state
 * (so no storm or partition lingers in the step effects).
 */
function experimentLeavesNothing() {
  const net = fuzzNetwork();
  const fault = faultSpecArbitrary(net, { kinds: [...BUFFER_KINDS, ...UNDONE_IN_PLACE, ...kindsActingOn('host-cpu')], maxSimMs: 10, permanent: true }).map(snapFaultTimes);
  const exp = fc.record({ fault, observationMs: fc.integer({ min: 5, max: 80 }).map((k) => k / 10), recoveryTimeoutMs: fc.integer({ min: 5, max: 80 }).map((k) => k / 10), rollback: fc.constantFrom('always', 'on-deviation', 'never') });
  return fc.asyncProperty(exp, fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), async (e, abortAfter) => {
    const saved = net.synapses.weightsPa.slice();
    const allocator = new Allocator(2 ** 31);
    const sim = new ReferenceBackend(net, { allocator, guards: { enabled: true } });
    // Baseline controls: the one replica of `sim` is the treated one (paired controls would need a batch of two or a second backend; what a rollback leaves behind is the same).
    const scenario = validateScenario({ title: 'fuzz', model: { name: 'fuzz' }, backend: 'cpu', judge: { controls: 'baseline' }, defaults: { warmupMs: 1, baselineMs: 4, monitorIntervalMs: 1, holdMs: 1 }, experiments: [{ id: 'e', ...e }] });
    const abort = new AbortController();
    let progress = 0;
    try {
      const record = await runExperiment({ scenario, spec: scenario.experiments[0], index: 0, backend: sim, allocator, timeScale: 1, signal: abort.signal, onProgress: () => {
        if (abortAfter !== null && ++progress > abortAfter) abort.abort();
      } });
      const permanent = e.fault.kind === 'weight-corruption' && e.fault.permanent === true;
      if (!permanent && digestOf(sim.synapses().weightsPa) !== digestOf(saved)) throw new Error(`weights changed after the experiment (${record.status})`);
      if ((sim.buffer('faultCode') as Uint8Array).some((c) => c !== 0)) throw new Error('neuron fault table not clear');
      if (allocator.underPressure || outputFs.faulted) throw new Error('allocator or output layer still faulted');
      const cp = sim.checkpoint();
      await sim.run(200);
      const fresh = new ReferenceBackend(net, { allocator: new Allocator(2 ** 31), guards: { enabled: true } });
      fresh.restore(cp);
      await fresh.run(200);
      const same = fresh.recorder.spikeHash() === sim.recorder.spikeHash();
      await fresh.dispose();
      if (!same) throw new Error(`after the experiment (${record.status}) the simulation does not carry on like a fresh one from the same state: a fault is still acting`);
    } finally {
      await sim.dispose();
      outputFs.setFaults(null);
      net.synapses.weightsPa.set(saved);
    }
  });
}

export const PART_CASES: FuzzCase[] = [
  { name: 'experiment-leaves-nothing', ciRuns: 20, check: (o) => checkProperty(experimentLeavesNothing(), { ...o, name: 'experiment-leaves-nothing' }) },
  { name: 'reversible-faults', ciRuns: 60, check: (o) => checkProperty(reversibleFaults(), { ...o, name: 'reversible-faults' }) },
  { name: 'scores-in-range', ciRuns: 300, check: (o) => checkProperty(scoresInRange(), { ...o, name: 'scores-in-range' }) },
  { name: 'recovery-score-monotone', ciRuns: 500, check: (o) => checkProperty(recoveryScoreMonotone(), { ...o, name: 'recovery-score-monotone' }) },
  { name: 'targets-deterministic', ciRuns: 150, check: (o) => checkProperty(targetsDeterministic(), { ...o, name: 'targets-deterministic' }) },
  { name: 'scheduler-stops-on-time', ciRuns: 60, check: (o) => checkProperty(schedulerStopsOnTime(), { ...o, name: 'scheduler-stops-on-time' }) },
];
