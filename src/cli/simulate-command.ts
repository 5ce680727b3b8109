import { DEFAULT_CHECKPOINT_EVERY_STEPS, MAX_BATCH, MAX_WORKERS } from '../config/settings.js';
import { DEFAULT_DT_MS } from '../model/builder.js';
import { backendHelpLines } from './backend-help.js';
import { simulate, type SimulateOptions } from '../simulate.js';
import { GPUJS_MODES } from '../backends/gpujs/gpujs-mode.js';
import { formatSimulateResult } from './format-simulate.js';
import { asFlagError, choiceFlag, numberFlag, parseFlags } from './parse-flags.js';
import { ProgressLine } from './progress-line.js';
import type { CliContext } from './context.js';
import { checkOutputFile } from '../io/output-location.js';
import { exactSteps } from '../util/time-steps.js';

export const SIMULATE_HELP = `Usage: neurochaos simulate [options]

Builds a model, simulates it and prints a summary (or one JSON object with --json).

Options:
  --model NAME|FILE     microcircuit (default), cuba, or a YAML/JSON model file
  --scale S             neuron-count scale of a built-in model (microcircuit: default 0.1, in [0.001, 1])
  --k-scale K           in-degree scale of the microcircuit (default 1, in [0.001, 1])
  --background KIND     microcircuit background: poisson (default) or dc
  --duration MS         simulated time in ms (default 1000)
  --warmup MS           leave the first MS out of the rates (default 0)
  --dt MS               time step in ms (default 0.1)
  --seed N              seed of construction and per-step randomness (default 1)
  --backend NAME        ${backendHelpLines(22)}
  --workers W           worker threads, at most ${MAX_WORKERS} (default: the number of cores; other backends: 1)
  --batch B             replicas of the network, differing by seed, at most ${MAX_BATCH} (default 1)
  --save-checkpoint F   write the final state to F (atomic: temp file, fsync, rename)
  --restore F           start from checkpoint F (give the same model, scale and dt) and run --duration more
  --checkpoint-interval MS  with --save-checkpoint: also write it every MS of simulated time
                      (each write atomic, then read back and verified)
  --checkpoint-every MS in-memory checkpoint interval the workers' supervisor recovers from
                        (default ${DEFAULT_CHECKPOINT_EVERY_STEPS} steps: ${DEFAULT_CHECKPOINT_EVERY_STEPS * DEFAULT_DT_MS} ms at dt ${DEFAULT_DT_MS} ms)
  --record F            record every spike durably to F (blocks with sequence numbers and CRCs;
                        retries with backoff on disk errors); with --restore, F is resumed at the
                        checkpoint: after a crash, restore and record to the same file
  --record-fsync P      block, interval (default: at most 200 ms after a block) or none
  --gpujs-mode MODE     gpujs backend: require webgpu, headlessgl or cpu (default: the best that works)
  --guards on|off       guards against non-finite state and saturating input (default off)
  --json                print one JSON object
  -h, --help            this help

Ctrl-C stops the run cleanly and prints what was simulated so far (exit code 130).`;

export async function simulateCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseFlags(argv, {
    model: { type: 'string' },
    scale: { type: 'string' },
    'k-scale': { type: 'string' },
    background: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    dt: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    batch: { type: 'string' },
    'save-checkpoint': { type: 'string' },
    restore: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'checkpoint-interval': { type: 'string' },
    record: { type: 'string' },
    'record-fsync': { type: 'string' },
    guards: { type: 'string' },
    'gpujs-mode': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(`${SIMULATE_HELP}\n`);
    return 0;
  }
  const options: SimulateOptions = {
    model: values.model,
    scale: numberFlag(values.scale, '--scale', 0, 100, { exclusiveMin: true }),
    kScale: numberFlag(values['k-scale'], '--k-scale', 0.001, 1),
    background: choiceFlag(values.background, '--background', ['poisson', 'dc'] as const),
    durationMs: numberFlag(values.duration, '--duration', 0, 1e7, { exclusiveMin: true }),
    warmupMs: numberFlag(values.warmup, '--warmup', 0, 1e7),
    dtMs: numberFlag(values.dt, '--dt', 0.001, 10),
    seed: numberFlag(values.seed, '--seed', 0, 4294967295, { integer: true }),
    backend: values.backend,
    workers: numberFlag(values.workers, '--workers', 1, MAX_WORKERS, { integer: true }),
    batch: numberFlag(values.batch, '--batch', 1, MAX_BATCH, { integer: true }),
    guards: { enabled: choiceFlag(values.guards, '--guards', ['on', 'off'] as const) === 'on' },
    gpujsMode: choiceFlag(values['gpujs-mode'], '--gpujs-mode', GPUJS_MODES),
    saveCheckpoint: values['save-checkpoint'],
    restoreFrom: values.restore,
    checkpointIntervalMs: numberFlag(values['checkpoint-interval'], '--checkpoint-interval', 0, 1e7, { exclusiveMin: true }),
    recordFile: values.record,
    recordFsync: choiceFlag(values['record-fsync'], '--record-fsync', ['block', 'interval', 'none'] as const),
    signal: ctx.signal,
  };
  // Output files are checked before the network is built: a run is not lost to a folder that cannot be written.
  if (values['save-checkpoint'] !== undefined) checkOutputFile(values['save-checkpoint'], '--save-checkpoint');
  if (values.record !== undefined) checkOutputFile(values.record, '--record');
  const every = numberFlag(values['checkpoint-every'], '--checkpoint-every', 0, 1e7, { exclusiveMin: true });
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
