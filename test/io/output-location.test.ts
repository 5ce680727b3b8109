import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkOutputFile, checkOutputFolder } from '../../src/io/output-location.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('output locations', () => {
  const dir = tempDir();
  const file = join(dir, 'file');
  writeFileSync(file, '');
  mkdirSync(join(dir, 'sub'));

  it('a folder: fine when it or its nearest existing parent is a writable folder; creates nothing', () => {
    checkOutputFolder(join(dir, 'sub'), '--out');
    checkOutputFolder(join(dir, 'new', 'deeper'), '--out');
    assert.equal(existsSync(join(dir, 'new')), false);
  });

  it('a folder at or under a regular file is refused, naming the flag and the file', () => {
    assert.throws(() => checkOutputFolder(file, '--out'), /^InputError: --out: cannot write into ".*file": ".*file" is a file; give a folder$/);
    assert.throws(() => checkOutputFolder(join(file, 'a', 'b'), '--out'), /--out: cannot write into .*: ".*file" is a file, not a folder/);
  });

  it('a file: its folder must exist; the path must not be a folder', () => {
    checkOutputFile(join(dir, 'sub', 'x.ckpt'), '--save-checkpoint');
    checkOutputFile(file, '--record');
    assert.throws(() => checkOutputFile(join(dir, 'sub'), '--record'), /--record: .*it is a folder/);
    assert.throws(() => checkOutputFile(join(dir, 'none', 'x'), '--record'), /--record: .*does not exist/);
    assert.throws(() => checkOutputFile(join(file, 'x'), '--record'), /--record: .*is a file, not a folder/);
  });
});
