import type { ActiveFault, FaultContext, FaultKindName, FaultTargets, VerifyResult } from './fault.js';

/** Common bookkeeping of active faults: identity, recorded targets, stop-once. */
export abstract class FaultBase implements ActiveFault {
  readonly injectedAtStep: number;
  private stopState: 'active' | 'stopping' | 'stopped' = 'active';
  /** The undo in progress: a second stop (stopAll while a timer stops the fault) waits for it rather than returning early. */
  private stopping: Promise<void> | null = null;

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

  stop(): Promise<void> {
    if (this.stopState === 'stopped') return Promise.resolve();
    if (this.stopping) return this.stopping;
    this.stopState = 'stopping';
    this.stopping = (async () => {
      try {
        await this.undo();
      } finally {
        this.stopState = 'stopped';
      }
    })();
    return this.stopping;
  }

  verify(): VerifyResult {
    return this.stopped ? this.verifyGone() : this.verifyActive();
  }

  protected abstract undo(): Promise<void>;
  protected abstract verifyActive(): VerifyResult;
  protected abstract verifyGone(): VerifyResult;
}
