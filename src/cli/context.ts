/** What a command may touch: its streams and the interrupt signal. Tests pass their own. */
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on the first interrupt (SIGINT, SIGTERM): commands stop cleanly, roll back and write what they have. */
  signal: AbortSignal;
  /**
   * Called synchronously on a second interrupt, just before the process exits
   * without waiting for the clean stop: a command adds a hook that saves what
   * is already finished (the run's journal of finished experiments) and
   * removes it when it returns.
   */
  beforeForcedExit?: Set<() => void>;
}
