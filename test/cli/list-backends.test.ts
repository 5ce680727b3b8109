import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../../src/backends/registered-backends.js';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { SIMULATE_HELP } from '../../src/cli/main.js';

function sink() {
  const s = { text: '', isTTY: false, write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('the CLI reads the backend registry', () => {
  it('list names every registered backend, whether it runs here and why, then auto', async () => {
    const stdout = sink();
    const ctx: CliContext = { stdout, stderr: sink(), signal: new AbortController().signal };
    assert.equal(await main(['list'], ctx), 0);
    const part = stdout.text.slice(stdout.text.indexOf('Backends'));
    for (const d of BACKENDS.list()) {
      const here = await d.isAvailable();
      assert.ok(part.includes(`  ${d.name} `), d.name);
      assert.ok(part.includes(`${here.available ? 'runs here' : 'not here'}: ${here.reason}`), `${d.name}: ${here.reason}`);
    }
    assert.match(part, /\n {2}auto {2,}the first of webgpu, tfjs, workers, cpu/);
  });

  it('simulate --help lists every registered backend with its summary', () => {
    for (const d of BACKENDS.list()) assert.ok(SIMULATE_HELP.includes(`${d.name.padEnd(15)}${d.summary}`), d.name);
  });
});
