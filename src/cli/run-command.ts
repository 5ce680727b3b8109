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
import { BACKENDS } from '../backends/registered-backends.js';
import { MAX_WORKERS } from '../config/settings.js';
import { backendHelpLines } from './backend-help.js';
import type { CliContext } from './context.js';
import { choiceFlag, numberFlag, parseFlags } from './parse-flags.js';
import { ProgressLine } from './progress-line.js';
import { partialJournal } from './partial-journal.js';
import { checkScenario } from './scenario-check.js';

export const RUN_HELP = `Usage: neurochaos run FILE|NAME... [options]

Runs the experiments of scenario files: baseline, inject, observe, roll back,
recover, score. Writes journal.json, report.html and summary.md per scenario.
A NAME is a shipped scenario (quick, spike_storm_overload, ...: see 'neurochaos list').
Every scenario and every output folder is checked before the first experiment.

Options:
  --out DIR           output folder (default: neurochaos-out); one subfolder per file when several
  --backend NAME      the scenario's backend, else ${backendHelpLines(20)}
  --workers W         worker threads, at most ${MAX_WORKERS}
  --seed N            override the scenario seed
  --time-scale X      multiply observation, recovery, fault durations and the SLA by X (e.g. 0.01 for a quick run)
  --defences MODE     on (the scenario's defences, default), off (guards, scrubbing, durable
                      recording and graceful degradation all off), or both: runs the scenario
                      defended and raw and writes comparison.md / comparison.html side by side
  --dry-run           validate and print the plan; inject nothing
  --json              print the journals as JSON
  -h, --help          this help

Verdicts: each experiment's treated replicas are judged against paired
counterfactual controls (same network, seed and drive, no fault; judge.controls
and judge.trials in the scenario) on simulated data only: the same scenario and
seed give the same verdicts. A run's verdict is pass only when every experiment
passed. See docs/verdicts.md.

Exit codes: 0 only when every experiment passed (with --defences both, every
experiment of the defended run); 1 otherwise (an experiment failed, or the
outputs had to be written to a fallback folder, named on stderr); 2 bad input; 130 interrupted (faults rolled back, journal marked
interrupted; a second Ctrl-C exits at once after writing the journal of the
finished experiments).`;

export async function runCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      out: { type: 'string' },
      backend: { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string' },
      defences: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    100,
  );
  if (values.help) {
    ctx.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file or shipped scenario name (try quick; neurochaos list names them); see --help');
  const options = {
    backend: values.backend === undefined ? undefined : BACKENDS.checkChoice(values.backend, '--backend'),
    workers: numberFlag(values.workers, '--workers', 1, MAX_WORKERS, { integer: true }),
    seed: numberFlag(values.seed, '--seed', 0, 4294967295, { integer: true }),
    timeScale: numberFlag(values['time-scale'], '--time-scale', 0, 100, { exclusiveMin: true }),
  };
  const defences = choiceFlag(values.defences, '--defences', DEFENCE_MODES) ?? 'on';
  const outRoot = resolve(values.out ?? 'neurochaos-out');
  // Everything a run needs is checked before the first experiment: the same checks as `validate`, then every output location.
  const checked = positionals.map((f) => checkScenario(f, { ...options, signal: ctx.signal }));
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
    else for (const p of plans) ctx.stdout.write(`${p.file}: ${p.title}\n${p.experiments.map((x) => `  ${x.id}: ${x.kind}, observe ${x.observationMs} ms, recover within ${x.recoveryTimeoutMs} ms\n    fault ${JSON.stringify(x.fault)}\n    targets ${describeTargets(x.targets)}`).join('\n')}\n`);
    return 0;
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
  try {
    for (let i = 0; i < engines.length; i++) {
      const { engine, dir, variant, neurons } = engines[i];
      if (variants.length > 1) ctx.stderr.write(`${variant === 'defended' ? 'defences on' : 'defences off (raw)'}: ${engine.scenario.title}\n`);
      const progress = new ProgressLine(ctx.stderr, '');
      const run = { engine, dir, finished: [] as ExperimentRecord[], startedAt: new Date().toISOString(), neurons };
      current = run;
      engine.on('experiment-start', (e) => progress.note(`[${e.index + 1}/${e.total}] ${e.id} (${e.kind})`));
      engine.on('progress', (p) => progress.update(p.doneMs, (engine.scenario.experiments[p.index] ? p.totalMs : 1), `${p.id}: ${p.phase}`));
      engine.on('experiment-end', (e) => {
        progress.done();
        run.finished.push(e.record);
      });
      let journal: Journal;
      try {
        journal = await engine.run();
      } finally {
        progress.done();
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
