import type { Band } from './steady-state.js';
import type { MetricSample } from './metrics.js';

/** An alert a rule raised on a monitor sample. */
export interface Alert {
  rule: string;
  tMs: number;
  wallMs: number;
  phase: MetricSample['phase'];
  detail: string;
}

/** What happened since the previous sample, beyond the sample itself. */
export interface AlertInputs {
  /** Corrupted blocks the weight scrubber found. */
  scrubberFindings: number;
  /** Spikes the durable recorder announced lost. */
  spikesLost?: number;
}

/** The recorder backlog alert fires above this fraction of its bound. */
export const RECORDER_BACKLOG_ALERT_FRACTION = 0.25;

/**
 * Alert rules over the monitored metrics. Each looks at one sample against
 * the baseline bands: population rate out of band, synchrony out of band,
 * any non-finite state, step latency above 3x the baseline's, memory above
 * 1.5x the baseline's, corruption found by the weight scrubber, a recorder
 * backlog above a quarter of its bound, and recorded data lost.
 */
export function evaluateAlerts(s: MetricSample, bands: Record<string, Band>, inputs: AlertInputs): Alert[] {
  const scrubberFindings = inputs.scrubberFindings;
  const out: Alert[] = [];
  const raise = (rule: string, detail: string) => out.push({ rule, tMs: s.tMs, wallMs: s.wallMs, phase: s.phase, detail });
  const off = Object.entries(s.ratesHz).filter(([p, r]) => {
    const b = bands[`rate.${p}`];
    return b && (r < b.lo || r > b.hi);
  });
  if (off.length) raise('rate-deviation', off.map(([p, r]) => `${p} ${r.toFixed(1)} Hz`).join(', '));
  const sync = bands.synchrony;
  if (sync && (s.synchrony < sync.lo || s.synchrony > sync.hi)) raise('synchrony', `Fano factor ${s.synchrony.toFixed(2)} outside [${sync.lo.toFixed(2)}, ${sync.hi.toFixed(2)}]`);
  if (s.nonFinite > 0) raise('non-finite', `${s.nonFinite} non-finite state values`);
  const tput = bands.stepsPerSecond;
  if (tput && tput.mean > 0 && s.stepLatencyMs > (3 * 1000) / tput.mean) raise('step-latency', `${s.stepLatencyMs.toFixed(3)} ms per step, 3x the baseline's ${(1000 / tput.mean).toFixed(3)}`);
  const mem = bands.memoryBytes;
  if (mem && mem.mean > 0 && s.memoryBytes > 1.5 * mem.mean) raise('memory', `${s.memoryBytes} bytes in use, 1.5x the baseline's`);
  if (scrubberFindings > 0) raise('weight-integrity', `${scrubberFindings} corrupted block(s) found and repaired`);
  const backlog = s.recordingBacklogBytes ?? 0;
  const bound = s.recordingBacklogBoundBytes ?? 0;
  if (bound > 0 && backlog > RECORDER_BACKLOG_ALERT_FRACTION * bound) raise('recorder-backlog', `${backlog} of ${bound} bytes of recorded spikes wait for the disk`);
  if ((inputs.spikesLost ?? 0) > 0) raise('data-loss', `${inputs.spikesLost} recorded spikes lost (critical)`);
  return out;
}

/**
 * Rules on noisy metrics fire only when their condition holds on this many
 * consecutive samples (like a Prometheus rule's `for:`): a single burst of
 * the column or one slow interval on a shared machine is not an incident.
 * Measured on the standard scenarios (scale 0.1, 20 ms samples): with 1, the
 * unfaulted baselines raised 53 alerts (31 rate, 19 synchrony, 3 latency).
 * Non-finite state, scrubber findings, recorder backlog and data loss fire
 * at once.
 */
export const ALERT_FOR_SAMPLES: Record<string, number> = { 'rate-deviation': 2, synchrony: 2, 'step-latency': 2, memory: 2 };

/** Alert rules with memory: each rule's condition must persist for ALERT_FOR_SAMPLES before it fires, and fires once per episode. */
export class AlertMonitor {
  private readonly streak = new Map<string, number>();

  constructor(private readonly forSamples: Record<string, number> = ALERT_FOR_SAMPLES) {}

  evaluate(s: MetricSample, bands: Record<string, Band>, inputs: AlertInputs): Alert[] {
    const raised = evaluateAlerts(s, bands, inputs);
    const now = new Set(raised.map((a) => a.rule));
    for (const rule of [...this.streak.keys()]) if (!now.has(rule)) this.streak.delete(rule);
    const out: Alert[] = [];
    for (const a of raised) {
      const n = (this.streak.get(a.rule) ?? 0) + 1;
      this.streak.set(a.rule, n);
      const need = this.forSamples[a.rule] ?? 1;
      // Persistent rules fire when the streak reaches the bar, and again only after it breaks; instant rules fire each time.
      if (need === 1 || n === need) out.push(a);
    }
    return out;
  }
}
