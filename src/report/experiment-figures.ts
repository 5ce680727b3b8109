import type { ExperimentRecord } from '../engine/journal.js';
import type { MetricSample } from '../engine/metrics.js';
import { extent } from './chart-axes.js';
import { esc } from './html-escape.js';
import type { PopulationRange } from './population-layout.js';
import { probeChart, type ProbeWindows } from './probe-chart.js';
import { rasterChart } from './raster-chart.js';
import { smallMultiples, type Panel, type TimelineMarks } from './small-multiples.js';
import { smoothingWindowMs, windowMeans } from './smoothing.js';

/** What the figures of one experiment need beyond its record. */
export interface FigureContext {
  dtMs: number;
  neurons: number;
  populations: PopulationRange[] | null;
  /** Panels per row of the small multiples (fewer when two runs sit side by side). */
  columns?: number;
  /** Shared y ranges by metric key (`rate.L4E`, `synchrony`, `probe.rate.L4E`, ...): a defended and a raw figure on one scale. */
  yDomains?: Map<string, [number, number]>;
}

/** An experiment's time line in simulated ms, read defensively (fields of older or newer journals may be absent or null). */
export interface Timeline {
  injectedAtMs: number | null;
  stoppedAtMs: number | null;
  /** When the fault stopped acting: the journal's `fault.endedAtMs`, else the rollback (format 1), else the observation's end. */
  faultEndMs: number | null;
  recoveredAtMs: number | null;
  /** The plotted span: the first sample's interval to the last sample. */
  xDomain: [number, number];
  intervalMs: number;
  /** The averaging window of the plotted rates (the sample interval when not smoothed). */
  windowMs: number;
}

export function samplesOf(e: ExperimentRecord): MetricSample[] {
  return Array.isArray(e.samples) ? e.samples.filter((s) => s && Number.isFinite(s.tMs)) : [];
}

export function timelineOf(e: ExperimentRecord): Timeline {
  const samples = samplesOf(e);
  const intervalMs = e.durations?.monitorIntervalMs ?? (samples.length > 1 ? samples[1].tMs - samples[0].tMs : 1);
  const injectedAtMs = e.fault?.injectedAtMs ?? null;
  const stoppedAtMs = e.fault?.stoppedAtMs ?? null;
  const last = samples.at(-1)?.tMs;
  const faultEndMs = injectedAtMs === null ? null : (e.fault?.endedAtMs ?? stoppedAtMs ?? (last !== undefined ? Math.min(last, injectedAtMs + (e.durations?.observationMs ?? 0)) : injectedAtMs));
  const recoveredAtMs = e.recovery?.recovered && faultEndMs !== null ? faultEndMs + (e.recovery.simMs ?? 0) : null;
  const from = samples.length ? samples[0].tMs - intervalMs : (injectedAtMs ?? 0);
  const to = samples.length ? samples[samples.length - 1].tMs : (faultEndMs ?? from + 1);
  const xDomain: [number, number] = [Math.max(0, from), Math.max(to, from + intervalMs)];
  return { injectedAtMs, stoppedAtMs, faultEndMs, recoveredAtMs, xDomain, intervalMs, windowMs: smoothingWindowMs(xDomain[1] - xDomain[0], intervalMs) };
}

function marksOf(e: ExperimentRecord, t: Timeline): TimelineMarks {
  return {
    shade: t.injectedAtMs !== null && t.faultEndMs !== null ? [t.injectedAtMs, Math.max(t.faultEndMs, t.injectedAtMs)] : undefined,
    recoveredAtMs: t.recoveredAtMs ?? undefined,
    alerts: (Array.isArray(e.alerts) ? e.alerts : []).map((a) => ({ tMs: a.tMs, label: `${a.rule}: ${a.detail}` })),
  };
}

const swatch = (cls: string, text: string) => `<span class="key"><span class="swatch ${cls}"></span>${esc(text)}</span>`;

/** The legend every timeline figure shares. */
function legend(t: Timeline, band: boolean): string {
  return [swatch('fault-window', 'fault acting'), band ? swatch('band', 'steady-state band') : '', t.recoveredAtMs !== null ? swatch('recovered', 'recovered') : '', swatch('alert', 'alert')].join(' ');
}

function smoothingNote(t: Timeline): string {
  return t.windowMs > t.intervalMs ? `Rates averaged over ${t.windowMs} ms windows (samples every ${t.intervalMs} ms).` : `One point per ${t.intervalMs} ms sample.`;
}

/** The y range of a metric key: the shared one when given, else undefined (the panel's own). */
const shared = (ctx: FigureContext, key: string) => ctx.yDomains?.get(key);

/** Population rates, one panel per population, each with its steady-state band. */
export function rateFigure(e: ExperimentRecord, ctx: FigureContext, id: string): string {
  const samples = samplesOf(e);
  if (samples.length === 0) return '';
  const t = timelineOf(e);
  const xs = samples.map((s) => s.tMs);
  const pops = Object.keys(samples[0].ratesHz ?? {});
  const panels: Panel[] = pops.map((p) => {
    const sm = windowMeans(xs, samples.map((s) => s.ratesHz?.[p] ?? Number.NaN), t.windowMs);
    const b = e.bands?.[`rate.${p}`];
    return { title: p, series: [{ name: `${p} rate`, ...sm }], band: b ? [b.lo, b.hi] : undefined, yDomain: shared(ctx, `rate.${p}`) };
  });
  const svg = smallMultiples(panels, { title: `Population rates of ${e.id}`, xDomain: t.xDomain, yLabel: 'rate (Hz)', marks: marksOf(e, t), columns: ctx.columns ?? 4 });
  return `<figure id="${id}" class="fig-rates">${svg}<figcaption><b>Population rates</b> (Hz, mean over the watched replicas), one panel per population. ${esc(smoothingNote(t))} ${legend(t, true)}</figcaption></figure>`;
}

/** Synchrony, throughput and memory: the network-wide metrics, each in its panel with its band. */
export function networkFigure(e: ExperimentRecord, ctx: FigureContext, id: string): string {
  const samples = samplesOf(e);
  if (samples.length === 0) return '';
  const t = timelineOf(e);
  const xs = samples.map((s) => s.tMs);
  const band = (k: string, scale = 1): [number, number] | undefined => (e.bands?.[k] ? [e.bands[k].lo / scale, e.bands[k].hi / scale] : undefined);
  const series = (name: string, f: (s: MetricSample) => number) => ({ name, ...windowMeans(xs, samples.map((s) => (typeof f(s) === 'number' ? f(s) : Number.NaN)), t.windowMs) });
  const memory = samples.map((s) => s.memoryBytes / 2 ** 20);
  const [m0, m1] = extent(memory);
  const panels: Panel[] = [
    { title: 'synchrony (Fano factor)', series: [series('synchrony', (s) => s.synchrony)], band: band('synchrony'), yDomain: shared(ctx, 'synchrony') },
    { title: 'throughput (steps/s, advisory)', series: [series('steps per wall second', (s) => s.stepsPerSecond)], band: band('stepsPerSecond'), yDomain: shared(ctx, 'stepsPerSecond') },
    // Memory moves by a few kB around MBs: a range around the data, not from 0, shows its changes.
    { title: 'memory in use (MiB)', series: [series('MiB', (s) => s.memoryBytes / 2 ** 20)], yDomain: shared(ctx, 'memoryMiB') ?? [m0 - (m1 - m0 || m0 * 0.02), m1 + (m1 - m0 || m0 * 0.02)] },
  ];
  if (samples.some((s) => s.nonFinite > 0)) panels.push({ title: 'non-finite values', series: [series('non-finite', (s) => s.nonFinite)] });
  const svg = smallMultiples(panels, { title: `Network metrics of ${e.id}`, xDomain: t.xDomain, yLabel: 'as titled', marks: marksOf(e, t), columns: Math.min(ctx.columns ?? 4, panels.length) });
  return `<figure id="${id}" class="fig-network">${svg}<figcaption><b>Synchrony and the machine</b>: synchrony is the Fano factor of the network's activity in 1 ms bins (about 1 when asynchronous); throughput and memory are wall-clock figures, advisory only (never in a verdict). ${legend(t, true)}</figcaption></figure>`;
}

/** Treated against control per probe of the judge (absent when nothing was judged). */
export function probeFigure(e: ExperimentRecord, ctx: FigureContext, id: string): string {
  const judge = e.judge;
  const probes = Array.isArray(judge?.probes) ? judge!.probes.filter((p) => Array.isArray(p.controlValues) && Array.isArray(p.treatedValues)) : [];
  if (!judge || probes.length === 0) return '';
  const controlLabel = judge.controls === 'baseline' ? 'baseline' : 'control';
  const windows: ProbeWindows[] = probes.map((p) => ({
    // One panel per probe and when: the when in the title tells the panels of one probe apart.
    id: p.when ? `${p.id}@${p.when}` : p.id,
    outcome: p.outcome,
    controlValues: p.controlValues,
    treatedValues: p.treatedValues,
    effect: p.effect ?? null,
    yDomain: shared(ctx, `probe.${p.id}`),
    valuesAre: p.metric === 'active-fraction' ? 'pairs' : p.metric === 'non-finite' ? 'samples' : 'windows',
  }));
  const span = Array.isArray(judge.treatedSpanMs) ? `${judge.treatedSpanMs[0]}-${judge.treatedSpanMs[1]} ms` : 'the fault window';
  const against = judge.controls === 'baseline' ? `the same replicas before injection (${Array.isArray(judge.controlSpanMs) ? `${judge.controlSpanMs[0]}-${judge.controlSpanMs[1]} ms` : 'baseline'})` : 'the control replicas over the same span';
  const svg = probeChart(windows, { title: `Treated against control, ${e.id}`, controlLabel, unit: 'probe value', columns: Math.max(3, (ctx.columns ?? 4) + 1) });
  return `<figure id="${id}" class="fig-probes">${svg}<figcaption><b>Treated vs control</b>: each probe at each of its whens (panel <i>id@when</i>; the fault acted ${esc(span)}) against ${esc(against)}; a probe fails when the difference is significant after Holm's correction over the experiment's tests (adjusted p &lt; ${judge.alpha ?? 0.05}) and beyond ${((judge.minEffect ?? 0.1) * 100).toFixed(0)}%.</figcaption></figure>`;
}

/** The spike raster with population labels. */
export function rasterFigure(e: ExperimentRecord, ctx: FigureContext, id: string): string {
  const r = e.raster;
  if (!r || !Array.isArray(r.pairs) || !(r.toMs > r.fromMs)) return '';
  const t = timelineOf(e);
  const shade: [number, number] | undefined = t.injectedAtMs !== null && t.faultEndMs !== null ? [t.injectedAtMs, t.faultEndMs] : undefined;
  const { svg, keepEvery } = rasterChart({ title: `Spike raster of ${e.id}`, pairs: r.pairs, dtMs: ctx.dtMs, neurons: ctx.neurons, fromMs: r.fromMs, toMs: r.toMs, populations: ctx.populations, shade, height: ctx.populations && ctx.populations.length > 4 ? 320 : 240 });
  const what = t.injectedAtMs === null ? 'at the end (nothing injected)' : 'around the injection';
  return `<figure id="${id}" class="fig-raster">${svg}<figcaption><b>Spike raster</b> ${what}, ${r.fromMs.toFixed(0)}-${r.toMs.toFixed(0)} ms, replica ${r.replica}${keepEvery > 1 ? `, every ${keepEvery}th neuron` : ''}; excitatory populations dark, inhibitory red. ${swatch('fault-window', 'fault acting')}</figcaption></figure>`;
}

/** Shared y ranges for a set of records (a defended and a raw run): the union of each metric's data and band, from 0. */
export function sharedYDomains(records: ExperimentRecord[]): Map<string, [number, number]> {
  const acc = new Map<string, number[]>();
  const add = (k: string, ...vs: number[]) => {
    let list = acc.get(k);
    if (!list) acc.set(k, (list = []));
    for (const v of vs) if (Number.isFinite(v)) list.push(v);
  };
  for (const e of records) {
    for (const s of samplesOf(e)) {
      for (const [p, v] of Object.entries(s.ratesHz ?? {})) add(`rate.${p}`, v, 0);
      add('synchrony', s.synchrony, 0);
      add('stepsPerSecond', s.stepsPerSecond, 0);
      add('memoryMiB', s.memoryBytes / 2 ** 20);
    }
    for (const [k, b] of Object.entries(e.bands ?? {})) if (k.startsWith('rate.') || k === 'synchrony' || k === 'stepsPerSecond') add(k, b.hi);
    for (const p of e.judge?.probes ?? []) add(`probe.${p.id}`, ...(p.controlValues ?? []), ...(p.treatedValues ?? []), 0);
  }
  const out = new Map<string, [number, number]>();
  for (const [k, vs] of acc) if (vs.length) out.set(k, extent(vs));
  return out;
}
