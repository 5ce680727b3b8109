import type { ActiveFault, FaultContext, FaultKindName, FaultTargets, VerifyResult } from './fault.js';

/** Common bookkeeping of active faults: identity, recorded targets, stop-once. */
export abstract class FaultBase implements ActiveFault {
  readonly injectedAtStep: number;
  private stopState: 'active' | 'stopping' | 'stopped' = 'active';

  constructor(
    readonly id: string,
    readonly kind: FaultKindName,
    readonly spec: Readonly<Record<string, unknown>>,
    readonly targets: FaultTargets,
    readonly permanent: boolean,
    protected readonly ctx: FaultContext,
  ) {
    this.injectedAtStep = ctx.step;
  }

  get stopped(): boolean {
    return this.stopState === 'stopped';
  }

  async stop(): Promise<void> {
    if (this.stopState !== 'active') return;
    this.stopState = 'stopping';
    try {
      await this.undo();
    } finally {
      this.stopState = 'stopped';
    }
  }

  verify(): VerifyResult {
    return this.stopped ? this.verifyGone() : this.verifyActive();
  }

  protected abstract undo(): Promise<void>;
  protected abstract verifyActive(): VerifyResult;
  protected abstract verifyGone(): VerifyResult;
}
