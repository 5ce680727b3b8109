import type { ExperimentRecord, ExperimentVerdict, Journal, RunVerdict } from './journal.js';
import type { JudgeReport, ProbeVerdict } from './judge/probes.js';
import { duringReason, type DuringCheck } from './steady-state-during.js';

/** The reason an experiment whose steady state did not hold before injection fails (Chaos Toolkit stops there: nothing is injected). */
export const STEADY_STATE_NOT_MET = 'steady state not met before injection';

/** What the verdict reads of a record (present in every journal format). */
export type VerdictInputs = Pick<ExperimentRecord, 'status' | 'hypothesis' | 'recovery' | 'abortReason' | 'durations' | 'steps'> & Partial<Pick<ExperimentRecord, 'judge'>> & { fault?: Pick<ExperimentRecord['fault'], 'id' | 'kind'> };

/**
 * The verdict of one experiment: `interrupted` and `not-run` from its status;
 * otherwise `pass` only when it completed, the steady state held before,
 * during and after the fault, and recovery met the SLA; `fail` with every
 * reason that stood in the way. A fault whose `verify()` said `noEffect`
 * (journaled as `no effect` in the observe step) fails it: the experiment
 * tested nothing, whatever the hypotheses say. A hypothesis that was never checked (null)
 * is no reason by itself: the status says why it was not.
 */
export function experimentVerdict(e: VerdictInputs): ExperimentVerdict {
  if (e.status === 'interrupted') return { outcome: 'interrupted', reasons: [e.abortReason ?? 'interrupted by a signal'] };
  if (e.status === 'not-run') return { outcome: 'not-run', reasons: [e.abortReason ?? 'the run ended before this experiment started'] };
  const reasons: string[] = [];
  if (e.abortReason) reasons.push(e.abortReason);
  const rollback = e.steps.find((s) => s.name === 'rollback');
  if (rollback?.status === 'failed') reasons.push(rollback.error ?? 'rollback failed');
  const noEffect = noEffectReason(e);
  if (noEffect) reasons.push(noEffect);
  const h = e.hypothesis;
  if (h.before === false && e.abortReason !== STEADY_STATE_NOT_MET) reasons.push(STEADY_STATE_NOT_MET);
  if (h.during === false) {
    // With the check in the journal, `during` failed either on it (its reason) or on a probe over the fault (the probe's reason, below).
    const check = duringCheckOf(e);
    const probeSaysSo = probeFailed(e, 'during', 'continuous');
    if (check && !check.held) reasons.push(duringReason(check) ?? 'the steady state did not hold while the fault acted');
    else if (!probeSaysSo) reasons.push('the steady state did not hold during the observation window');
  }
  // `after` is false when recovery timed out, or when a probe after the fault failed (its own reason says so, below).
  if (h.after === false && (!e.recovery.recovered || !probeFailed(e, 'after'))) reasons.push(`did not return to its steady state within ${e.durations.recoveryTimeoutMs} ms`);
  else if (e.recovery.recovered && !e.recovery.slaMet) reasons.push(`recovered in ${(e.recovery.simMs ?? 0).toFixed(0)} ms, beyond the ${e.durations.slaMs} ms SLA`);
  for (const p of e.judge?.probes ?? []) if (p.outcome === 'fail') reasons.push(judgeReason(p, e.judge!));
  if (e.status !== 'completed' && reasons.length === 0) reasons.push(`experiment ${e.status}`);
  return { outcome: reasons.length === 0 && e.status === 'completed' ? 'pass' : 'fail', reasons };
}

/** Whether a probe of the judge's report judged at one of `whens` failed. */
export function probeFailed(e: Partial<Pick<ExperimentRecord, 'judge'>>, ...whens: string[]): boolean {
  return (e.judge?.probes ?? []).some((p) => p.outcome === 'fail' && whens.includes(p.when ?? 'during'));
}

/** The observe step's steady-state check (null: journals written before it). */
function duringCheckOf(e: VerdictInputs): DuringCheck | null {
  const observe = e.steps.find((s) => s.name === 'observe');
  return (observe?.output as { steadyState?: DuringCheck } | undefined)?.steadyState ?? null;
}

/** The reason naming the fault and its evidence when the observe step journaled its verify as `noEffect`; null otherwise. */
function noEffectReason(e: VerdictInputs): string | null {
  const observe = e.steps.find((s) => s.name === 'observe');
  const v = (observe?.output as { verify?: { noEffect?: boolean; evidence?: string } | null } | undefined)?.verify;
  if (!v?.noEffect) return null;
  return `no effect: ${e.fault ? `fault ${e.fault.id} (${e.fault.kind})` : 'the fault'} acted on nothing while it was active: ${v.evidence ?? 'no evidence'}`;
}

/** A failing probe as a verdict reason: the probe, its metric, when, the effect and the windows. */
function judgeReason(p: ProbeVerdict, j: JudgeReport): string {
  const n = p.treatedWindows;
  // Windowless metrics: active-fraction has one value per paired trial, non-finite one per monitor sample.
  const windows = p.windowMs !== null ? `${p.windowMs} ms windows (${p.controlWindows} control, ${n} treated)` : p.metric === 'active-fraction' ? `${n} paired ${n === 1 ? 'trial' : 'trials'}` : `${n} treated ${n === 1 ? 'sample' : 'samples'}`;
  const span = p.treatedSpanMs ?? j.treatedSpanMs;
  const when = { before: 'before injection', during: 'during the fault', after: 'after the fault', continuous: 'from injection to the end' }[p.when ?? 'during'];
  return `probe ${p.id} failed ${when} (${span[0]}-${span[1]} ms, against ${p.metric === 'task-accuracy' ? 'the healthy column' : j.controls === 'baseline' ? 'the baseline' : 'control replicas'}): ${p.metric ?? 'rate'}: ${p.reason}; ${windows}`;
}

/**
 * The verdict of a run: `interrupted` when a signal ended it; `pass` only when
 * it completed and every experiment's verdict is `pass`; `fail` otherwise,
 * with one reason per experiment that did not pass (`<id>: <its reasons>`).
 * The CLI's exit code follows it: 0 pass, 1 fail, 130 interrupted.
 */
export function runVerdict(j: Pick<Journal, 'status' | 'experiments'>): RunVerdict {
  const reasons: string[] = [];
  for (const e of j.experiments) {
    const v = e.verdict ?? experimentVerdict(e);
    if (v.outcome !== 'pass') reasons.push(`${e.id}: ${v.outcome}${v.reasons.length ? `: ${v.reasons.join('; ')}` : ''}`);
  }
  if (j.status === 'interrupted') return { outcome: 'interrupted', reasons };
  if (j.status !== 'completed' && reasons.length === 0) reasons.push(`run ${j.status}`);
  return { outcome: reasons.length === 0 ? 'pass' : 'fail', reasons };
}
