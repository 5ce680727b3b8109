import { DEFAULT_CHECKPOINT_EVERY_STEPS, MAX_BATCH } from '../config/settings.js';
import { DEFAULT_DT_MS } from '../model/builder.js';
import { simulate, type SimulateOptions } from '../simulate.js';
import { GPUJS_MODES } from '../backends/gpujs/gpujs-mode.js';
import { DELIVERY_ORDERS } from '../backends/workers/delay-order.js';
import { formatSimulateResult } from './format-simulate.js';
import { asFlagError } from './parse-flags.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';
import { backendFlag, jsonFlag, precisionFlag, seedFlag, workersFlag } from './common-flags.js';
import { commandHelp } from './help-text.js';
import { ProgressLine } from './progress-line.js';
import type { CliContext } from './context.js';
import { existsSync } from 'node:fs';
import { checkOutputFile } from '../io/output-location.js';
import { InputError } from '../util/errors.js';
import { exactSteps } from '../util/time-steps.js';

const SIMULATE_FLAGS = {
  model: { type: 'string', value: 'NAME|FILE', description: 'microcircuit, cuba, or a YAML/JSON model file (see docs/scenarios.md)', defaultText: 'microcircuit' },
  scale: { type: 'number', value: 'S', min: 0, max: 100, exclusiveMin: true, description: 'neuron-count scale of a built-in model', defaultText: '0.1 for microcircuit, 1 for cuba' },
  'k-scale': { type: 'number', value: 'K', min: 0.001, max: 1, description: 'in-degree scale of the microcircuit; below 1, weights grow by 1/sqrt(K) and a DC restores the lost mean input, as in NEST\'s example', defaultText: '1' },
  background: { type: 'choice', value: 'KIND', choices: ['poisson', 'dc'], description: 'microcircuit background: Poisson trains or the equivalent DC', defaultText: 'poisson' },
  duration: { type: 'number', value: 'MS', min: 0, max: 1e7, exclusiveMin: true, unit: 'ms', description: 'simulated time, a multiple of --dt', defaultText: '1000' },
  warmup: { type: 'number', value: 'MS', min: 0, max: 1e7, unit: 'ms', description: 'leave the first MS out of the rates (a multiple of --dt, below --duration)', defaultText: '0' },
  dt: { type: 'number', value: 'MS', min: 0.001, max: 10, unit: 'ms', description: 'integration time step', defaultText: String(DEFAULT_DT_MS) },
  seed: { ...seedFlag, defaultText: '1' },
  backend: backendFlag,
  workers: workersFlag,
  batch: { type: 'number', value: 'B', integer: true, min: 1, max: MAX_BATCH, description: 'replicas of the network: they share connectivity and differ by seed', defaultText: '1' },
  precision: precisionFlag,
  'delivery-order': {
    type: 'choice',
    value: 'ORDER',
    choices: DELIVERY_ORDERS,
    description: "workers backend: each shard's synapses in the network's target order, or regrouped by delay at each source's first spike (same spikes; faster where the delay rings outgrow the caches, docs/performance.md \"Delivery order\")",
    defaultText: 'delay where the rings in use reach 12 MiB (the microcircuit from about scale 0.4), else target',
  },
  'save-checkpoint': { type: 'string', value: 'F', description: 'write the final state to F (atomic: temp file, fsync, rename)' },
  restore: { type: 'string', value: 'F', description: 'start from checkpoint F (give the same model, scale, dt and --precision) and run --duration more' },
  'checkpoint-interval': { type: 'number', value: 'MS', min: 0, max: 1e7, exclusiveMin: true, unit: 'ms', description: 'with --save-checkpoint: also write it every MS of simulated time (each write atomic, then read back and verified)' },
  'checkpoint-every': {
    type: 'number',
    value: 'MS',
    min: 0,
    max: 1e7,
    exclusiveMin: true,
    unit: 'ms',
    description: "in-memory checkpoint interval the workers' supervisor recovers from (a multiple of --dt)",
    defaultText: `${DEFAULT_CHECKPOINT_EVERY_STEPS} steps: ${DEFAULT_CHECKPOINT_EVERY_STEPS * DEFAULT_DT_MS} ms at dt ${DEFAULT_DT_MS} ms`,
  },
  record: { type: 'string', value: 'F', description: 'record every spike durably to F (blocks with sequence numbers and CRCs; retries with backoff on disk errors); with --restore, F is resumed at the checkpoint: after a crash, restore and record to the same file; without it, an existing F is refused (exit 2), never replaced' },
  'record-fsync': { type: 'choice', value: 'POLICY', choices: ['block', 'interval', 'none'], description: 'when recorded blocks are fsynced: each block, at most 200 ms after a block, or left to the OS', defaultText: 'interval' },
  'gpujs-mode': { type: 'choice', value: 'MODE', choices: GPUJS_MODES, description: 'gpujs backend: require this gpu.js mode', defaultText: 'the best that works here' },
  guards: { type: 'choice', value: 'on|off', choices: ['on', 'off'], description: 'guards against non-finite state and saturating input, see docs/defences.md', defaultText: 'off' },
  json: { ...jsonFlag, description: 'print one JSON object: model, neurons, synapses, backend, workers, batch, precision, durationMs, buildMs, setupMs, deliveryOrder and threadTimes (workers), wallMs, rtf, spikes, synapticEvents, ratesHz, spikeHash, peakRssBytes, ...' },
} as const satisfies FlagTable;

/** neurochaos simulate: build a model, simulate it, print a summary. */
export const SIMULATE_COMMAND = defineCommand({
  name: 'simulate',
  summary: 'build a model and simulate it (default: microcircuit, scale 0.1, 1 s)',
  description: 'Builds a model, simulates it and prints a summary (or one JSON object with --json).',
  flags: SIMULATE_FLAGS,
  notes: 'On a terminal a progress line runs on stderr. Ctrl-C stops the run cleanly at the next chunk of steps and prints what was simulated so far (interrupted: true, exit code 130); during the network build it stops the build within about 50 ms, says so and prints no result (exit code 130). spikeHash is a 64-bit prefix of SHA-256 over the sorted (step, neuron) pairs: two runs with equal hashes produced the same spikes.',
  exitCodes: '0 simulated; 2 bad input (the flag or model field is named with its allowed range); 130 interrupted.',
  run: (parsed, ctx) => simulateCommand(parsed, ctx),
});

export const SIMULATE_HELP = commandHelp(SIMULATE_COMMAND);

export async function simulateCommand({ flags: values }: ParsedCommand<typeof SIMULATE_FLAGS>, ctx: CliContext): Promise<number> {
  const options: SimulateOptions = {
    model: values.model,
    scale: values.scale,
    kScale: values['k-scale'],
    background: values.background,
    durationMs: values.duration,
    warmupMs: values.warmup,
    dtMs: values.dt,
    seed: values.seed,
    backend: values.backend,
    workers: values.workers,
    batch: values.batch,
    precision: values.precision,
    deliveryOrder: values['delivery-order'],
    guards: { enabled: values.guards === 'on' },
    gpujsMode: values['gpujs-mode'],
    saveCheckpoint: values['save-checkpoint'],
    restoreFrom: values.restore,
    checkpointIntervalMs: values['checkpoint-interval'],
    recordFile: values.record,
    recordFsync: values['record-fsync'],
    signal: ctx.signal,
  };
  // Output files are checked before the network is built: a run is not lost to a folder that cannot be written.
  if (values['save-checkpoint'] !== undefined) checkOutputFile(values['save-checkpoint'], '--save-checkpoint');
  if (values.record !== undefined) {
    checkOutputFile(values.record, '--record');
    // A recording is resumed only from a checkpoint; a fresh run would truncate it, and a long run's spikes are not lost to a repeated command.
    if (values.restore === undefined && existsSync(values.record)) throw new InputError('--record', `"${values.record}" exists and a fresh run would replace it: remove it or record to another file, or pass --restore CHECKPOINT to resume it from that checkpoint`);
  }
  const every = values['checkpoint-every'];
  if (every !== undefined) options.checkpointEverySteps = exactSteps(every, options.dtMs ?? DEFAULT_DT_MS, '--checkpoint-every');
  const progress = new ProgressLine(ctx.stderr, 'simulating');
  options.onPhase = (phase, d) => {
    if (phase === 'build') progress.note('building network...');
    else progress.note(`simulating ${d.neurons} neurons, ${d.synapses} synapses...`);
  };
  options.onProgress = (done, total) => progress.update(done, total);
  options.onSupervision = (e) => {
    progress.done();
    if (e.kind === 'worker-lost') ctx.stderr.write(`neurochaos: worker of shard ${e.shard} lost at step ${e.step}: ${e.error}\n`);
    else if (e.kind === 'restored') ctx.stderr.write(`neurochaos: restored every shard to step ${e.toStep}\n`);
    else ctx.stderr.write(`neurochaos: recomputing ${e.steps} steps (${e.fromStep} -> ${e.toStep})\n`);
  };
  let result;
  try {
    result = await simulate(options);
  } catch (e) {
    throw asFlagError(e);
  } finally {
    progress.done();
  }
  ctx.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatSimulateResult(result)}\n`);
  return result.interrupted ? 130 : 0;
}
