import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * Whether a compiled file can change a job's result: the CLI, the reports and
 * the campaign's own plumbing (queue, pool, outputs) cannot, so editing them
 * does not invalidate stored results; the simulation, chaos, engine and the
 * campaign's job runner and measures can.
 */
function affectsResults(path: string): boolean {
  const [top, file] = path.split(/[\\/]/);
  if (top === 'cli' || top === 'report') return false;
  if (top === 'campaign') return RESULT_FILES.some((f) => file === `${f}.js`);
  return true;
}

/** The campaign files that compute a job's values. */
const RESULT_FILES = ['run-job', 'job', 'measures', 'spike-measures', 'van-rossum', 'reference-run', 'task-measure', 'canonical-json'];

/** Every .js file under `dir`, sorted by path (stable across machines). */
function jsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') && affectsResults(relative(dir, p))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The version of the code that computes a job's result: the package version
 * and a digest of the compiled library and kernels (dist/src, dist/kernels),
 * e.g. `0.1.0+3f9a0c1d2e4b`. Part of every job's hash, so a rerun after a code
 * change runs the jobs again instead of mixing results of two versions, and a
 * worker refuses jobs submitted by other code.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  const pkg = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
  const h = createHash('sha256');
  for (const sub of ['src', 'kernels']) {
    for (const f of jsFiles(join(dist, sub))) {
      h.update(relative(dist, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  cached = `${pkg.version}+${h.digest('hex').slice(0, 12)}`;
  return cached;
}
