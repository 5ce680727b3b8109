import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChaosEngine, journalPassed } from '../engine/chaos-engine.js';
import type { ExperimentRecord, Journal } from '../engine/journal.js';
import { checkOutputFolder } from '../io/output-location.js';
import { writeComparison, writeOutputs } from '../report/write-outputs.js';
import { fmtScore } from '../report/format-score.js';
import { DEFENCE_MODES, withDefencesOff } from '../engine/defence-variants.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_BACKEND } from '../backends/registered-backends.js';
import type { CliContext } from './context.js';
import { RunProgress, type PlannedRun } from './progress-line.js';
import { experimentDurations } from '../engine/phases/experiment-state.js';
import { wallEstimates } from './wall-estimate.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';
import { backendFlag, jsonFlag, precisionFlag, seedFlag, workersFlag } from './common-flags.js';
import { partialJournal } from './partial-journal.js';
import { checkScenario, type CheckedScenario } from './scenario-check.js';

const RUN_FLAGS = {
  out: { type: 'string', value: 'DIR', description: 'output folder; one numbered subfolder per scenario when several are given', default: 'neurochaos-out' },
  backend: { ...backendFlag, defaultText: `the scenario's backend, else ${DEFAULT_BACKEND}` },
  workers: { ...workersFlag, defaultText: "the scenario's workers, else the number of cores" },
  seed: { ...seedFlag, description: "override the scenario's seed" },
  precision: { ...precisionFlag, description: `override the scenario's precision: ${precisionFlag.description}`, defaultText: "the scenario's precision, else float64" },
  'time-scale': {
    type: 'number',
    value: 'X',
    min: 0,
    max: 100,
    exclusiveMin: true,
    description: 'multiply observation, recovery timeout, fault durations and the SLA by X (0.01 makes a long scenario quick); warm-up, baseline, hold and monitor interval stay as written',
    defaultText: '1',
  },
  defences: {
    type: 'choice',
    value: 'MODE',
    choices: DEFENCE_MODES,
    default: 'on',
    description: "the simulator's defences, see docs/defences.md",
    values: () => [
      ['on', "the scenario's defences"],
      ['off', 'guards, scrubbing, durable recording and graceful degradation all off'],
      ['both', 'run defended and raw, and write comparison.md / comparison.html side by side'],
    ],
  },
  'dry-run': { type: 'boolean', description: "validate every scenario and print the plan (faults and their targets) with each experiment's simulated time and a wall-time estimate from a short calibration run; inject nothing" },
  quiet: { type: 'boolean', description: 'no progress on stderr (errors still go there)' },
  json: { ...jsonFlag, description: 'print the journals as JSON (with --dry-run: the plans)' },
} as const satisfies FlagTable;

/** neurochaos run: scenario experiments, their journals and reports. */
export const RUN_COMMAND = defineCommand({
  name: 'run',
  summary: 'run scenario experiments: baseline, inject, observe, recover, score, report',
  args: { syntax: 'FILE|NAME...', max: 100 },
  description: `Runs the experiments of scenario files: baseline, inject, observe, roll back, recover, score. Writes journal.json, report.html and summary.md per scenario.
A NAME is a shipped scenario (quick, spike_storm_overload, ...: see 'neurochaos list').
Every scenario and every output folder is checked before the first experiment.
Progress goes to stderr: a bar with the overall simulated time and an ETA on a terminal, a plain line every 10 s otherwise (CI logs), one line per experiment.
Verdicts: each experiment's treated replicas are judged against paired counterfactual controls (same network, seed and drive, no fault; judge.controls and judge.trials in the scenario) on simulated data only: the same scenario and seed give the same verdicts. A run's verdict is pass only when every experiment passed. See docs/verdicts.md.`,
  flags: RUN_FLAGS,
  exitCodes: `0 only when every experiment passed (with --defences both, every experiment of the defended run); 1 otherwise (an experiment failed, or the outputs had to be written to a fallback folder, named on stderr); 2 bad input; 130 interrupted (faults rolled back, journal marked interrupted; a second Ctrl-C exits at once after writing the journal of the finished experiments).`,
  notes: "Before the first experiment every scenario is checked as 'validate' checks it, and every output location (--out and its recordings/ folder): a folder that cannot be written exits 2 naming the flag before anything is simulated. If writing still fails after a run (the disk filled, the folder went away), the closing table is printed and the outputs go to a new folder under the OS temp dir, named on stderr. Errors never print a stack trace (NEUROCHAOS_DEBUG=1 shows one for an unexpected error). Piping into head is fine.",
  run: (parsed, ctx) => runCommand(parsed, ctx),
});

export async function runCommand({ flags: values, args: positionals }: ParsedCommand<typeof RUN_FLAGS>, ctx: CliContext): Promise<number> {
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file or shipped scenario name (try quick; neurochaos list names them); see --help');
  const options = {
    backend: values.backend,
    workers: values.workers,
    seed: values.seed,
    precision: values.precision,
    timeScale: values['time-scale'],
  };
  const defences = values.defences;
  const outRoot = resolve(values.out);
  // Everything a run needs is checked before the first experiment: the same checks as `validate`, then every output location.
  const checked: CheckedScenario[] = [];
  for (const f of positionals) checked.push(await checkScenario(f, { ...options, signal: ctx.signal }));
  for (const n of checked.flatMap((c) => c.notices)) ctx.stderr.write(`neurochaos: ${n}\n`);
  checkOutputFolder(outRoot, '--out');
  const dirOf = (i: number) => (checked.length === 1 ? outRoot : resolve(outRoot, String(i).padStart(2, '0')));
  const variants: { name: 'defended' | 'raw'; sub: string }[] = defences === 'both' ? [{ name: 'defended', sub: 'defended' }, { name: 'raw', sub: 'raw' }] : [{ name: defences === 'off' ? 'raw' : 'defended', sub: '' }];
  const engines = checked.flatMap(({ file, scenario, neurons }, i) =>
    variants.map((v) => {
      const dir = resolve(dirOf(i), v.sub);
      const recordDir = resolve(dir, 'recordings');
      const variantScenario = v.name === 'raw' ? withDefencesOff(scenario) : scenario;
      checkOutputFolder(dir, '--out');
      if (variantScenario.defences.recording !== 'off') checkOutputFolder(recordDir, '--out');
      const engine = new ChaosEngine(variantScenario, { ...options, signal: ctx.signal, scenarioFile: file, recordDir });
      return { engine, dir, variant: v.name, index: i, neurons };
    }),
  );
  if (values['dry-run']) {
    const plans = checked.map((c) => ({ file: c.arg, title: c.scenario.title, experiments: c.plan }));
    if (values.json) ctx.stdout.write(`${JSON.stringify(plans, null, 1)}\n`);
    else {
      for (const [i, p] of plans.entries()) {
        const sims = plannedRuns([engines[i * variants.length]]);
        const est = await wallEstimates(checked[i], sims.map((x) => x.plannedMs));
        ctx.stdout.write(`${p.file}: ${p.title}\n${p.experiments.map((x, k) => `  ${x.id}: ${x.kind}, observe ${x.observationMs} ms, recover within ${x.recoveryTimeoutMs} ms\n    simulated ${sims[k].plannedMs} ms at most (warm-up, baseline, observation, recovery timeout); wall ${est.perExperiment[k]}\n    fault ${JSON.stringify(x.fault)}\n    targets ${describeTargets(x.targets)}`).join('\n')}\n  ${est.note}\n`);
      }
    }
    // A Ctrl-C after the last estimate still reads as an interrupt.
    return ctx.signal?.aborted ? 130 : 0;
  }
  const journals: Journal[] = [];
  let code = 0;
  let defendedJournal: Journal | null = null;
  // On a second Ctrl-C the process exits at once: the experiments that finished are journaled first.
  let current: { engine: ChaosEngine; dir: string; finished: ExperimentRecord[]; startedAt: string; neurons: number } | null = null;
  const rescue = () => {
    if (!current) return;
    const { files } = saveOutputs(current.dir, partialJournal(current.engine, current.finished, current.startedAt, current.neurons), ctx, true);
    ctx.stderr.write(`neurochaos: journal of the ${current.finished.length} finished experiment(s) written to ${files[0]}\n`);
  };
  ctx.beforeForcedExit?.add(rescue);
  // One progress across every experiment of every scenario and variant: overall simulated ms, an ETA from the measured rate.
  const progress = new RunProgress(ctx.stderr, plannedRuns(engines), { quiet: values.quiet === true });
  let offset = 0;
  try {
    for (let i = 0; i < engines.length; i++) {
      const { engine, dir, variant, neurons } = engines[i];
      if (variants.length > 1 && !values.quiet) ctx.stderr.write(`${variant === 'defended' ? 'defences on' : 'defences off (raw)'}: ${engine.scenario.title}\n`);
      const run = { engine, dir, finished: [] as ExperimentRecord[], startedAt: new Date().toISOString(), neurons };
      current = run;
      const at = offset;
      offset += engine.scenario.experiments.length;
      engine.on('experiment-start', (e) => progress.start(at + e.index));
      engine.on('progress', (p) => progress.update(p.doneMs, p.totalMs, p.phase));
      engine.on('experiment-end', (e) => {
        progress.end(e.record.verdict?.outcome ?? e.record.status);
        run.finished.push(e.record);
      });
      let journal: Journal;
      try {
        journal = await engine.run();
      } finally {
        progress.stop();
      }
      current = null;
      journals.push(journal);
      const saved = saveOutputs(dir, journal, ctx);
      const files = saved.files;
      if (variant === 'defended') defendedJournal = journal;
      else if (defendedJournal && variants.length > 1 && !saved.rescued) files.push(...saveComparison(resolve(dir, '..'), defendedJournal, journal, ctx));
      if (!values.json) ctx.stdout.write(`${closingTable(journal)}\n  wrote ${files.join(', ')}\n`);
      if (journal.status === 'interrupted') code = 130;
      // With both variants, the exit code follows the defended run: the raw run is expected to show damage.
      else if (!journalPassed(journal) && code === 0 && (variants.length === 1 || variant === 'defended')) code = 1;
      // Outputs that could not be written where asked fail the run, whatever the verdict.
      else if (saved.rescued && code === 0) code = 1;
      if (code === 130) break;
    }
  } finally {
    ctx.beforeForcedExit?.delete(rescue);
  }
  if (values.json) ctx.stdout.write(`${JSON.stringify(journals)}\n`);
  return code;
}

/**
 * Writes a journal's outputs into `dir`; when that fails (the folder became
 * unwritable, the disk filled), writes them into a new folder under the OS
 * temp dir instead and says where, so a finished run is never lost.
 * `journalOnly` writes journal.json alone (the forced-exit path: quick).
 */
function saveOutputs(dir: string, journal: Journal, ctx: CliContext, journalOnly = false): { files: string[]; rescued: boolean } {
  const write = (d: string) => {
    if (!journalOnly) return writeOutputs(d, journal);
    mkdirSync(d, { recursive: true });
    const file = join(d, 'journal.json');
    writeFileSync(file, `${JSON.stringify(journal, null, 1)}\n`);
    return [file];
  };
  try {
    return { files: write(dir), rescued: false };
  } catch (e) {
    const fallback = mkdtempSync(join(tmpdir(), 'neurochaos-rescued-'));
    ctx.stderr.write(`neurochaos: cannot write the outputs into ${dir} (${errorText(e)}); writing them into ${fallback} instead\n`);
    return { files: write(fallback), rescued: true };
  }
}

function saveComparison(dir: string, defended: Journal, raw: Journal, ctx: CliContext): string[] {
  try {
    return writeComparison(dir, defended, raw);
  } catch (e) {
    ctx.stderr.write(`neurochaos: cannot write the comparison into ${dir} (${errorText(e)}); both journals are written, 'neurochaos report' regenerates their reports\n`);
    return [];
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

function closingTable(j: Journal): string {
  const rows = j.experiments.map((e) => {
    const watched = e.scores.recovery !== null;
    const rec = e.recovery.recovered ? `${e.recovery.simMs!.toFixed(0)} ms` : watched ? 'no' : 'n/a';
    const after = e.hypothesis.after === null ? 'n/a   ' : e.hypothesis.after ? 'held  ' : 'FAILED';
    return `  ${e.id.padEnd(28)} ${e.fault.kind.padEnd(18)} ${e.status.padEnd(11)} ${e.verdict.outcome.padEnd(11)} after:${after} recovered:${rec.padEnd(9)} SLA:${e.recovery.slaMet ? 'met   ' : watched ? 'MISSED' : 'n/a   '} score ${fmtScore(e.scores.overall)}`;
  });
  return [`${j.scenario.title}: ${j.status}, overall ${fmtScore(j.report.overall)}`, ...rows, ...j.report.criticalVulnerabilities.map((c) => `  ! ${c}`)].join('\n');
}

/** Each experiment of the engines in run order, with its planned simulated ms (warm-up, baseline, observation, recovery timeout). */
function plannedRuns(engines: { engine: ChaosEngine }[]): PlannedRun[] {
  return engines.flatMap(({ engine }) =>
    engine.scenario.experiments.map((e) => {
      const d = experimentDurations(engine.scenario, e, engine.timeScale);
      return { id: e.id, kind: String(e.fault.kind), plannedMs: d.warmupMs + d.baselineMs + d.observationMs + d.recoveryTimeoutMs };
    }),
  );
}

function describeTargets(t: unknown): string {
  if (typeof t === 'string' || t === undefined) return String(t);
  const x = t as { neurons?: number[]; replicas?: number[]; synapses?: number; worker?: number; threads?: number };
  const parts = [];
  if (x.neurons) parts.push(`${x.neurons.length} neurons (${x.neurons.slice(0, 8).join(', ')}${x.neurons.length > 8 ? ', ...' : ''})`);
  if (x.replicas) parts.push(`replicas ${x.replicas.join(', ')}`);
  if (x.synapses !== undefined) parts.push(`${x.synapses} synapses`);
  if (x.worker !== undefined) parts.push(`worker ${x.worker}`);
  if (x.threads !== undefined) parts.push(`${x.threads} thread(s)`);
  return parts.join('; ');
}
