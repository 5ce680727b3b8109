/** What a command may touch: its streams and the interrupt signal. Tests pass their own. */
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal: AbortSignal;
}
