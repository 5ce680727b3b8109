import { writeFileSync } from 'node:fs';
import { WEIGHT_CORRUPTION_MODES } from '../../src/chaos/weight-corruption.js';
import { buildNetwork } from '../../src/model/builder.js';
import { microcircuitSpec } from '../../src/model/microcircuit.js';
import type { FaultImpact } from '../../src/task/task-accuracy.js';
import { allocatorSweep, allocatorUnits } from './allocator-sweep.js';
import { ColumnHarness } from './column-harness.js';
import { corruptionSweep } from './corruption-sweep.js';
import { curvesToCsv, curvesToMarkdown, fmt, type Curve } from './curve.js';
import { curvesToHtml, figureSvgs } from './curve-html.js';
import { neuronSweep } from './neuron-sweep.js';
import { formatDuration, Progress } from './progress.js';
import { stormSweep } from './storm-sweep.js';
import { CORRUPTION_PARAMETERS, type SweepConfig } from './sweep-config.js';

/** Wall ms per simulated replica-ms assumed before the first measurement (scale 0.02, k 0.1, on this project's 2-core machine). */
const PRIOR_WALL_PER_UNIT = 0.5;
const ROUND_MS = 60;

/** Simulated replica-ms of every phase of one defence setting. */
function plannedUnits(cfg: SweepConfig) {
  const t = cfg.trials;
  const setup = (cfg.warmupMs + (cfg.trainRounds + 2 * cfg.testRounds) * ROUND_MS + cfg.stormMs + cfg.postStormMs) * t;
  const example = (20 + cfg.testRounds) * ROUND_MS * t;
  const corruption = WEIGHT_CORRUPTION_MODES.length * cfg.corruptionFractions.length * cfg.testRounds * ROUND_MS * t;
  const storm = cfg.stormAmplitudesPa.length * cfg.stormRatesHz.length * (cfg.stormMs + cfg.postStormMs) * t;
  const neuron = 2 * cfg.neuronFractions.length * (cfg.testRounds + cfg.adaptRounds) * ROUND_MS * t;
  return setup + example + corruption + storm + neuron + allocatorUnits(cfg);
}

export interface DegradationResult {
  curves: Curve[];
  task: { defences: 'on' | 'off'; healthyAccuracy: number; chance: number; example: FaultImpact }[];
  wallSeconds: number;
}

/** Runs every degradation sweep with defences on and off; writes CSV, HTML, Markdown and JSON into `resultsDir` under `name`. */
export async function runDegradation(cfg: SweepConfig, resultsDir: string, name: string, machine: Record<string, unknown>, log: (line: string) => void): Promise<DegradationResult> {
  const t0 = performance.now();
  const network = buildNetwork(microcircuitSpec({ scale: cfg.scale, kScale: cfg.kScale }), { seed: cfg.seed });
  const total = 2 * plannedUnits(cfg);
  log(`  column: microcircuit scale ${cfg.scale}, k-scale ${cfg.kScale} (${network.neuronCount} neurons, ${network.synapses.targets.length} synapses), ${cfg.backend} backend, ${cfg.trials} trials per point`);
  log(`  planned: ${Math.round(total / 1000)} simulated replica-seconds; estimated ${formatDuration((total * PRIOR_WALL_PER_UNIT) / 1000)} (refined on stderr as it runs)`);
  const progress = new Progress(total);
  let units = 0;
  let label = 'setting up';
  const onUnits = (u: number) => {
    units += u;
    progress.advance(u, label);
  };
  const curves: Curve[] = [];
  const task: DegradationResult['task'] = [];
  for (const defences of ['off', 'on'] as const) {
    label = `training the readout, defences ${defences}`;
    const h = await ColumnHarness.create(network, cfg, defences === 'on', onUnits);
    try {
      log(`  defences ${defences}: healthy task accuracy ${fmt(h.healthyAccuracy)} (chance ${fmt(h.chance)}), readout lambda ${fmt(h.readout.lambda)}`);
      label = `adaptation example, defences ${defences}`;
      await h.reset();
      const example = await h.task.faultImpact(h.readout, h.healthyAccuracy, { kind: 'neuron-fault', id: 'example-l4-dead', mode: 'dead', target: { populations: ['L4E', 'L4I'], percent: 80 } }, { testRounds: cfg.testRounds, adaptationRounds: [5, 10, 20] });
      onUnits((20 + cfg.testRounds) * ROUND_MS * cfg.trials);
      task.push({ defences, healthyAccuracy: h.healthyAccuracy, chance: h.chance, example });
      const each = (u: number) => (l: string) => {
        label = l;
        onUnits(u);
      };
      curves.push(...(await corruptionSweep(h, defences, each(cfg.testRounds * ROUND_MS * cfg.trials))));
      curves.push(...(await stormSweep(h, defences, each((cfg.stormMs + cfg.postStormMs) * cfg.trials))));
      curves.push(...(await neuronSweep(h, defences, each((cfg.testRounds + cfg.adaptRounds) * ROUND_MS * cfg.trials))));
    } finally {
      await h.dispose();
    }
    const pts = cfg.allocatorFailureRates.length + cfg.allocatorFreeFractions.length;
    curves.push(...(await allocatorSweep(network, cfg, defences, each2((allocatorUnits(cfg) - cfg.warmupMs - 30) / pts))));
    onUnits(cfg.warmupMs + 30);
  }
  function each2(u: number) {
    return (l: string) => {
      label = l;
      onUnits(u);
    };
  }
  progress.end();
  const wallSeconds = (performance.now() - t0) / 1000;
  writeOutputs(cfg, resultsDir, name, machine, { curves, task, wallSeconds }, network.neuronCount, network.synapses.targets.length);
  log(`  ${curves.length} curves in ${formatDuration(wallSeconds)}; wrote bench/results/${name}.{csv,html,md,json}`);
  return { curves, task, wallSeconds };
}

function writeOutputs(cfg: SweepConfig, dir: string, name: string, machine: Record<string, unknown>, r: DegradationResult, neurons: number, synapses: number): void {
  const m = machine as { cpu: string; cores: number; memoryGiB: number; node: string; date: string; loadAverage?: number[] };
  const command = `npm run bench -- --suite degradation${cfg.quick ? ' --quick' : ''}${cfg.backend !== 'cpu' ? ` --backend ${cfg.backend}` : ''}`;
  const setup = [
    `Command: ${command}; wall time ${formatDuration(r.wallSeconds)}.`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.date}${m.loadAverage ? `, load average at start ${m.loadAverage.map((x) => x.toFixed(1)).join(' / ')}` : ''}.`,
    `Column: microcircuit scale ${cfg.scale}, k-scale ${cfg.kScale} (${neurons} neurons, ${synapses} synapses), ${cfg.backend} backend; ${cfg.trials} trials per point (replicas of one batch; allocator: sequential trials).`,
    `Task: 4 spatio-temporal rate patterns (2 x 15 ms, 25% of L4 each, 8 kHz Poisson at 87.81 pA), ridge readout on L23E + L5E counts, ${cfg.trainRounds * cfg.trials} training and ${cfg.testRounds * cfg.trials} held-out presentations per point.`,
    `Defences on: guards (input cap 100 nA, non-finite containment) + weight scrubbing every 10 ms; off: neither.`,
    `Corruption parameters: ${Object.entries(CORRUPTION_PARAMETERS).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}; whole weight matrix; held for the whole held-out window.`,
    `Storms: Poisson, 50% of L4E, ${cfg.stormMs} ms, then ${cfg.postStormMs} ms observed. Throughput is one wall measurement per point on a shared, loaded machine: read it as a ratio within this run.`,
  ];
  const taskLines = r.task.map((t) => {
    const e = t.example;
    return `Defences ${t.defences}: healthy accuracy ${fmt(t.healthyAccuracy)} (chance ${fmt(t.chance)}); 80% of L4 dead: ${fmt(e.faultedAccuracy)} (loss ${fmt(e.accuracyLoss)}); retrained on ${e.adaptation.map((a) => `${a.trainSamples} samples: ${fmt(a.accuracy)}`).join(', ')}; ${e.recovered ? `recovered (within 0.05) with ${e.samplesToRecover} samples` : 'not recovered by retraining'}.`;
  });
  writeFileSync(`${dir}${name}.csv`, curvesToCsv(r.curves));
  writeFileSync(`${dir}${name}.json`, `${JSON.stringify({ machine, config: cfg, command, wallSeconds: r.wallSeconds, task: r.task, curves: r.curves }, null, 2)}\n`);
  writeFileSync(`${dir}${name}.md`, [`# Degradation curves${cfg.quick ? ' (quick)' : ''}`, '', ...setup.map((l) => `- ${l}`), '', '## Task accuracy and adaptation', '', ...taskLines.map((l) => `- ${l}`), '', '## Curves (mean [95% CI])', '', curvesToMarkdown(r.curves)].join('\n'));
  writeFileSync(`${dir}${name}.html`, curvesToHtml(r.curves, `neurochaos degradation curves${cfg.quick ? ' (quick)' : ''}`, [...setup, ...taskLines]));
  // Each figure also as a standalone SVG, so the README (and papers) can show it.
  for (const f of figureSvgs(r.curves)) writeFileSync(`${dir}${name}-${f.figure.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`, f.svg.includes('xmlns=') ? f.svg : f.svg.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"'));
}
