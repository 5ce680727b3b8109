import cliProgress from 'cli-progress';

/**
 * Progress on stderr. `ProgressLine` is the one-line bar of `simulate`;
 * `RunProgress` is `run`'s: overall progress in simulated ms across every
 * experiment of the run, a line per experiment that stays, and an ETA from
 * the measured rate. On a terminal it draws a cli-progress bar (log lines
 * above it); when stderr is not a terminal (CI logs, pipes) it writes plain
 * lines every `logEveryMs` of wall time; with `quiet` it writes nothing.
 */

/** A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second; silent when the stream is not a TTY. */
export class ProgressLine {
  private lastDraw = 0;
  private readonly started = performance.now();
  private active = false;
  private readonly history = new RateWindow();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly enabled = stream.isTTY === true,
  ) {}

  update(done: number, total: number, extra = ''): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.history.push({ wallMs: now, doneMs: done });
    const eta = etaSeconds(this.history, total - done);
    this.stream.write(`\r${this.label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${elapsed.toFixed(1)}s${eta === null ? '' : `, eta ${formatSeconds(eta)}`} ${extra}\x1b[K`);
    this.active = true;
  }

  note(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r${text}\x1b[K`);
    this.active = true;
  }

  done(): void {
    if (this.enabled && this.active) this.stream.write('\r\x1b[K');
    this.active = false;
  }
}

/** One measurement of progress: wall ms (performance.now) against simulated ms done. */
export interface ProgressPoint {
  wallMs: number;
  doneMs: number;
}

/** The span of wall time the rate is measured over: long enough to average chunks, short enough to follow a change of speed (a fault, a new experiment). */
export const RATE_WINDOW_MS = 15000;

/** Progress points over the last RATE_WINDOW_MS of wall time (at least the two latest), for the measured rate. */
export class RateWindow {
  private readonly points: ProgressPoint[] = [];

  push(p: ProgressPoint): void {
    this.points.push(p);
    while (this.points.length > 2 && p.wallMs - this.points[1].wallMs >= RATE_WINDOW_MS) this.points.shift();
  }

  /** Simulated ms per wall second over the window; null until two points a wall ms apart with progress between them. */
  rateMsPerSecond(): number | null {
    if (this.points.length < 2) return null;
    const a = this.points[0];
    const b = this.points[this.points.length - 1];
    const wall = b.wallMs - a.wallMs;
    const done = b.doneMs - a.doneMs;
    return wall >= 1 && done > 0 ? (done * 1000) / wall : null;
  }

  clear(): void {
    this.points.length = 0;
  }
}

/**
 * Seconds left at the measured rate: `remainingMs` simulated ms divided by the
 * simulated ms per wall second over the rate window. Null when no rate has
 * been measured yet (no ETA beats a wrong one); 0 when nothing remains.
 */
export function etaSeconds(window: RateWindow, remainingMs: number): number | null {
  if (!(remainingMs > 0)) return 0;
  const rate = window.rateMsPerSecond();
  return rate === null ? null : remainingMs / rate;
}

/** 42s, 3m05s, 1h02m. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/** One experiment as the run plans it: its id, kind and planned simulated ms (warm-up, baseline, observation, recovery timeout). */
export interface PlannedRun {
  id: string;
  kind: string;
  plannedMs: number;
}

export interface RunProgressOptions {
  /** Nothing at all on the stream. */
  quiet?: boolean;
  /** Draw a bar (default: when the stream is a TTY); otherwise plain log lines. */
  tty?: boolean;
  /** Wall ms between plain log lines. @defaultValue 10000 */
  logEveryMs?: number;
  /** The wall clock (tests pass their own). @defaultValue performance.now */
  now?: () => number;
}

/**
 * Progress of a whole `run`: every experiment of every scenario (and
 * defences variant) in order. The total is the planned simulated ms; when an
 * experiment ends (a recovery found early, an abort) its unused ms leave the
 * total, so the percentage never stalls and jumps. The ETA is the remaining
 * planned ms at the rate measured over the last RATE_WINDOW_MS: an upper
 * bound when recoveries end early, hence "eta <=".
 */
export class RunProgress {
  private readonly plannedMs: number[];
  private readonly actualMs: (number | null)[];
  private current = -1;
  private currentDoneMs = 0;
  private readonly window = new RateWindow();
  private readonly now: () => number;
  private readonly started: number;
  private lastLog: number;
  private readonly tty: boolean;
  private bars: cliProgress.MultiBar | null = null;
  private bar: cliProgress.SingleBar | null = null;
  private phase = '';
  private experimentStartedWall = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly plan: PlannedRun[],
    private readonly options: RunProgressOptions = {},
  ) {
    this.plannedMs = plan.map((p) => p.plannedMs);
    this.actualMs = plan.map(() => null);
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.lastLog = this.started;
    this.tty = options.tty ?? stream.isTTY === true;
  }

  /** Simulated ms done across the run. */
  doneMs(): number {
    let sum = 0;
    for (let i = 0; i < this.plan.length; i++) sum += this.actualMs[i] ?? (i === this.current ? this.currentDoneMs : 0);
    return sum;
  }

  /** Simulated ms the run will take: what finished experiments took, what the others plan. */
  totalMs(): number {
    let sum = 0;
    for (let i = 0; i < this.plan.length; i++) sum += this.actualMs[i] ?? Math.max(this.plannedMs[i], i === this.current ? this.currentDoneMs : 0);
    return sum;
  }

  /** Seconds left at the measured rate (null: not measured yet). */
  eta(): number | null {
    return etaSeconds(this.window, this.totalMs() - this.doneMs());
  }

  /** Experiment `index` (in the plan) starts: a line that stays. */
  start(index: number): void {
    this.current = index;
    this.currentDoneMs = 0;
    this.phase = 'starting';
    this.experimentStartedWall = this.now();
    const p = this.plan[index];
    this.line(`[${index + 1}/${this.plan.length}] ${p.id} (${p.kind}): ${p.plannedMs} ms simulated at most`);
    this.window.push({ wallMs: this.now(), doneMs: this.doneMs() });
    this.draw(true);
  }

  /** The current experiment has simulated `doneMs` of its `totalMs` (the engine's progress event), in `phase`. */
  update(doneMs: number, totalMs: number, phase: string): void {
    if (this.current < 0) return;
    this.currentDoneMs = doneMs;
    if (totalMs > 0) this.plannedMs[this.current] = totalMs;
    this.phase = phase;
    this.window.push({ wallMs: this.now(), doneMs: this.doneMs() });
    this.draw(false);
  }

  /** The current experiment ended with `outcome` (its verdict) after `simulatedMs` (default: the last progress reported): a line that stays. */
  end(outcome: string, simulatedMs = this.currentDoneMs): void {
    if (this.current < 0) return;
    const i = this.current;
    this.actualMs[i] = Math.max(0, simulatedMs);
    this.currentDoneMs = 0;
    this.current = -1;
    const wall = (this.now() - this.experimentStartedWall) / 1000;
    this.line(`[${i + 1}/${this.plan.length}] ${this.plan[i].id}: ${outcome}, ${this.actualMs[i]!.toFixed(0)} ms simulated in ${wall.toFixed(1)} s`);
    this.draw(true);
  }

  /** Removes the bar (the lines stay). */
  stop(): void {
    this.bars?.stop();
    this.bars = null;
    this.bar = null;
  }

  /** The status as one plain line: percentage, simulated ms, current experiment and phase, elapsed, ETA. */
  statusLine(): string {
    const done = this.doneMs();
    const total = this.totalMs();
    const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
    const eta = this.eta();
    const cur = this.current >= 0 ? `, ${this.plan[this.current].id}: ${this.phase}` : '';
    return `progress ${pct.toFixed(0)}% (${done.toFixed(0)} of ${total.toFixed(0)} simulated ms${cur}), ${formatSeconds((this.now() - this.started) / 1000)} elapsed, eta ${eta === null ? 'not measured yet' : `<= ${formatSeconds(eta)}`}`;
  }

  private line(text: string): void {
    if (this.options.quiet) return;
    if (this.tty && this.bars) this.bars.log(`${text}\n`);
    else this.stream.write(`${text}\n`);
  }

  private draw(force: boolean): void {
    if (this.options.quiet) return;
    const now = this.now();
    if (!this.tty) {
      if (now - this.lastLog >= (this.options.logEveryMs ?? 10000)) {
        this.lastLog = now;
        this.stream.write(`${this.statusLine()}\n`);
      }
      return;
    }
    if (!this.bars) {
      this.bars = new cliProgress.MultiBar(
        {
          stream: this.stream as NodeJS.WritableStream as never,
          format: '{bar} {percentage}% | {value}/{total} sim ms | {elapsed} elapsed, eta {etaText} | {label}',
          hideCursor: true,
          clearOnComplete: true,
          stopOnComplete: false,
          fps: 10,
          autopadding: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar = this.bars.create(Math.round(this.totalMs()), 0, { etaText: '-', label: '', elapsed: '0s' });
    }
    const eta = this.eta();
    const label = this.current >= 0 ? `${this.plan[this.current].id}: ${this.phase}` : '';
    this.bar!.setTotal(Math.max(1, Math.round(this.totalMs())));
    this.bar!.update(Math.round(this.doneMs()), { etaText: eta === null ? '-' : `<= ${formatSeconds(eta)}`, label, elapsed: formatSeconds((now - this.started) / 1000) });
    if (force) this.bars.update();
  }
}
