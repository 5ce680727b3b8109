import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/neurochaos.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process. `onStderr` sees output as it arrives (to time a signal). */
export function runCli(args: string[], opts: { onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return startCli(args, opts).done;
}

/**
 * Starts the real CLI in a child process and returns at once: the child (to
 * signal it, or read its pid) and the run's end, with what it printed.
 */
export function startCli(args: string[], opts: { onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void; env?: NodeJS.ProcessEnv; cwd?: string } = {}): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(String(d), child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
