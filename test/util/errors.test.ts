import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asFlagError } from '../../src/cli/parse-flags.js';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { backendNotPrepared, ERROR_CODES, InputError, unknownBackend, unsupported, UnsupportedError, usedAfterDispose } from '../../src/util/errors.js';

function sink() {
  const s = { text: '', isTTY: false, write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('error catalogue', () => {
  it('every factory gives an InputError with a catalogued code, a field and a message that names what to do', () => {
    const made: [InputError, string][] = [
      [new InputError('batch', 'must be an integer'), 'bad-input'],
      [unknownBackend('quantum', ['cpu', 'auto']), 'unknown-backend'],
      [unsupported('tfjs', 'partition', 'no per-synapse cut'), 'unsupported'],
      [usedAfterDispose('gpujs'), 'used-after-dispose'],
      [backendNotPrepared('tfjs-cpu'), 'backend-not-prepared'],
    ];
    for (const [e, code] of made) {
      assert.ok(e instanceof InputError);
      assert.equal(e.code, code);
      assert.ok(Object.hasOwn(ERROR_CODES, e.code));
      assert.ok(e.message.startsWith(`${e.field}: `), e.message);
    }
    assert.equal(made[1][0].message, 'backend: unknown backend "quantum" (available: cpu, auto)');
    assert.equal(made[3][0].message, 'backend: the gpujs backend was used after dispose(): create a new one');
  });

  it('re-labelled for a CLI flag, an error keeps its code (and an UnsupportedError its backend and capability)', () => {
    const e = asFlagError(unknownBackend('x', ['cpu'])) as InputError;
    assert.equal(e.field, '--backend');
    assert.equal(e.code, 'unknown-backend');
    assert.equal(e.message, '--backend: unknown backend "x" (available: cpu)');
    const u = unsupported('tfjs', 'partition', 'no cut', 'backend').withField('--backend');
    assert.ok(u instanceof UnsupportedError);
    assert.deepEqual([u.field, u.backend, u.capability, u.reason, u.code], ['--backend', 'tfjs', 'partition', 'no cut', 'unsupported']);
    // A field that only an inherited property of a plain object matches is left alone.
    assert.equal((asFlagError(new InputError('constructor', 'x')) as InputError).field, 'constructor');
  });

  it('the CLI exits 2 on an unknown backend and prints the registered names', async () => {
    const stdout = sink();
    const stderr = sink();
    const ctx: CliContext = { stdout, stderr, signal: new AbortController().signal };
    assert.equal(await main(['run', 'scenarios/quick.yaml', '--backend', 'quantum', '--dry-run'], ctx), 2);
    assert.match(stderr.text, /^neurochaos: error: --backend: unknown backend "quantum" \(available: workers, cpu, .*auto\)/);
  });
});
