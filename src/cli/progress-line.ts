/**
 * A one-line progress bar on a terminal (stderr), redrawn at most 10 times a
 * second; silent when the stream is not a TTY, so logs and pipes stay clean.
 */
export class ProgressLine {
  private lastDraw = 0;
  private readonly started = performance.now();
  private active = false;

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
    const frac = total > 0 ? done / total : 1;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.stream.write(`\r${this.label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${elapsed.toFixed(1)}s, eta ${eta.toFixed(1)}s ${extra}\x1b[K`);
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
