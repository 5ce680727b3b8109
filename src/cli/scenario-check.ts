import { asFlagError } from './parse-flags.js';
import { ChaosEngine, type EngineOptions, type PlannedExperiment } from '../engine/chaos-engine.js';
import { loadScenario } from '../engine/load-scenario.js';
import type { Scenario } from '../engine/scenario-schema.js';
import { resolveModel } from '../model/resolve-model.js';
import { scenarioNotices } from '../engine/paired-controls.js';
import { InputError } from '../util/errors.js';
import { resolveScenarioArg } from './shipped-scenarios.js';

export interface CheckedScenario {
  /** The argument as the user gave it (a path or a shipped scenario's name). */
  arg: string;
  /** The file it resolved to. */
  file: string;
  scenario: Scenario;
  engine: ChaosEngine;
  /** Every experiment with its fault validated against its kind's schema and its targets resolved on the built network. */
  plan: PlannedExperiment[];
  /** Neurons of the scenario's network. */
  neurons: number;
  /** What changed meaning in the file (deprecated fields and how they are read), one line each, for stderr. */
  notices: string[];
}

/** Engine options the run command takes from flags, overriding the scenario's field of the same name. */
const CLI_OVERRIDES = new Set(['backend', 'workers', 'seed', 'precision', 'timeScale']);

/** Model errors are raised by the resolver with its option names; in a scenario they live under `model`. */
const MODEL_FIELDS = new Set(['scale', 'kScale', 'background']);

/**
 * Everything `validate`, `run --dry-run` and `run` check before simulating,
 * in one place so the three cannot drift apart: the scenario against its
 * schema (numbers finite and in range: a YAML `1e999` is Infinity and
 * refused), the engine options, the model (built-in or file) and each
 * fault against its kind's schema, with targets resolved on the built network
 * (unknown populations, empty synapse selections). Errors are InputErrors
 * whose field starts with the file, e.g. `quick.yaml.experiments[0].fault.kind`.
 * The network is built with turns of the event loop: an aborted
 * `options.signal` (Ctrl-C) stops a long build with an InterruptedError.
 */
export async function checkScenario(arg: string, options: EngineOptions = {}): Promise<CheckedScenario> {
  const file = resolveScenarioArg(arg);
  const scenario = loadScenario(file);
  try {
    const engine = new ChaosEngine(scenario, { ...options, scenarioFile: file });
    const plan = await engine.planAsync(true);
    const m = scenario.model;
    const neurons = resolveModel({ model: m.name, scale: m.scale, kScale: m.kScale, background: m.background }).populations.reduce((n, p) => n + p.size, 0);
    return { arg, file, scenario, engine, plan, neurons, notices: scenarioNotices(scenario).map((n) => `${file}: ${n}`) };
  } catch (e) {
    // A value the command line gave (--precision, --backend, ...) is named by its flag, not by the file's field it overrides.
    if (e instanceof InputError && CLI_OVERRIDES.has(e.field) && options[e.field as keyof EngineOptions] !== undefined) throw asFlagError(e);
    // The engine names fields from the scenario's root; the loader names them from the file: say which file here too.
    if (e instanceof InputError && !e.field.startsWith(file) && !e.field.startsWith('--')) {
      const field = MODEL_FIELDS.has(e.field) ? `model.${e.field}` : e.field;
      // Further lines of the message name further fields (`\n  experiments[0].fault.x: ...`): prefix them the same way.
      const text = e.message.slice(e.field.length + 2).replace(/\n {2}(?=[\w[])/g, `\n  ${file}.`);
      throw new InputError(`${file}.${field}`, text);
    }
    throw e;
  }
}
