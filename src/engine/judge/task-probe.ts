import type { ChaosController } from '../../chaos/chaos-controller.js';
import { ColumnTask } from '../../task/task-accuracy.js';
import { LinearReadout } from '../../task/linear-readout.js';
import type { TaskSamples } from '../../task/collect-samples.js';
import type { ProbeWhen, ResolvedProbe } from '../probe-schema.js';
import { compareWindows } from './compare.js';
import type { ProbeVerdict } from './probe-types.js';
import type { ExperimentState } from '../phases/experiment-state.js';
import type { ExperimentRecord, JournalStep } from '../journal.js';
import { experimentVerdict } from '../verdict.js';
import { experimentProbes } from './experiment-probes.js';

/** Where a task session runs: the experiment's controller and backend after its lifecycle, on these replicas. */
export interface TaskSession {
  chaos: ChaosController;
  /** Replicas whose presentations are scored (the treated ones). */
  replicas: readonly number[];
  /** The fault as injected (planned, time-scaled), to inject again for the `during` presentations. */
  faultSpec: Record<string, unknown>;
  seed: number;
  alpha: number;
  seedKey: string;
  signal?: AbortSignal;
}

/** One held-out set: whether each presentation was classified right (1) or not (0), and the simulated ms it spanned. */
interface Scored {
  correct: number[];
  spanMs: [number, number];
}

/**
 * task-accuracy probes: the column's computation, measured with the
 * ColumnTask (src/task/: liquid-state readout of spatio-temporal input
 * patterns, after Maass, Natschlaeger & Markram 2002). The stimulus drives
 * the column, so the session runs after the experiment's own windows, on its
 * backend: a linear readout is trained on `trainRounds` presentations of the
 * healthy (recovered) column and scored on held-out sets of `testRounds`
 * presentations: healthy (the control), under the fault injected again and
 * held for the whole set (`during`), and after it is stopped (`after`;
 * `continuous` pools the two; `before` compares the healthy set's two
 * halves). Each presentation is a window of value 1 (right) or 0 (wrong), so
 * the means are accuracies and the test is the judge's permutation test with
 * the probe's tolerance as the minimum relative change.
 */
export async function judgeTaskProbes(probes: readonly ResolvedProbe[], s: TaskSession): Promise<ProbeVerdict[]> {
  const out: ProbeVerdict[] = [];
  for (const probe of probes) {
    if (probe.metric !== 'task-accuracy') continue;
    const o = probe.task ?? { trainRounds: 30, testRounds: 15 };
    const task = new ColumnTask(s.chaos, { seed: s.seed, ...(o.classes ? { classes: o.classes } : {}), ...(o.inputPopulations ? { inputPopulations: o.inputPopulations } : {}), ...(o.readoutPopulations ? { readoutPopulations: o.readoutPopulations } : {}) });
    const backend = s.chaos.backend;
    const dt = backend.network.dtMs;
    const opts = { replicas: [...s.replicas], signal: s.signal };
    const collect = async (rounds: number): Promise<{ samples: TaskSamples; spanMs: [number, number] }> => {
      const from = backend.currentStep * dt;
      const samples = await task.collect(rounds, opts);
      return { samples, spanMs: [from, backend.currentStep * dt] };
    };
    const readout = LinearReadout.fit((await collect(o.trainRounds ?? 30)).samples);
    const score = (c: { samples: TaskSamples; spanMs: [number, number] }): Scored => ({ correct: c.samples.features.map((f, i) => (readout.predict(f) === c.samples.labels[i] ? 1 : 0)), spanMs: c.spanMs });
    const rounds = o.testRounds ?? 15;
    const healthy = score(await collect(rounds));
    const wants = (w: ProbeWhen) => probe.when.includes(w) || (probe.when.includes('continuous') && (w === 'during' || w === 'after'));
    let during: Scored | null = null;
    let after: Scored | null = null;
    if (wants('during') || wants('after')) {
      // Held for the whole held-out set: the fault's own duration would end it part-way.
      const { durationMs: _d, id, ...spec } = s.faultSpec;
      const fault = await s.chaos.injectPlanned({ ...spec, id: `${String(id ?? 'fault')}:task-probe` });
      try {
        during = score(await collect(rounds));
      } finally {
        if (!fault.stopped) await fault.stop();
      }
      if (wants('after')) after = score(await collect(rounds));
    }
    for (const when of probe.when) {
      const half = Math.floor(healthy.correct.length / 2);
      const sides: { control: Scored; treated: Scored } | null =
        when === 'before'
          ? { control: { correct: healthy.correct.slice(0, half), spanMs: healthy.spanMs }, treated: { correct: healthy.correct.slice(half), spanMs: healthy.spanMs } }
          : when === 'during'
            ? during && { control: healthy, treated: during }
            : when === 'after'
              ? after && { control: healthy, treated: after }
              : during && after && { control: healthy, treated: { correct: [...during.correct, ...after.correct], spanMs: [during.spanMs[0], after.spanMs[1]] } };
      const cmp = compareWindows(sides?.control.correct ?? [], sides?.treated.correct ?? [], { minEffect: probe.tolerance, alpha: s.alpha, seedKey: `${s.seedKey}:${probe.id}:${when}` });
      out.push({
        id: probe.id,
        metric: 'task-accuracy',
        when,
        tolerance: probe.tolerance,
        controlSpanMs: sides?.control.spanMs ?? [0, 0],
        treatedSpanMs: sides?.treated.spanMs ?? [0, 0],
        windowMs: null,
        controlWindows: sides?.control.correct.length ?? 0,
        treatedWindows: sides?.treated.correct.length ?? 0,
        controlValues: sides?.control.correct ?? [],
        treatedValues: sides?.treated.correct ?? [],
        expectedSpikesPerWindow: null,
        ...cmp,
        reason: `accuracy ${pctOf(cmp.controlMean)} healthy, ${pctOf(cmp.treatedMean)} ${when} (presentations after the experiment, ${s.replicas.length} replica(s)): ${cmp.reason}`,
      });
    }
  }
  return out;
}

const pctOf = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/**
 * Runs the experiment's task-accuracy probes after its lifecycle (see
 * judgeTaskProbes) and adds their verdicts to the record's judge, with a
 * `task-probe` journal step; the verdict is judged again. Nothing happens
 * without such a probe. When nothing was injected, the experiment was
 * interrupted or aborted, or the session fails, the probes have no data
 * (with the reason) and the step says why.
 */
export async function addTaskProbes(state: ExperimentState, record: ExperimentRecord): Promise<ExperimentRecord> {
  const { scenario, spec, backend, signal } = state.ctx;
  const probes = experimentProbes(scenario, spec, backend.network.populations.map((p) => p.name)).filter((p) => p.metric === 'task-accuracy');
  if (!probes.length) return record;
  const startedAt = new Date();
  const t0 = performance.now();
  const noData = (reason: string): ProbeVerdict[] =>
    probes.flatMap((p) => p.when.map((when): ProbeVerdict => ({ id: p.id, metric: 'task-accuracy', when, tolerance: p.tolerance, controlSpanMs: [0, 0], treatedSpanMs: [0, 0], windowMs: null, controlWindows: 0, treatedWindows: 0, controlValues: [], treatedValues: [], expectedSpikesPerWindow: null, outcome: 'no-data', controlMean: null, treatedMean: null, effect: null, effectCi95: null, pValue: null, reason })));
  let verdicts: ProbeVerdict[];
  let step: Pick<JournalStep, 'status' | 'error' | 'output'>;
  const runnable = record.fault.injectedAtMs !== null && (record.status === 'completed' || record.status === 'failed') && !signal?.aborted;
  if (!runnable) {
    verdicts = noData(`not measured: the experiment ${record.fault.injectedAtMs === null ? 'injected nothing' : `ended ${record.status}`}`);
    step = { status: 'skipped', output: { reason: verdicts[0].reason } };
  } else {
    try {
      verdicts = await judgeTaskProbes(probes, { chaos: state.chaos, replicas: state.watched, faultSpec: (state.fault?.spec ?? spec.fault) as Record<string, unknown>, seed: scenario.seed, alpha: scenario.judge.alpha, seedKey: `${scenario.seed}:task:${spec.id}`, signal });
      step = { status: 'succeeded', output: { probes: verdicts.map((v) => ({ id: v.id, when: v.when, outcome: v.outcome, controlMean: v.controlMean, treatedMean: v.treatedMean })) } };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      verdicts = noData(`the task session failed: ${message}`);
      step = { status: 'failed', error: message };
    }
  }
  const judge = record.judge ?? null;
  const steps: JournalStep[] = [...record.steps, { name: 'task-probe', startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(), durationMs: performance.now() - t0, ...step }];
  const updated: ExperimentRecord = { ...record, steps, judge: judge ? { ...judge, probes: [...judge.probes, ...verdicts] } : judge };
  return { ...updated, verdict: experimentVerdict(updated) };
}
