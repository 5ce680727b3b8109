import type { CliContext } from './context.js';
import { main } from './main.js';

/** Errors a stream gives when its reader has gone (`neurochaos list | head -1`): not the command's failure. */
function readerGone(e: NodeJS.ErrnoException): boolean {
  return e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
}

/**
 * Wires the process to the CLI: streams, signals, exit code. The first
 * SIGINT/SIGTERM aborts the command's signal (it rolls back and writes its
 * journal); a second runs the command's `beforeForcedExit` hooks (the journal
 * of what finished) and exits with 130 at once. A closed stdout or stderr
 * (a pipe whose reader exited) is ignored: the command finishes and its exit
 * code stands.
 *
 * @returns the exit code of the command
 */
export async function runProcess(argv: string[]): Promise<number> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (!readerGone(e)) throw e;
    });
  }
  const controller = new AbortController();
  const beforeForcedExit = new Set<() => void>();
  const onSignal = interruptHandler({ abort: () => controller.abort(), beforeForcedExit, stderr: process.stderr, exit: (code) => process.exit(code) });
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const ctx: CliContext = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, beforeForcedExit };
  return main(argv, ctx);
}

/** What an interrupt acts on: the command's abort, its forced-exit hooks, where to say so, how to exit. */
export interface InterruptTargets {
  abort: () => void;
  beforeForcedExit: ReadonlySet<() => void>;
  stderr: { write(text: string): unknown };
  exit: (code: number) => void;
}

/**
 * The CLI's interrupt policy, apart from the process so it can be tested
 * without racing real signals: the first interrupt aborts (a clean stop),
 * a later one runs every forced-exit hook (each failure reported, none
 * stopping the others) and exits with 130.
 */
export function interruptHandler(t: InterruptTargets): (signal: NodeJS.Signals) => void {
  let interrupts = 0;
  return (signal) => {
    interrupts++;
    if (interrupts > 1) {
      t.stderr.write(`\nneurochaos: second ${signal}, exiting now\n`);
      for (const hook of t.beforeForcedExit) {
        try {
          hook();
        } catch (e) {
          t.stderr.write(`neurochaos: could not save on the way out: ${(e as Error).message}\n`);
        }
      }
      t.exit(130);
      return;
    }
    t.stderr.write(`\nneurochaos: ${signal} received, stopping cleanly (again to force)\n`);
    t.abort();
  };
}
