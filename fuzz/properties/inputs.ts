import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { createBackend } from '../../src/backends/create-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { FaultKindName } from '../../src/chaos/fault.js';
import { FAULT_KINDS, kindsActingOn, kindsRequiring } from '../../src/chaos/fault-kinds.js';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { numberFlag, parseFlags } from '../../src/cli/parse-flags.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { loadScenario, MAX_SCENARIO_BYTES, validateScenario } from '../../src/engine/load-scenario.js';
import { outputFs } from '../../src/io/output-fs.js';
import { Allocator } from '../../src/memory/allocator.js';
import { buildNetwork } from '../../src/model/builder.js';
import { loadModelFile } from '../../src/model/load-model-file.js';
import { validateNetworkSpec } from '../../src/model/spec-schema.js';
import { checkProperty } from '../../src/fuzz/check-property.js';
import { digestOf } from '../../src/fuzz/chaos-rig.js';
import { faultSpecArbitrary } from '../../src/fuzz/fault-arbitraries.js';
import { deeplyNested, hostileValueArbitrary, withHostileField } from '../../src/fuzz/hostile-values.js';
import { networkSpecArbitrary } from '../../src/fuzz/network-arbitrary.js';
import { scenarioArbitrary } from '../../src/fuzz/scenario-arbitrary.js';
import { InputError, shownJson } from '../../src/util/errors.js';
import type { FuzzCase } from '../fuzz-case.js';
import { fuzzNetwork, fuzzNetworkSpec } from '../networks.js';

/** Either it returns, or it throws an InputError whose field starts with `root`; anything else fails the property. */
function acceptOrRefuse<T>(what: string, root: RegExp, fn: () => T): T | InputError {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of an InputError`);
    if (!root.test(e.field)) throw new Error(`${what}: the error names "${e.field}", expected a field matching ${root} (${e.message})`);
    if (e.message.length <= e.field.length + 2) throw new Error(`${what}: an error with no explanation (${e.message})`);
    return e;
  }
}

let workdir: string | null = null;
/** A folder with the fuzz network as a model file (scenarios and the CLI refer to it). */
function files(): { dir: string; model: string } {
  if (workdir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'neurochaos-fuzz-inputs-'));
    // Removed when the process ends, whoever runs the property (the test suite or a campaign).
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    workdir = dir;
  }
  const model = join(workdir, 'fuzz-model.json');
  writeFileSync(model, JSON.stringify(fuzzNetworkSpec()));
  return { dir: workdir, model };
}

/** Kinds safe to inject whatever the values (the others start threads or hold memory by design). */
const INJECTABLE: FaultKindName[] = FAULT_KINDS.filter((k) => !kindsActingOn('host-cpu', 'allocator').has(k) && !kindsRequiring('shard-supervision').has(k));

/** A fault spec with one hostile field: validation names the field, and injection either works and stops cleanly or is refused with nothing left behind. */
function hostileFaultSpecs() {
  const net = fuzzNetwork();
  return fc.asyncProperty(withHostileField(faultSpecArbitrary(net, { workers: 2 })), async (m) => {
    const spec = acceptOrRefuse('validateFaultSpec', /^fault(\.|\[|$)/, () => validateFaultSpec(m.value));
    if (spec instanceof InputError || !INJECTABLE.includes(spec.kind)) return;
    const saved = net.synapses.weightsPa.slice();
    const sim = new ReferenceBackend(net, { guards: { enabled: true }, allocator: new Allocator(2 ** 31) });
    try {
      const chaos = new ChaosController(sim);
      const before = [digestOf(sim.synapses().weightsPa), digestOf(sim.buffer('faultCode'))].join();
      const f = await (async () => {
        try {
          return await chaos.injectUnknown(m.value);
        } catch (e) {
          return acceptOrRefuse('inject', /^fault(\.|\[|$)/, () => {
            throw e;
          }) as InputError;
        }
      })();
      if (f instanceof InputError) {
        if (chaos.active.length) throw new Error(`a refused fault left ${chaos.active.map((x) => x.id)} active`);
        if ([digestOf(sim.synapses().weightsPa), digestOf(sim.buffer('faultCode'))].join() !== before) throw new Error('a refused fault changed the buffers');
        if (outputFs.faulted) throw new Error('a refused fault left the output layer faulted');
        return;
      }
      await sim.run(20);
      await chaos.stopAll();
      if (!f.verify().ok) throw new Error(`not undone: ${f.verify().evidence}`);
    } finally {
      await sim.dispose();
      outputFs.setFaults(null);
      net.synapses.weightsPa.set(saved);
    }
  });
}

/** A scenario with one hostile field: validation and planning either accept it or name the field. */
function hostileScenarios() {
  const net = fuzzNetwork();
  return fc.property(withHostileField(scenarioArbitrary(net, { modelName: files().model, workers: 2 })), (m) => {
    const s = acceptOrRefuse('validateScenario', /^scenario(\.|\[|$)/, () => validateScenario(m.value));
    if (s instanceof InputError) return;
    acceptOrRefuse('ChaosEngine.plan', /./, () => new ChaosEngine(s).plan(true));
  });
}

/** A model with one hostile field: validation accepts it or names the field. */
function hostileModels() {
  return fc.property(withHostileField(networkSpecArbitrary()), (m) => {
    acceptOrRefuse('validateNetworkSpec', /^model(\.|\[|$)/, () => validateNetworkSpec(m.value));
  });
}

/** Any valid model builds. */
function validModelsBuild() {
  return fc.property(networkSpecArbitrary(), fc.nat(), (spec, seed) => {
    const net = buildNetwork(spec, { seed });
    if (net.neuronCount !== spec.populations.reduce((a, p) => a + p.size, 0)) throw new Error('neuron count differs from the spec');
  });
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 100, max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 100, max: 3000 }).map((n) => JSON.stringify(deeplyNested(n))),
  fc.constant('a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'),
  hostileValueArbitrary().map((v) => shownJson({ title: v, experiments: v })),
  fc.constant(`title: "${'x'.repeat(MAX_SCENARIO_BYTES + 10)}"`),
);

/** Scenario and model files holding anything at all: refused with an InputError naming the file, never a crash. */
function hostileFiles() {
  const { dir } = files();
  let k = 0;
  return fc.property(hostileText, fc.constantFrom('.yaml', '.json'), (text, ext) => {
    const path = join(dir, `hostile-${k++ % 4}${ext}`);
    writeFileSync(path, text);
    acceptOrRefuse('loadScenario', /^(scenario|.*hostile)/, () => loadScenario(path));
    acceptOrRefuse('loadModelFile', /^(--model|.*hostile)/, () => loadModelFile(path));
  });
}

const hostileString = fc.oneof(fc.constantFrom('', ' ', 'NaN', '-1', '-0', '1e400', '0x10', ' 5', '5abc', 'Infinity', '-Infinity', '1.5', '9'.repeat(400), '--', '=', 'true', 'null', '{}', '[]'), fc.string({ maxLength: 30 }));

/** Number flags: a value is accepted only when the whole string is a number in range; otherwise the error names the flag. */
function numberFlags() {
  const bounds = fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.boolean(), fc.boolean());
  return fc.property(hostileString, bounds, (v, [min, width, integer, exclusiveMin]) => {
    const r = acceptOrRefuse('numberFlag', /^--x$/, () => numberFlag(v, '--x', min, min + width, { integer, exclusiveMin }));
    if (r instanceof InputError) return;
    if (r === undefined || !(r >= min && r <= min + width) || (exclusiveMin && r === min) || (integer && !Number.isInteger(r)) || String(Number(v)) === 'NaN') throw new Error(`accepted "${v}" as ${r} for [${min}, ${min + width}]`);
  });
}

/** Arbitrary argument lists: parsed, or refused naming a flag or the arguments. */
function argumentLists() {
  const token = fc.oneof(hostileString, fc.constantFrom('--scale', '--seed', '--json', '-h', '--unknown', '-x', '--json=1', '--seed=', 'FILE'));
  return fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
    acceptOrRefuse('parseFlags', /^(-|arguments)/, () => parseFlags(argv, { scale: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1));
  });
}

function sink(): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY: false, write(chunk: string) {
    s.text += chunk;
    return true;
  } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const SIMULATE_FLAGS = ['--scale', '--k-scale', '--background', '--duration', '--warmup', '--dt', '--seed', '--backend', '--workers', '--batch', '--checkpoint-every', '--guards', '--restore', '--model'];
const COSTLY = new Set(['--duration', '--batch', '--warmup', '--checkpoint-every']);

/** `neurochaos simulate` in process with one hostile flag value: exit 2 with an error naming that flag, or a clean run. */
function simulateFlags() {
  const { model } = files();
  const flagValue = fc.tuple(fc.constantFrom(...SIMULATE_FLAGS), hostileString).filter(([flag, v]) => !(COSTLY.has(flag) && Number(v) > 5) && !['microcircuit', 'cuba'].includes(v));
  return fc.asyncProperty(flagValue, async ([flag, v]) => {
    const args = ['simulate', '--model', model, '--backend', 'cpu', '--duration', '1', '--json'];
    const at = args.indexOf(flag);
    if (at >= 0) args[at + 1] = v;
    else args.push(flag, v);
    const stdout = sink();
    const stderr = sink();
    const ctx: CliContext = { stdout, stderr, signal: new AbortController().signal };
    const code = await main(args, ctx);
    if (code === 0) return;
    if (code !== 2) throw new Error(`exit ${code} for ${flag} "${v}": ${stderr.text.slice(0, 300)}`);
    if (!stderr.text.startsWith(`neurochaos: error: ${flag}`) && !stderr.text.startsWith('neurochaos: error: --')) throw new Error(`the error for ${flag} "${v}" does not name a flag: ${stderr.text.slice(0, 300)}`);
  });
}

/** API arguments with hostile values: refused with an InputError naming the argument, or accepted; never a TypeError, a hang or a half-built object. */
function apiArguments() {
  const net = fuzzNetwork();
  const scenario = validateScenario({ title: 't', model: { name: files().model }, backend: 'cpu', experiments: [{ id: 'e', fault: { kind: 'neuron-fault', mode: 'dead' }, observationMs: 1, recoveryTimeoutMs: 1 }] });
  const calls: [string, RegExp, (v: unknown) => Promise<unknown> | unknown][] = [
    ['batch', /^batch$/, (v) => new ReferenceBackend(net, { batch: v as number })],
    ['seed', /^seed$/, (v) => new ReferenceBackend(net, { seed: v as number })],
    ['warmupMs', /^warmupMs$/, (v) => new ReferenceBackend(net, { warmupMs: v as number })],
    ['guards.saturationPa', /^guards\.saturationPa$/, (v) => new ReferenceBackend(net, { guards: { enabled: true, saturationPa: v as number } })],
    ['guards.quarantineMs', /^guards\.quarantineMs$/, (v) => new ReferenceBackend(net, { guards: { enabled: true, quarantineMs: v as number } })],
    ['buildNetwork seed', /^seed$/, (v) => buildNetwork(fuzzNetworkSpec(), { seed: v as number })],
    ['buildNetwork dtMs', /^dtMs$/, (v) => buildNetwork(fuzzNetworkSpec(), { dtMs: v as number })],
    ['run steps', /^steps$/, async (v) => {
      const sim = new ReferenceBackend(net);
      try {
        return await sim.run(v as number);
      } finally {
        await sim.dispose();
      }
    }],
    ['ChaosEngine timeScale', /^timeScale$/, (v) => new ChaosEngine(scenario, { timeScale: v as number })],
    ['createBackend backend', /^backend$/, (v) => (v === 'workers' ? null : createBackend(net, { backend: v as string }).backend)],
    ['createBackend workers', /^workers$/, (v) => createBackend(net, { backend: 'cpu', workers: v as number }).backend],
    ['inject', /^fault/, async (v) => {
      const sim = new ReferenceBackend(net);
      try {
        const chaos = new ChaosController(sim);
        const f = await chaos.injectUnknown(v);
        await chaos.stopAll();
        return f;
      } finally {
        await sim.dispose();
      }
    }],
  ];
  // Valid but costly values (billions of steps, thousands of replicas) are not what this property is about.
  const notCostly = ([name, v]: [string, unknown]) => !(typeof v === 'number' && Number.isFinite(v) && v > 64 && ['batch', 'run steps', 'warmupMs'].includes(name)) && !(name === 'buildNetwork dtMs' && typeof v === 'number' && v < 0.01);
  return fc.asyncProperty(fc.tuple(fc.constantFrom(...calls.map((c) => c[0])), hostileValueArbitrary()).filter(notCostly), async ([name, v]) => {
    const [, field, call] = calls.find((c) => c[0] === name)!;
    let out: unknown;
    try {
      out = await call(v);
    } catch (e) {
      acceptOrRefuse(name, field, () => {
        throw e;
      });
      return;
    }
    if (out instanceof ReferenceBackend) await out.dispose();
  });
}

export const INPUT_CASES: FuzzCase[] = [
  { name: 'api-arguments', ciRuns: 200, check: (o) => checkProperty(apiArguments(), { ...o, name: 'api-arguments' }) },
  { name: 'hostile-fault-specs', ciRuns: 150, check: (o) => checkProperty(hostileFaultSpecs(), { ...o, name: 'hostile-fault-specs' }) },
  { name: 'hostile-scenarios', ciRuns: 100, check: (o) => checkProperty(hostileScenarios(), { ...o, name: 'hostile-scenarios' }) },
  { name: 'hostile-models', ciRuns: 200, check: (o) => checkProperty(hostileModels(), { ...o, name: 'hostile-models' }) },
  { name: 'valid-models-build', ciRuns: 60, check: (o) => checkProperty(validModelsBuild(), { ...o, name: 'valid-models-build' }) },
  { name: 'hostile-files', ciRuns: 40, check: (o) => checkProperty(hostileFiles(), { ...o, name: 'hostile-files' }) },
  { name: 'number-flags', ciRuns: 500, check: (o) => checkProperty(numberFlags(), { ...o, name: 'number-flags' }) },
  { name: 'argument-lists', ciRuns: 300, check: (o) => checkProperty(argumentLists(), { ...o, name: 'argument-lists' }) },
  { name: 'simulate-flags', ciRuns: 40, check: (o) => checkProperty(simulateFlags(), { ...o, name: 'simulate-flags' }) },
];
