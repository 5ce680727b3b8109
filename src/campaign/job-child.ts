/**
 * A pool process: runs the jobs its parent sends, one at a time, and answers
 * each with its result. Keeps its reference runs and its last built networks
 * between jobs (jobs that differ only in their fault share both). The parent decides when to stop
 * (an interrupt reaches the whole process group; this process leaves it to
 * the parent, which ends it).
 */
import { codeVersion } from './code-version.js';
import { NetworkCache } from './network-cache.js';
import { ReferenceCache } from './reference-run.js';
import { runJob } from './run-job.js';

export type ChildRequest = { type: 'job'; id: number; job: unknown };
export type ChildReply = { type: 'result'; id: number; result: import('./job.js').JobResult } | { type: 'error'; id: number; message: string };

const workDir = process.argv[2];
const references = new ReferenceCache();
const networks = new NetworkCache();
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
/**
 * Sends to the parent unless it is gone: after a Ctrl-C that ended the parent first, a send threw
 * ERR_IPC_CHANNEL_CLOSED (or EPIPE) and printed its stack trace under the user's prompt. This process
 * then exits on 'disconnect'.
 */
function reply(message: ChildReply | { type: 'ready' }): void {
  if (!process.connected) return;
  process.send!(message, undefined, undefined, () => {});
}

process.on('message', (m: ChildRequest) => {
  if (m?.type !== 'job') return;
  runJob(m.job, { workDir, codeVersion: codeVersion(), references, networks })
    .then((result) => reply({ type: 'result', id: m.id, result }))
    .catch((e: unknown) => reply({ type: 'error', id: m.id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
});
reply({ type: 'ready' });
