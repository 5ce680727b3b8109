import { runVerdict } from '../engine/verdict.js';
import { trialsOf } from '../engine/paired-controls.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_BACKEND } from '../backends/create-backend.js';
import type { ChaosEngine } from '../engine/chaos-engine.js';
import { JOURNAL_FORMAT_VERSION, type ExperimentRecord, type Journal } from '../engine/journal.js';
import { buildResilienceReport } from '../engine/resilience-report.js';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The journal of the experiments that finished, for a run that is forced to
 * exit (a second Ctrl-C) before the engine could write its own: status
 * `interrupted`, the finished experiments' records as the engine journaled
 * them, and the report over those. Scenario fields the engine resolves while
 * running (the tfjs flavour, the neuron count before the first experiment
 * ends) are given as configured.
 */
export function partialJournal(engine: ChaosEngine, finished: ExperimentRecord[], startedAt: string, neurons: number): Journal {
  const s = engine.scenario;
  const backend = engine.options.backend ?? s.backend ?? DEFAULT_BACKEND;
  return {
    formatVersion: JOURNAL_FORMAT_VERSION,
    tool: { name: 'neurochaos', version: packageVersion(), node: process.version },
    scenario: { title: s.title, file: engine.options.scenarioFile, seed: engine.options.seed ?? s.seed, timeScale: engine.timeScale, backend, workers: engine.workerThreadsOf(backend), batch: trialsOf(s), model: s.model, neurons, dtMs: s.dtMs, defences: s.defences, ...(engine.precision === undefined ? {} : { precision: engine.precision }) },
    status: 'interrupted',
    verdict: runVerdict({ status: 'interrupted', experiments: finished }),
    startedAt,
    endedAt: new Date().toISOString(),
    experiments: finished,
    report: buildResilienceReport(finished),
  };
}
