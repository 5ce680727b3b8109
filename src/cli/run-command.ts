import { resolve } from 'node:path';
import { ChaosEngine, journalPassed } from '../engine/chaos-engine.js';
import type { Journal } from '../engine/journal.js';
import { loadScenario } from '../engine/load-scenario.js';
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

export const RUN_HELP = `Usage: neurochaos run FILE... [options]

Runs the experiments of scenario files: baseline, inject, observe, roll back,
recover, score. Writes journal.json, report.html and summary.md per scenario.

Options:
  --out DIR           output folder (default: neurochaos-out); one subfolder per file when several
  --backend NAME      the scenario's backend, else ${backendHelpLines(20)}
  --workers W         worker threads, at most ${MAX_WORKERS}
  --seed N            override the scenario seed
  --time-scale X      multiply observation, recovery and fault durations by X (e.g. 0.01 for a quick run)
  --defences MODE     on (the scenario's defences, default), off (guards, scrubbing, durable
                      recording and graceful degradation all off), or both: runs the scenario
                      defended and raw and writes comparison.md / comparison.html side by side
  --dry-run           validate and print the plan; inject nothing
  --json              print the journals as JSON
  -h, --help          this help

Exit codes: 0 every hypothesis held and every SLA was met; 1 one did not;
2 bad input; 130 interrupted (faults rolled back, journal marked interrupted).`;

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
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file (try scenarios/quick.yaml); see --help');
  const options = {
    backend: values.backend === undefined ? undefined : BACKENDS.checkChoice(values.backend, '--backend'),
    workers: numberFlag(values.workers, '--workers', 1, MAX_WORKERS, { integer: true }),
    seed: numberFlag(values.seed, '--seed', 0, 4294967295, { integer: true }),
    timeScale: numberFlag(values['time-scale'], '--time-scale', 0, 100, { exclusiveMin: true }),
  };
  const defences = choiceFlag(values.defences, '--defences', DEFENCE_MODES) ?? 'on';
  const outRoot = resolve(values.out ?? 'neurochaos-out');
  const scenarios = positionals.map((f) => ({ file: f, scenario: loadScenario(f) }));
  const dirOf = (i: number) => (scenarios.length === 1 ? outRoot : resolve(outRoot, String(i).padStart(2, '0')));
  const variants: { name: 'defended' | 'raw'; sub: string }[] = defences === 'both' ? [{ name: 'defended', sub: 'defended' }, { name: 'raw', sub: 'raw' }] : [{ name: defences === 'off' ? 'raw' : 'defended', sub: '' }];
  const engines = scenarios.flatMap(({ file, scenario }, i) =>
    variants.map((v) => {
      const dir = resolve(dirOf(i), v.sub);
      const engine = new ChaosEngine(v.name === 'raw' ? withDefencesOff(scenario) : scenario, { ...options, signal: ctx.signal, scenarioFile: file, recordDir: resolve(dir, 'recordings') });
      return { engine, dir, variant: v.name, index: i };
    }),
  );
  if (values['dry-run']) {
    const plans = engines.filter((e) => e.variant === variants[0].name).map(({ engine: e, index: i }) => ({ file: scenarios[i].file, title: e.scenario.title, experiments: e.plan(true) }));
    if (values.json) ctx.stdout.write(`${JSON.stringify(plans, null, 1)}\n`);
    else for (const p of plans) ctx.stdout.write(`${p.file}: ${p.title}\n${p.experiments.map((x) => `  ${x.id}: ${x.kind}, observe ${x.observationMs} ms, recover within ${x.recoveryTimeoutMs} ms\n    fault ${JSON.stringify(x.fault)}\n    targets ${describeTargets(x.targets)}`).join('\n')}\n`);
    return 0;
  }
  const journals: Journal[] = [];
  let code = 0;
  let defendedJournal: Journal | null = null;
  for (let i = 0; i < engines.length; i++) {
    const { engine, dir, variant } = engines[i];
    if (variants.length > 1) ctx.stderr.write(`${variant === 'defended' ? 'defences on' : 'defences off (raw)'}: ${engine.scenario.title}\n`);
    const progress = new ProgressLine(ctx.stderr, '');
    engine.on('experiment-start', (e) => progress.note(`[${e.index + 1}/${e.total}] ${e.id} (${e.kind})`));
    engine.on('progress', (p) => progress.update(p.doneMs, (engine.scenario.experiments[p.index] ? p.totalMs : 1), `${p.id}: ${p.phase}`));
    engine.on('experiment-end', () => progress.done());
    let journal: Journal;
    try {
      journal = await engine.run();
    } finally {
      progress.done();
    }
    journals.push(journal);
    const files = writeOutputs(dir, journal);
    if (variant === 'defended') defendedJournal = journal;
    else if (defendedJournal && variants.length > 1) files.push(...writeComparison(resolve(dir, '..'), defendedJournal, journal));
    if (!values.json) ctx.stdout.write(`${closingTable(journal)}\n  wrote ${files.join(', ')}\n`);
    if (journal.status === 'interrupted') code = 130;
    // With both variants, the exit code follows the defended run: the raw run is expected to show damage.
    else if (!journalPassed(journal) && code === 0 && (variants.length === 1 || variant === 'defended')) code = 1;
    if (code === 130) break;
  }
  if (values.json) ctx.stdout.write(`${JSON.stringify(journals)}\n`);
  return code;
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
