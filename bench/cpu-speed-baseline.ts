import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The commit the CPU targets are ratios to (issue 21: "today's head"). */
export const BASELINE_COMMIT = '9564f1a';

/**
 * A build of the baseline commit to race against, in `<repo>/bench/.baseline`
 * (gitignored): made when missing by `git worktree add --detach`, with
 * node_modules linked to this checkout's and `tsc` run there. Returns the
 * folder (its build is in dist/). Reuses a finished build.
 * @throws Error when git or tsc fail (the message says which)
 */
export function ensureBaselineBuild(repoRoot: string, log: (line: string) => void, commit = BASELINE_COMMIT): string {
  const dir = join(repoRoot, 'bench', '.baseline');
  // Written after tsc succeeds, so an interrupted build is redone.
  const built = join(dir, 'dist', '.baseline-built');
  if (existsSync(built)) {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    log(`  baseline: reusing the build of ${head.slice(0, 7)} in bench/.baseline`);
    return dir;
  }
  if (!existsSync(join(dir, '.git'))) {
    log(`  baseline: creating a worktree of ${commit} in bench/.baseline (git worktree add --detach)`);
    execFileSync('git', ['-C', repoRoot, 'worktree', 'add', '--detach', '--force', dir, commit], { stdio: 'inherit' });
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(realpathSync(join(repoRoot, 'node_modules')), join(dir, 'node_modules'), 'dir');
  log('  baseline: building it (tsc -p tsconfig.json, about a minute on 2 cores)');
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit', cwd: dir });
  writeFileSync(built, `${commit}\n`);
  return dir;
}
