import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobResult } from './job.js';

/**
 * Job results on disk, one JSON file per job under its content hash
 * (`results/ab/abcd....json`). A file is written whole (to a temporary name,
 * then renamed), so an interrupted run leaves either the result or nothing:
 * a rerun runs exactly the jobs that have no file.
 */
export class ResultStore {
  constructor(readonly dir: string) {}

  private pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a job hash: ${hash}`);
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  get(hash: string): JobResult | null {
    try {
      return JSON.parse(readFileSync(this.pathOf(hash), 'utf8')) as JobResult;
    } catch {
      return null;
    }
  }

  put(result: JobResult): void {
    const path = this.pathOf(result.hash);
    mkdirSync(join(this.dir, result.hash.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(result)}\n`);
    renameSync(tmp, path);
  }
}
