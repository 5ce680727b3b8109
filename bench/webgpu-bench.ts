import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SimulationBackend } from '../src/backends/backend.js';
import { BACKENDS, createBackend, prepareBackend } from '../src/backends/create-backend.js';
import { TfjsBackend } from '../src/backends/tfjs/tfjs-backend.js';
import { loadedTfjs } from '../src/backends/tfjs/tfjs-runtime.js';
import { webGpuDevice, describeAdapter } from '../src/backends/tfjs/webgpu-device.js';
import { buildNetwork } from '../src/model/builder.js';
import type { Network } from '../src/model/network.js';
import { resolveModel, type ModelChoice } from '../src/model/resolve-model.js';
import { UnsupportedError } from '../src/util/errors.js';
import type { machineInfo } from './machine-info.js';

/**
 * `npm run bench -- --suite webgpu`: the GPU backends on whatever WebGPU
 * adapter is present: the native WGSL backend (`webgpu`, where registered)
 * and tfjs on WebGPU (`tfjs-webgpu`), the same cases in the same process.
 * Per case: real-time factor, steps and replica-steps per wall second,
 * dispatches per step and host synchronisations per chunk. On a software
 * adapter (lavapipe) it is a correctness and overhead check, not a speed
 * claim. Needs a WebGPU device: under Deno (`npx deno run -A
 * dist/bench/run.js --suite webgpu`), or Node where the webgpu package's
 * Dawn module loads.
 */

/** The backends this suite measures, native first. */
export const WEBGPU_BENCH_BACKENDS = ['webgpu', 'tfjs-webgpu'];

export interface WebgpuCase {
  name: string;
  model: ModelChoice;
  batch: number;
  /** Wall-time budget of the measured run (steps are sized from the warm-up to fill it). */
  budgetMs: number;
  fullScale?: boolean;
}

export function webgpuCases(quick: boolean): WebgpuCase[] {
  const budgetMs = quick ? 3000 : 10_000;
  const mc01 = { model: 'microcircuit', scale: 0.1 };
  return [
    { name: 'cuba, batch 1', model: { model: 'cuba' }, batch: 1, budgetMs },
    // Where tfjs-webgpu also fits a 128 MiB binding (lavapipe's): a second same-run comparison with batching.
    { name: 'cuba, batch 8', model: { model: 'cuba' }, batch: 8, budgetMs },
    { name: 'microcircuit 0.1, batch 1', model: mc01, batch: 1, budgetMs },
    { name: 'microcircuit 0.1, batch 8', model: mc01, batch: 8, budgetMs },
    { name: 'microcircuit 0.1, batch 64', model: mc01, batch: 64, budgetMs },
    { name: 'microcircuit 1.0, batch 1', model: { model: 'microcircuit', scale: 1 }, batch: 1, budgetMs, fullScale: true },
  ];
}

export interface WebgpuFigure {
  case: string;
  backend: string;
  neurons: number;
  synapses: number;
  batch: number;
  /** Measured steps (after 2 x WARMUP_STEPS of warm-up and calibration). */
  steps: number;
  wallMs: number;
  /** Wall time per simulated time (dt 0.1 ms): 1 is real time. */
  rtf: number;
  stepsPerSecond: number;
  replicaStepsPerSecond: number;
  /** GPU dispatches (compute passes' dispatchWorkgroups) per step. */
  dispatchesPerStep: number | null;
  /** Every wait of the host for the device per chunk: the chunks' spike reads plus the state read at the end of the run (mapAsync round trips). */
  hostSyncsPerChunk: number | null;
  chunks: number | null;
  /** Mean firing rate over neurons and replicas (Hz): a sanity check against the CPU figures. */
  meanRateHz: number;
  deviceBytes: number | null;
  selection: string;
}

export interface WebgpuSkip {
  case: string;
  backend: string;
  reason: string;
}

export interface WebgpuBenchResult {
  runtime: string;
  adapter: string;
  software: boolean | null;
  figures: WebgpuFigure[];
  skipped: WebgpuSkip[];
}

/** Counters a device backend may expose (the native webgpu backend's, or tfjs-webgpu's read counts). */
interface DeviceCounters {
  dispatches?: number;
  hostSyncs?: number;
  chunks?: number;
}

const WARMUP_STEPS = 20;

/** The runtime, for the results: Deno's version when under Deno, else Node's. */
export function runtimeName(): string {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return deno ? `deno ${deno.version.deno}` : `node ${process.version}`;
}

/** The native backend's metrics().gpu counters, or tfjs-webgpu's read counts (its dispatches are counted by countTfjsDispatches). */
function countersOf(sim: SimulationBackend): DeviceCounters | null {
  if (sim instanceof TfjsBackend) return { ...sim.deviceReads };
  const gpu = sim.metrics().gpu;
  return gpu ? { dispatches: gpu.dispatches, chunks: gpu.chunks, hostSyncs: gpu.hostSyncs } : null;
}

/**
 * Counts tfjs-backend-webgpu's program runs (one dispatch each) while `body`
 * runs, by wrapping the active tfjs backend's runWebGPUProgram.
 */
async function countTfjsDispatches<T>(body: () => Promise<T>): Promise<{ value: T; dispatches: number }> {
  const rt = loadedTfjs('tfjs-webgpu');
  if (!rt) return { value: await body(), dispatches: Number.NaN };
  const be = rt.tf.findBackend('webgpu') as unknown as { runWebGPUProgram: (...a: unknown[]) => unknown } | null;
  if (!be) return { value: await body(), dispatches: Number.NaN };
  const original = be.runWebGPUProgram;
  let dispatches = 0;
  be.runWebGPUProgram = function (this: unknown, ...a: unknown[]) {
    dispatches++;
    return original.apply(this, a);
  };
  try {
    return { value: await body(), dispatches };
  } finally {
    be.runWebGPUProgram = original;
  }
}

/** Why a case is not run on a backend here, or null. */
function skipReason(c: WebgpuCase, backend: string, software: boolean | null): string | null {
  if (!c.fullScale) return null;
  if (backend === 'tfjs-webgpu') return 'tfjs-webgpu is not run at full scale: its padded gather table (3 x 0.3 G entries per replica) is not split to the adapter\'s storage-binding limit';
  if (software !== false) return 'full scale is run on a hardware adapter only (on a software adapter the suite is a correctness and overhead check)';
  if (totalmem() < 16 * 2 ** 30) return `full scale needs 16 GiB of host memory to build (${Math.round(totalmem() / 2 ** 30)} GiB here)`;
  return null;
}

async function measure(c: WebgpuCase, backend: string, network: Network, log: (line: string) => void): Promise<WebgpuFigure> {
  const choice = await prepareBackend({ backend, batch: c.batch, seed: 1 });
  const made = createBackend(network, choice);
  const sim = made.backend;
  try {
    // Warm-up (pipelines compiled, buffers made), then a timed calibration run sizes the measured one to the budget (at least 50 steps).
    await sim.run(WARMUP_STEPS);
    const w0 = performance.now();
    await sim.run(WARMUP_STEPS);
    const warmMsPerStep = (performance.now() - w0) / WARMUP_STEPS;
    const steps = Math.max(50, Math.min(100_000, Math.round(c.budgetMs / Math.max(warmMsPerStep, 1e-3) / 10) * 10));
    const before = countersOf(sim);
    const spikes0 = sim.recorder.totalSpikes;
    const t0 = performance.now();
    const { dispatches: tfDispatches } = await (backend === 'tfjs-webgpu' ? countTfjsDispatches(() => sim.run(steps)) : sim.run(steps).then(() => ({ dispatches: Number.NaN })));
    const wallMs = performance.now() - t0;
    const after = countersOf(sim);
    const delta = (k: keyof DeviceCounters) => (before?.[k] !== undefined && after?.[k] !== undefined ? after[k]! - before[k]! : null);
    const chunks = delta('chunks');
    const syncs = delta('hostSyncs');
    const dispatches = backend === 'tfjs-webgpu' ? tfDispatches : delta('dispatches');
    const spikes = sim.recorder.totalSpikes - spikes0;
    const simulatedS = (steps * network.dtMs) / 1000;
    const device = (sim.metrics() as { device?: { bytes?: number } }).device;
    const fig: WebgpuFigure = {
      case: c.name,
      backend,
      neurons: network.neuronCount,
      synapses: network.synapses.weightsPa.length,
      batch: c.batch,
      steps,
      wallMs,
      rtf: wallMs / 1000 / simulatedS,
      stepsPerSecond: steps / (wallMs / 1000),
      replicaStepsPerSecond: (steps * c.batch) / (wallMs / 1000),
      dispatchesPerStep: dispatches !== null && Number.isFinite(dispatches) ? dispatches / steps : null,
      hostSyncsPerChunk: syncs !== null && chunks ? syncs / chunks : null,
      chunks,
      meanRateHz: spikes / (network.neuronCount * c.batch * simulatedS),
      deviceBytes: typeof device?.bytes === 'number' ? device.bytes : null,
      selection: made.selection ?? backend,
    };
    const f = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
    log(`    ${backend}: ${steps} steps in ${(wallMs / 1000).toFixed(2)} s, RTF ${fig.rtf.toFixed(2)}, ${fig.stepsPerSecond.toFixed(1)} steps/s, ${fig.replicaStepsPerSecond.toFixed(0)} replica-steps/s, ${f(fig.dispatchesPerStep)} dispatches/step, ${f(fig.hostSyncsPerChunk, 2)} host syncs/chunk, ${fig.meanRateHz.toFixed(2)} Hz`);
    return fig;
  } finally {
    await sim.dispose();
  }
}

/** Runs every case on every WebGPU backend registered and available here; never throws for a backend that cannot run (it is listed as skipped with the reason). */
export async function runWebgpuBench(quick: boolean, log: (line: string) => void, onFigure?: (r: WebgpuBenchResult) => void): Promise<WebgpuBenchResult> {
  let adapter = 'no WebGPU adapter';
  let software: boolean | null = null;
  try {
    const d = await webGpuDevice();
    adapter = describeAdapter(d.report);
    software = d.report.software;
  } catch (e) {
    adapter = `no WebGPU adapter: ${e instanceof Error ? e.message : String(e)}`;
  }
  log(`  runtime ${runtimeName()}; ${adapter}`);
  const result: WebgpuBenchResult = { runtime: runtimeName(), adapter, software, figures: [], skipped: [] };
  const backends: string[] = [];
  for (const name of WEBGPU_BENCH_BACKENDS) {
    if (!BACKENDS.has(name)) {
      result.skipped.push({ case: 'all', backend: name, reason: 'not registered in this build' });
      continue;
    }
    const here = await BACKENDS.get(name).isAvailable();
    if (here.available) backends.push(name);
    else result.skipped.push({ case: 'all', backend: name, reason: here.reason });
  }
  for (const s of result.skipped) log(`  ${s.backend}: skipped: ${s.reason}`);
  for (const c of webgpuCases(quick)) {
    const runnable = backends.filter((b) => {
      const why = skipReason(c, b, software);
      if (why) result.skipped.push({ case: c.name, backend: b, reason: why });
      return why === null;
    });
    if (runnable.length === 0) continue;
    log(`  ${c.name}:`);
    const network = buildNetwork(resolveModel(c.model), { seed: 1 });
    for (const b of runnable) {
      try {
        result.figures.push(await measure(c, b, network, log));
      } catch (e) {
        // An UnsupportedError is the backend refusing the case up front (a limit it names), not a failure.
        const reason = `${e instanceof UnsupportedError ? 'refused' : 'failed'}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        result.skipped.push({ case: c.name, backend: b, reason });
        log(`    ${b}: ${reason}`);
      }
      onFigure?.(result);
    }
  }
  return result;
}

/** The Markdown table: one row per (case, backend), then tfjs-webgpu against the native backend, then what was skipped. */
export function webgpuMarkdown(r: WebgpuBenchResult, machine: ReturnType<typeof machineInfo>, command: string): string {
  const f = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
  const lines = [
    '# WebGPU backends',
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), ${r.runtime}, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start; ${r.adapter}.`,
    r.software ? 'A software adapter: these figures check correctness and per-step overhead, they are not GPU speeds.' : '',
    '',
    `Command: \`${command}\``,
    '',
    '| case | backend | neurons | batch | steps | wall s | RTF | steps/s | replica-steps/s | dispatches/step | host syncs/chunk | chunks | mean rate Hz |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.figures.map((x) => `| ${x.case} | ${x.backend} | ${x.neurons} | ${x.batch} | ${x.steps} | ${(x.wallMs / 1000).toFixed(2)} | ${x.rtf.toFixed(2)} | ${x.stepsPerSecond.toFixed(1)} | ${x.replicaStepsPerSecond.toFixed(0)} | ${f(x.dispatchesPerStep)} | ${f(x.hostSyncsPerChunk, 2)} | ${x.chunks ?? '-'} | ${x.meanRateHz.toFixed(2)} |`),
    '',
  ];
  const pairs = r.figures.filter((x) => x.backend === 'webgpu').map((n) => [n, r.figures.find((t) => t.backend === 'tfjs-webgpu' && t.case === n.case)] as const).filter(([, t]) => t);
  if (pairs.length > 0) {
    lines.push('Native WGSL against tfjs-webgpu, same run (steps/s):', '', '| case | webgpu | tfjs-webgpu | native / tfjs |', '|---|---|---|---|');
    for (const [n, t] of pairs) lines.push(`| ${n.case} | ${n.stepsPerSecond.toFixed(1)} | ${t!.stepsPerSecond.toFixed(1)} | ${(n.stepsPerSecond / t!.stepsPerSecond).toFixed(1)}x |`);
    lines.push('');
  }
  if (r.skipped.length > 0) {
    lines.push('Not run:', '');
    for (const s of r.skipped) lines.push(`- ${s.case}, ${s.backend}: ${s.reason}`);
    lines.push('');
  }
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}

/** Writes webgpu.json and webgpu.md (as each case ends, so a run cut short keeps what it measured). */
export function writeWebgpuResults(dir: string, file: string, r: WebgpuBenchResult, machine: ReturnType<typeof machineInfo>, command: string): void {
  writeFileSync(`${dir}${file}.json`, `${JSON.stringify({ machine, ...r }, null, 2)}\n`);
  writeFileSync(`${dir}${file}.md`, `${webgpuMarkdown(r, machine, command)}\n`);
}

const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const RUN_JS = fileURLToPath(new URL('./run.js', import.meta.url));

/**
 * The suite as bench/run.ts calls it. Where this runtime has no WebGPU
 * adapter (Node without a loadable Dawn module, as on Debian 12) and Deno
 * is installed (a dev dependency), the suite is run again under Deno, whose
 * navigator.gpu finds Vulkan devices (lavapipe too). Results go to
 * webgpu.json/.md, or webgpu-no-adapter.json/.md when no adapter was found
 * at all (so measured figures are not overwritten by an empty run).
 */
export async function webgpuSuite(resultsDir: string, machine: ReturnType<typeof machineInfo>, log: (line: string) => void, quick: boolean, commandLine?: string): Promise<void> {
  const underDeno = runtimeName().startsWith('deno');
  const command = commandLine ?? `${underDeno ? 'npx deno run -A dist/bench/run.js' : 'npm run bench --'} --suite webgpu${quick ? ' --quick' : ''}`;
  if (!underDeno && process.env.NEUROCHAOS_WEBGPU_NO_DENO !== '1') {
    let reason: string | null = null;
    try {
      await webGpuDevice();
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    if (reason !== null && existsSync(DENO)) {
      log(`  no WebGPU adapter in Node here (${reason}); running the suite under Deno`);
      const r = spawnSync(DENO, ['run', '-A', RUN_JS, '--suite', 'webgpu', ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`the webgpu suite under Deno failed (exit ${r.status})`);
      return;
    }
  }
  const file = `webgpu${quick ? '-quick' : ''}`;
  let name = file;
  const r = await runWebgpuBench(quick, log, (partial) => writeWebgpuResults(resultsDir, name, partial, machine, command));
  if (r.software === null) {
    name = `${file}-no-adapter`;
    log(`  no WebGPU adapter: results in bench/results/${name}.json and .md`);
  }
  writeWebgpuResults(resultsDir, name, r, machine, command);
  log(`  wrote bench/results/${name}.json and .md`);
}
