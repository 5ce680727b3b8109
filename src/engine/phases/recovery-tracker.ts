/**
 * Watches for recovery: a run of consecutive in-band samples lasting the hold
 * time, counted only over samples that start at or after the fault's end
 * (so a storm that expires inside the observation window is timed from its
 * expiry, not from the later rollback). Recovery is confirmed only once the
 * run includes a sample of the recovery window, after the rollback: the
 * steady state must hold with every fault gone.
 */
export class RecoveryTracker {
  private inBand = 0;
  private runStartStep: number | null = null;
  private runStartWallMs = 0;
  private sawRecoveryWindow = false;

  /** @param holdSamples consecutive in-band samples that make a recovery (>= 1) */
  constructor(readonly holdSamples: number) {}

  /**
   * Feeds one sample, in order.
   * @param fromStep first step the sample covers
   * @param endRefStep the step from which recovery is timed (the fault's end); samples starting before it are ignored, null: not yet known
   * @param inBand whether every judged metric was in band
   * @param inRecoveryWindow whether the sample belongs to the recovery window (after the rollback)
   * @param wallMs wall clock (ms) at the start of the sample
   */
  feed(fromStep: number, endRefStep: number | null, inBand: boolean, inRecoveryWindow: boolean, wallMs: number): void {
    if (endRefStep === null || fromStep < endRefStep) return;
    if (!inBand) {
      this.inBand = 0;
      this.runStartStep = null;
      this.sawRecoveryWindow = false;
      return;
    }
    if (this.inBand === 0) {
      this.runStartStep = fromStep;
      this.runStartWallMs = wallMs;
    }
    this.inBand++;
    if (inRecoveryWindow) this.sawRecoveryWindow = true;
  }

  /** True once the hold is met by a run that reached the recovery window. */
  get recovered(): boolean {
    return this.inBand >= this.holdSamples && this.sawRecoveryWindow;
  }

  /** First step of the recovered run (null until recovered). */
  get recoveredFromStep(): number | null {
    return this.recovered ? this.runStartStep : null;
  }

  /** Wall clock (ms) at the start of the recovered run. */
  get recoveredFromWallMs(): number | null {
    return this.recovered ? this.runStartWallMs : null;
  }
}
