import { FAULT_KIND_REGISTRY, kindsHostedBy } from '../chaos/fault-kinds.js';
import { BACKENDS } from '../backends/registered-backends.js';
import { scenarioJsonSchema } from '../engine/scenario-json-schema.js';

type Json = Record<string, unknown>;

/**
 * What each scenario field means, keyed by its path in the schema
 * (`defaults.holdMs`, `experiments[].id`). Types, ranges, defaults and
 * choices come from the schema itself; a field of the schema missing here
 * (or a key here that is no field) makes `npm run docs` and its test fail,
 * so a new scenario field cannot go undocumented.
 */
export const SCENARIO_FIELD_MEANINGS: Record<string, string> = {
  title: 'the scenario\'s name, shown in reports',
  description: 'free text, kept in the journal',
  seed: 'seeds the network\'s construction, the drive and the fault targets',
  model: 'the network: a built-in model with its scales, or a model file',
  'model.name': '`microcircuit`, `cuba`, or the path of a YAML/JSON model file (relative to the folder you run from; see "Model files" below)',
  'model.scale': 'neuron-count scale of a built-in model (microcircuit 0.1 and cuba 1 when left out)',
  'model.kScale': 'in-degree scale of the microcircuit (1 when left out)',
  'model.background': 'microcircuit background: Poisson trains or the equivalent DC (poisson when left out)',
  backend: 'the backend that runs the experiments (`--backend` overrides it; workers when left out)',
  workers: 'worker threads of the workers backend (`--workers` overrides it; one per core when left out)',
  precision: 'arithmetic of the LIF update (`--precision` overrides it; float64 when left out): float64 computes each update in double and rounds once when it stores it (the reference, bit-identical to earlier releases), float32 rounds every operation to single precision (cpu and workers, about 2x faster per update; gpujs refuses it; webgpu and tfjs compute in float32 per op either way). See docs/performance.md, "Single precision"',
  batch: 'deprecated (loads with a notice): read as `judge.trials` (floor(batch / 2) pairs with paired controls); refused beside `judge.trials`',
  controls: 'replaced: refused with a pointer to `judge.controls` and `judge.trials` (docs/verdicts.md)',
  dtMs: 'integration step, ms; every simulated time you write must be a multiple of it',
  defaults: 'timing and rollback of every experiment (an experiment may override each)',
  'defaults.warmupMs': 'discarded start-up transient before the baseline, ms',
  'defaults.baselineMs': 'steady-state baseline window, ms',
  'defaults.monitorIntervalMs': 'monitor sampling interval (simulated ms)',
  'defaults.holdMs': 'every metric must stay in its band this long to count as recovered, ms',
  'defaults.slaMs': 'recovery-time objective, simulated ms',
  'defaults.rollback': 'when the fault is rolled back after the observation: always, only when a metric left its band, or never',
  'defaults.tolerance': 'width of a steady-state band: mean +- max(sigmas x sd, relative x |mean|, 1 Hz for rates)',
  'defaults.tolerance.sigmas': 'band half-width in baseline standard deviations',
  'defaults.tolerance.relative': 'band half-width as a fraction of the baseline mean',
  'defaults.recoveryIncludesPerformance': 'deprecated and ignored: accepted so that older files load (wall-clock figures never change a verdict)',
  judge: 'the judge: per probe, treated against control windows (see docs/verdicts.md)',
  'judge.tolerance': 'the smallest effect that fails a probe',
  'judge.tolerance.relative': 'minimum relative effect: a significant but smaller change passes',
  'judge.alpha': 'significance level of the seeded permutation test',
  'judge.minExpectedSpikes': 'expected spikes of a population in one judge window (sets the window length)',
  'hypothesis': 'the steady-state hypothesis: which probes the judge checks (docs/probes.md); every population\'s rate and active fraction, synchrony and non-finite state when left out',
  'hypothesis.probes': 'the probes, each judged treated against control in the windows it names',
  'hypothesis.probes[].id': 'unique name of the probe, used in verdict reasons',
  'hypothesis.probes[].metric': 'rate, synchrony, cv-isi, non-finite, spike-distance, active-fraction, task-accuracy; the wall-clock throughput, step-latency and memory are advisory (never change a verdict)',
  'hypothesis.probes[].population': 'the population the metric is computed on (every neuron when left out)',
  'hypothesis.probes[].tolerance': 'minimum relative effect that fails this probe (`judge.tolerance.relative` when left out)',
  'hypothesis.probes[].when': 'before, during, after, continuous, or a list of them (before, during and after when left out)',
  'hypothesis.probes[].tauMs': 'spike-distance only: the van Rossum kernel time constant, ms',
  'hypothesis.probes[].task': 'task-accuracy only: the ColumnTask protocol',
  'hypothesis.probes[].task.trainRounds': 'presentations used to train the linear readout',
  'hypothesis.probes[].task.testRounds': 'held-out presentations scored',
  'hypothesis.probes[].task.classes': 'number of input classes',
  'hypothesis.probes[].task.inputPopulations': 'populations that receive the stimulus',
  'hypothesis.probes[].task.readoutPopulations': 'populations the readout reads',
  'judge.controls': 'paired (default: an unfaulted twin of each treated replica, same seed and drive) or baseline (the same replicas before injection)',
  'judge.trials': 'control/treated pairs (paired) or treated replicas (baseline) per experiment',
  'experiments[].hypothesis': 'overrides the scenario\'s `hypothesis`',
  'experiments[].hypothesis.probes': 'the probes, each judged treated against control in the windows it names',
  'experiments[].hypothesis.probes[].id': 'unique name of the probe, used in verdict reasons',
  'experiments[].hypothesis.probes[].metric': 'rate, synchrony, cv-isi, non-finite, spike-distance, active-fraction, task-accuracy; the wall-clock throughput, step-latency and memory are advisory (never change a verdict)',
  'experiments[].hypothesis.probes[].population': 'the population the metric is computed on (every neuron when left out)',
  'experiments[].hypothesis.probes[].tolerance': 'minimum relative effect that fails this probe (`judge.tolerance.relative` when left out)',
  'experiments[].hypothesis.probes[].when': 'before, during, after, continuous, or a list of them (before, during and after when left out)',
  'experiments[].hypothesis.probes[].tauMs': 'spike-distance only: the van Rossum kernel time constant, ms',
  'experiments[].hypothesis.probes[].task': 'task-accuracy only: the ColumnTask protocol',
  'experiments[].hypothesis.probes[].task.trainRounds': 'presentations used to train the linear readout',
  'experiments[].hypothesis.probes[].task.testRounds': 'held-out presentations scored',
  'experiments[].hypothesis.probes[].task.classes': 'number of input classes',
  'experiments[].hypothesis.probes[].task.inputPopulations': 'populations that receive the stimulus',
  'experiments[].hypothesis.probes[].task.readoutPopulations': 'populations the readout reads',
  'experiments[].judge': 'overrides the scenario\'s `judge.controls` and `judge.trials` for this experiment',
  'experiments[].judge.controls': 'overrides `judge.controls`',
  'experiments[].judge.trials': 'overrides `judge.trials`',
  defences: 'the simulator\'s own defences (docs/defences.md); `run --defences off` switches them all off',
  'defences.guards': 'cap the input per step and contain non-finite state',
  'defences.scrub': 'weight integrity: golden copy, blocks compared with it, repair',
  'defences.scrubEveryMs': 'scrubbing interval, simulated ms',
  'defences.saturationPa': 'the guards\' input cap per channel and step, pA (100,000 when left out)',
  'defences.quarantineMs': 'how long the guards hold a contained neuron silent, ms (10 when left out)',
  'defences.recording': 'spike recording: `durable` (retries, backlog, follows recovery), `raw` (writes once, loses on error), `off`',
  'defences.fsync': 'when recorded blocks are fsynced: each block, at most `fsyncIntervalMs` after writing, or never',
  'defences.fsyncIntervalMs': 'longest wall-clock wait before a written block is fsynced, ms',
  'defences.recordingBacklogBytes': 'bound on recorded data held in memory while the disk fails, bytes',
  'defences.degrade': 'retry refused allocations with backoff and shed what can be shed rather than fail',
  abort: 'the circuit breaker',
  'abort.maxNonFiniteFraction': 'a sample with more non-finite state values than this fraction counts as failing...',
  'abort.consecutive': '...and this many failing samples in a row stop the experiment',
  'abort.maxMemoryBytes': 'stop when the allocator holds more than this, bytes',
  'abort.maxWallMs': 'stop an experiment after this much wall-clock time, ms',
  experiments: 'the experiments, run one after another, each on its own copy of the network',
  'experiments[].id': 'unique name of the experiment',
  'experiments[].description': 'free text, shown in the report',
  'experiments[].fault': 'the fault: one of the fault kinds below',
  'experiments[].observationMs': 'simulated time observed from the injection, ms',
  'experiments[].recoveryTimeoutMs': 'longest simulated time waited for recovery after the fault ends, ms',
  'experiments[].warmupMs': 'overrides `defaults.warmupMs`',
  'experiments[].baselineMs': 'overrides `defaults.baselineMs`',
  'experiments[].monitorIntervalMs': 'overrides `defaults.monitorIntervalMs`',
  'experiments[].holdMs': 'overrides `defaults.holdMs`',
  'experiments[].slaMs': 'overrides `defaults.slaMs`',
  'experiments[].rollback': 'overrides `defaults.rollback`',
};

/**
 * What fault fields mean: `kind.field` for one kind, `field` for every kind
 * that has it. Optional (a new kind's fields show their type and range
 * without it), taken from the comments on the kinds' zod schemas.
 */
export const FAULT_FIELD_MEANINGS: Record<string, string> = {
  id: 'the fault\'s name in the journal and its target stream (the experiment\'s id when left out)',
  target: 'blast radius: which neurons (all when left out) and replicas',
  'target.populations': 'neurons of these populations (or `neurons`, not both)',
  'target.neurons': 'these neuron indices',
  'target.count': 'this many of those neurons, drawn from the fault\'s seeded stream (or `percent`, not both)',
  'target.percent': 'this percentage of those neurons, drawn from the fault\'s seeded stream',
  'target.replicas': 'these replicas of the batch (the treated replicas when left out)',
  durationMs: 'how long it acts, simulated ms (until stopped or rolled back when left out)',
  delayMs: 'simulated ms from injection to the first event',
  'spike-storm.rateHz': 'events per second per target; at most 1/dt (10 kHz at dt = 0.1 ms)',
  'spike-storm.train': 'regular or Poisson trains',
  'spike-storm.unit': 'unit of `amplitude`',
  'weight-corruption.source': 'scope: synapses from this population (with `target` absent too: the whole matrix)',
  'weight-corruption.target': 'scope: synapses into this population',
  'weight-corruption.fraction': 'fraction of the synapses in scope that are corrupted',
  'weight-corruption.mode': 'what happens to a corrupted weight',
  'weight-corruption.bit': 'bit-flip: a fixed bit (0 = mantissa LSB, 31 = sign); a random bit per synapse when left out',
  'weight-corruption.value': 'stuck-at-value: the weight in pA',
  'weight-corruption.factor': 'scale: the factor; multiplicative-noise: relative sd',
  'weight-corruption.sigma': 'gaussian-noise: sd in pA',
  'weight-corruption.permanent': 'keep the corruption when the fault stops (otherwise the weights come back bit for bit)',
  'neuron-fault.mode': 'dead (silent), saturated (fires at every chance), stuck (membrane held), drift (a parameter scaled)',
  'neuron-fault.valueMv': 'stuck: the membrane value, mV',
  'neuron-fault.parameter': 'drift: which parameter',
  'neuron-fault.factor': 'drift: the factor the parameter is scaled by (threshold: its distance from rest)',
  'allocator-pressure.freeFraction': 'squeeze the allocator\'s free budget to this fraction',
  'allocator-pressure.failureRate': 'fail this fraction of allocations',
  'allocator-pressure.latencyMs': 'add this latency (wall-clock ms) to every allocation',
  'allocator-pressure.hostBytes': 'real host memory pressure: allocate and touch this many bytes until stopped',
  'worker-crash.worker': 'the shard whose worker dies (drawn from the fault\'s seeded stream when left out)',
  'worker-crash.mode': 'terminate: killed from outside mid-chunk; exit: the thread exits; throw: its task throws',
  'worker-crash.afterMs': 'simulated ms after injection at which it dies',
  'worker-stall.worker': 'the shard whose worker stalls (drawn when left out)',
  'worker-stall.durationMs': 'wall-clock ms the worker stops answering',
  'worker-stall.afterMs': 'simulated ms after injection at which it stalls',
  'partition.from': 'one side: populations, shards, or `rest: true` (everything not on the other side)',
  'partition.to': 'the other side',
  'partition.from.shards': 'workers backend: shard k is worker k\'s piece of every population (docs/how-it-computes.md); a population of under 16 neurons per worker is cut evenly, so a shard owns none of it only where it has fewer neurons than there are workers',
  'partition.to.shards': 'as `from.shards`',
  'partition.direction': 'spikes from `from` to `to` are cut; with both, also from `to` to `from`',
  'partition.mode': 'drop the spikes, or delay them',
  'partition.extraDelayMs': 'delay: extra transmission delay in ms (at most the ring\'s headroom)',
  'cpu-stress.threads': 'busy threads started in this process',
  'cpu-stress.load': 'busy fraction of each thread',
  'cpu-stress.durationMs': 'wall-clock ms (until stopped when left out)',
  'disk-fault.path': 'only output files under this folder (all of the simulation\'s output files when left out)',
  'disk-fault.latencyMs': 'added latency per write, wall-clock ms',
  'disk-fault.errorRate': 'fraction of writes that fail with EIO',
  'disk-fault.full': 'every write fails with ENOSPC',
  'cascading-failure.initial': 'the first failure: a worker crash, a partition or a weight corruption at a population',
  'cascading-failure.propagationDelayMs': 'simulated ms between one depth and the next',
  'cascading-failure.maxDepth': 'further failures after the initial one, each downstream of the last',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A field's type and allowed values in words: `integer in [1, 256]`, `one of poisson, dc`. */
export function typeText(p: Json): string {
  if (p.const !== undefined) return `\`${String(p.const)}\``;
  if (Array.isArray(p.enum)) return `one of ${(p.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
  const type = String(p.type ?? 'any');
  if (type === 'number' || type === 'integer') {
    const lo = p.exclusiveMinimum !== undefined ? `(${String(p.exclusiveMinimum)}` : p.minimum !== undefined ? `[${String(p.minimum)}` : '(-inf';
    const hi = p.exclusiveMaximum !== undefined ? `${String(p.exclusiveMaximum)})` : p.maximum !== undefined ? `${String(p.maximum)}]` : 'inf)';
    return `${type} in ${lo}, ${hi}`;
  }
  if (type === 'string') {
    if (typeof p.pattern === 'string') return `string matching \`${p.pattern}\``;
    const len = p.maxLength !== undefined ? `, at most ${String(p.maxLength)} characters` : '';
    return `string${len}`;
  }
  if (type === 'array') {
    const items = (p.items ?? {}) as Json;
    const count = p.minItems !== undefined || p.maxItems !== undefined ? ` (${String(p.minItems ?? 0)} to ${String(p.maxItems ?? 'any')})` : '';
    return items.type === 'object' ? `list of objects${count}` : `list of ${typeText(items)}${count}`;
  }
  return type;
}

const defaultText = (p: Json) => (p.default === undefined || (typeof p.default === 'object' && p.default !== null && Object.keys(p.default).length === 0) ? '' : `\`${JSON.stringify(p.default)}\``);

/** Every field of an object schema, depth first, with dotted paths (`[]` for list items); the fault is not descended into. */
function fields(o: Json, prefix: string, out: { path: string; p: Json; required: boolean }[] = []): typeof out {
  const req = new Set((o.required as string[] | undefined) ?? []);
  for (const [k, v] of Object.entries((o.properties ?? {}) as Record<string, Json>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.push({ path, p: v, required: req.has(k) });
    if (k === 'fault') continue;
    if (v.type === 'object' && v.properties) fields(v, path, out);
    if (v.type === 'array' && (v.items as Json | undefined)?.properties) fields(v.items as Json, `${path}[]`, out);
  }
  return out;
}

function table(rows: { path: string; p: Json; required: boolean }[], meaning: (path: string, p: Json) => string): string[] {
  return [
    '| field | type and range | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map(({ path, p, required }) => `| \`${path}\`${required ? ' (required)' : ''} | ${cell(typeText(p))} | ${cell(defaultText(p))} | ${cell(meaning(path, p))} |`),
  ];
}

/**
 * The generated part of docs/scenarios.md: every scenario field with its type,
 * range, default and meaning, then every fault kind with its fields, from the
 * published JSON Schema (`scenarioJsonSchema`) and the fault-kind registry.
 * @throws Error naming a schema field without a meaning, or a meaning without a field
 */
export function scenarioReferenceMarkdown(): string {
  const schema = scenarioJsonSchema();
  const root = (schema.definitions as Record<string, Json>).Scenario;
  const rows = fields(root, '');
  const missing = rows.filter((r) => SCENARIO_FIELD_MEANINGS[r.path] === undefined).map((r) => r.path);
  const stale = Object.keys(SCENARIO_FIELD_MEANINGS).filter((k) => !rows.some((r) => r.path === k));
  if (missing.length || stale.length) throw new Error(`src/docs/scenario-reference.ts: ${missing.length ? `describe ${missing.join(', ')}` : ''}${missing.length && stale.length ? '; ' : ''}${stale.length ? `no such field: ${stale.join(', ')}` : ''}`);
  const out = ['### Scenario fields', '', ...table(rows, (path) => SCENARIO_FIELD_MEANINGS[path])];
  const fault = (((root.properties as Record<string, Json>).experiments.items as Json).properties as Record<string, Json>).fault;
  const branches = (fault.anyOf ?? fault.oneOf) as Json[];
  out.push('', '### Fault kinds', '', 'Every experiment\'s `fault` is one of these, chosen by `kind`. Times are in ms, simulated unless the field says wall-clock; a simulated time you write must be a multiple of `dtMs`. `--time-scale` multiplies the fields marked. A fault needs a backend that hosts it (`neurochaos list`).');
  for (const d of FAULT_KIND_REGISTRY) {
    const branch = branches.find((b) => ((b.properties as Record<string, Json>).kind as Json).const === d.kind);
    if (!branch) throw new Error(`no schema branch for fault kind ${d.kind}`);
    const hosts = BACKENDS.list().filter((b) => kindsHostedBy(b.capabilities.hosts).includes(d.kind)).map((b) => b.name);
    const scaled = new Set(d.timeScaled as readonly string[]);
    const ends = { controller: 'the controller stops it after `durationMs`', kernel: 'it ends in the kernels after `durationMs`', 'wall-clock': '`durationMs` is wall-clock time', none: 'it has no duration of its own: rollback ends it' }[d.durationEndsBy];
    out.push('', `#### \`${d.kind}\``, '', `${d.report.summary}. Acts on: ${d.actsOn.join(', ')}; ${d.perReplica ? 'per replica (a batch keeps controls)' : 'shared by every replica'}; ${ends}. Hosted by: ${hosts.join(', ')}.`, '');
    const kindRows = fields(branch, '').filter((r) => r.path !== 'kind');
    const meaning = (path: string, p: Json) => FAULT_FIELD_MEANINGS[`${d.kind}.${path}`] ?? (typeof p.description === 'string' ? p.description : FAULT_FIELD_MEANINGS[path] ?? '');
    out.push(...table(kindRows, (path, p) => [meaning(path, p), scaled.has(path) ? 'scaled by `--time-scale`' : ''].filter(Boolean).join('; ')));
  }
  return out.join('\n');
}
