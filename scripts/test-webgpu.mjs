#!/usr/bin/env node
/**
 * The webgpu backend's tests on a real WebGPU implementation: Node's test
 * runner cannot load Dawn on this machine kind (glibc 2.36), so the shared
 * contract suites (conformance, chaos, shell: they iterate the backend
 * registry) and test/backends/webgpu run under Deno (the `deno` dev
 * dependency), whose navigator.gpu runs on any Vulkan device: a GPU, or
 * Mesa's lavapipe on the CPU (apt-get install mesa-vulkan-drivers). Deno
 * provides node:test, so the compiled tests in dist/ run unchanged;
 * NEUROCHAOS_SUITE_BACKENDS=webgpu narrows the shared suites to this backend
 * (the others ran under Node).
 *
 * No adapter: the tests are skipped with the reason, or fail when
 * NEUROCHAOS_REQUIRE_WEBGPU=1 (CI). Run after `npm run build`; `npm test`
 * runs it after the Node suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.NEUROCHAOS_REQUIRE_WEBGPU === '1';
const deno = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.cmd' : 'deno');

/** The suites: the shared contracts (without the gpujs-only SIGINT test, which spawns Node) and the webgpu tests. */
const FILES = [
  'dist/test/conformance/conformance.test.js',
  'dist/test/conformance/chaos-contract.test.js',
  'dist/test/backends/shell/abort.test.js',
  'dist/test/backends/shell/dispose-contract.test.js',
  'dist/test/backends/shell/noise-streams.test.js',
  'dist/test/backends/shell/restore-contract.test.js',
  'dist/test/monitors/monitors-contract.test.js',
  'dist/test/backends/webgpu/',
];

function skip(reason) {
  if (required) {
    console.error(`test-webgpu: FAILED: ${reason} (NEUROCHAOS_REQUIRE_WEBGPU=1: the webgpu tests must run)`);
    process.exit(1);
  }
  console.log(`test-webgpu: skipped: ${reason}`);
  process.exit(0);
}

if (!existsSync(deno)) skip('deno is not installed (npm install: it is a dev dependency)');
// Deno's WebGPU warns on every start without it; any writable folder will do.
const env = { ...process.env, NEUROCHAOS_SUITE_BACKENDS: 'webgpu', XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'neurochaos-xdg-')), NO_COLOR: '1' };

const PROBE = `const a = await navigator.gpu?.requestAdapter();
if (!a) { console.log(JSON.stringify({ ok: false })); Deno.exit(0); }
const i = a.info;
console.log(JSON.stringify({ ok: true, vendor: i.vendor, architecture: i.architecture, description: i.description, fallback: i.isFallbackAdapter ?? false }));`;
const probe = spawnSync(deno, ['eval', PROBE], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
let found = null;
try {
  found = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '');
} catch {
  skip(`Deno could not probe for a WebGPU adapter (exit ${probe.status}): ${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}`);
}
if (!found?.ok) skip('Deno found no WebGPU adapter (no GPU and no software Vulkan: apt-get install mesa-vulkan-drivers)');
console.log(`test-webgpu: adapter ${found.vendor} ${found.architecture} ${found.description}${found.fallback ? ' (fallback/software)' : ''}`);

const t0 = Date.now();
const run = spawnSync(deno, ['test', '-A', '--no-check', ...FILES], { cwd: root, env, stdio: 'inherit' });
console.log(`test-webgpu: deno test exited ${run.status} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
// tfjs on the same device (the tfjs-webgpu flavour): the conformance suite and the flavour's own tests. The chaos and
// shell contracts pass on it too (docs/gpu-backends-tfjs.md has the command); left out here for CI time (~1 min on lavapipe).
const TFJS_FILES = ['dist/test/conformance/conformance.test.js', 'dist/test/backends/tfjs/tfjs-webgpu.test.js'];
const t1 = Date.now();
const tfjs = spawnSync(deno, ['test', '-A', '--no-check', ...TFJS_FILES], { cwd: root, env: { ...env, NEUROCHAOS_SUITE_BACKENDS: 'tfjs-webgpu' }, stdio: 'inherit' });
console.log(`test-webgpu: deno test (tfjs-webgpu) exited ${tfjs.status} after ${((Date.now() - t1) / 1000).toFixed(1)} s`);
process.exit(run.status !== 0 ? (run.status ?? 1) : (tfjs.status ?? 1));
