import { readFileSync } from 'node:fs';
import { CPU_WASM_URL, cpuWasmModule } from '../../../kernels/wasm/cpu_wasm.js';

/** wasm32's limit in 64 KiB pages. */
export const MAX_WASM_PAGES = 65536;

const IMPORT_SECTION = 2;
const KIND_FUNCTION = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;
/** Limits flags: a maximum follows the minimum; the memory is shared (WebAssembly threads). */
const HAS_MAX = 0x01;
const SHARED = 0x02;

function readLeb(b: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = b[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Skips the limits (flags, min, optional max) at `at`, returning [flags, min, next]. */
function readLimits(b: Uint8Array, at: number): [flags: number, min: number, next: number] {
  const flags = b[at];
  const [min, afterMin] = readLeb(b, at + 1);
  const next = flags & HAS_MAX ? readLeb(b, afterMin)[1] : afterMin;
  return [flags, min, next];
}

/**
 * The same module with its imported memory declared shared (limits flags
 * 0x03, maximum `maxPages`), every other byte as it was: what
 * AssemblyScript's --sharedMemory would emit for the memory import. A shared
 * WebAssembly.Memory (whose buffer is a SharedArrayBuffer, mapped by every
 * worker) can only be imported where the import says shared. The kernels use
 * no atomics: each thread touches only the neurons of the task it runs, and
 * the tasks are ordered by the chains' atomics (barrier.ts).
 * @throws Error when the binary has no memory import
 */
export function withSharedMemoryImport(bytes: Uint8Array, maxPages = MAX_WASM_PAGES): Uint8Array<ArrayBuffer> {
  const out: number[] = Array.from(bytes.subarray(0, 8));
  let at = 8;
  let patched = false;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    const end = body + size;
    if (id !== IMPORT_SECTION) {
      out.push(...bytes.subarray(at, end));
      at = end;
      continue;
    }
    const content: number[] = [];
    let p = body;
    const [count, afterCount] = readLeb(bytes, p);
    content.push(...leb(count));
    p = afterCount;
    for (let i = 0; i < count; i++) {
      const start = p;
      for (let name = 0; name < 2; name++) {
        const [len, s] = readLeb(bytes, p);
        p = s + len;
      }
      const kind = bytes[p++];
      content.push(...bytes.subarray(start, p));
      if (kind === KIND_MEMORY) {
        const [, min, next] = readLimits(bytes, p);
        content.push(HAS_MAX | SHARED, ...leb(min), ...leb(maxPages));
        p = next;
        patched = true;
        continue;
      }
      const from = p;
      if (kind === KIND_FUNCTION) p = readLeb(bytes, p)[1];
      else if (kind === KIND_TABLE) p = readLimits(bytes, p + 1)[2];
      else if (kind === KIND_GLOBAL) p += 2;
      else throw new Error(`wasm import of kind ${kind} not understood`);
      content.push(...bytes.subarray(from, p));
    }
    out.push(IMPORT_SECTION, ...leb(content.length), ...content);
    at = end;
  }
  if (!patched) throw new Error('the wasm module imports no memory');
  return Uint8Array.from(out);
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * kernels/wasm/cpu_kernels.wasm with a shared memory import, compiled once
 * per thread; null wherever the single-thread module is (no wasm SIMD, the
 * binary missing, NEUROCHAOS_WASM=0) or the engine refuses shared memories.
 */
export function sharedCpuModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (cpuWasmModule() === null) return compiled;
  try {
    compiled = new WebAssembly.Module(withSharedMemoryImport(readFileSync(CPU_WASM_URL)));
  } catch {
    compiled = null;
  }
  return compiled;
}
