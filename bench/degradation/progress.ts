/**
 * A live line on stderr: bar, share done, what runs now, estimated time left.
 * Work is counted in the caller's units (simulated replica-milliseconds).
 */
export class Progress {
  private done = 0;
  private readonly t0 = performance.now();
  private last = 0;

  constructor(private total: number, private readonly out: NodeJS.WriteStream = process.stderr) {}

  addTotal(units: number): void {
    this.total += units;
  }

  advance(units: number, label: string): void {
    this.done += units;
    const now = performance.now();
    if (now - this.last < 250 && this.done < this.total) return;
    this.last = now;
    const share = Math.min(1, this.done / Math.max(1, this.total));
    const elapsed = (now - this.t0) / 1000;
    const eta = share > 0.02 ? (elapsed / share) * (1 - share) : NaN;
    const width = 24;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const line = `[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${label} | ${formatDuration(elapsed)} elapsed${Number.isFinite(eta) ? `, ~${formatDuration(eta)} left` : ''}`;
    if (this.out.isTTY) this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1).padEnd((this.out.columns ?? 120) - 1)}`);
    else if (Math.floor(share * 10) !== Math.floor(this.lastShare * 10)) this.out.write(`${line}\n`);
    this.lastShare = share;
  }

  private lastShare = 0;

  end(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(0)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
