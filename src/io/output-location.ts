import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../util/errors.js';

/** The nearest existing path at or above `path` (the root always exists). */
function nearestExisting(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks, before any simulation starts, that a folder the run will write into
 * can be created (with its parents) and written: every existing part of the
 * path is a folder, and the deepest existing one is writable. Creates nothing.
 *
 * @param path - the folder, relative to the working directory or absolute
 * @param field - the flag or field to name in the error (`--out`)
 * @throws InputError naming `field` when a part of the path is a file or the folder is not writable
 */
export function checkOutputFolder(path: string, field: string): void {
  const target = resolve(path);
  const existing = nearestExisting(target);
  if (!statSync(existing).isDirectory()) {
    const what = existing === target ? `"${path}" is a file` : `"${existing}" is a file, not a folder`;
    throw new InputError(field, `cannot write into "${path}": ${what}; give a folder`);
  }
  if (!writable(existing)) throw new InputError(field, `cannot write into "${path}": "${existing}" is not writable`);
}

/**
 * Checks that a file the run will write (a checkpoint, a spike recording) can
 * be written: it is not a folder, and its folder exists and is writable (the
 * writers create the file, not its folder). Creates nothing.
 *
 * @throws InputError naming `field` with the reason
 */
export function checkOutputFile(path: string, field: string): void {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new InputError(field, `cannot write "${path}": it is a folder; give a file`);
  const folder = dirname(target);
  if (!existsSync(folder)) throw new InputError(field, `cannot write "${path}": folder "${folder}" does not exist`);
  if (!statSync(folder).isDirectory()) throw new InputError(field, `cannot write "${path}": "${folder}" is a file, not a folder`);
  if (!writable(folder)) throw new InputError(field, `cannot write "${path}": folder "${folder}" is not writable`);
}
