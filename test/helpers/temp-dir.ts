import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A fresh folder under the OS temp dir, removed when the test file's tests
 * end (node:test's `after` of the enclosing suite, or of the file at top
 * level), so `npm test` leaves nothing behind.
 */
export function tempDir(prefix = 'neurochaos-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
