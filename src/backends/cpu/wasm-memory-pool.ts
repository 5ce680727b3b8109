import type { CpuWasmExports } from '../../../kernels/wasm/cpu_wasm.js';

/** One wasm memory with the kernel instance that imports it (an instance is bound to its memory for life). */
export interface PooledMemory {
  readonly memory: WebAssembly.Memory;
  readonly exports: CpuWasmExports;
  /** Its size in 64 KiB wasm pages (initial = maximum: these memories never grow). */
  readonly pages: number;
}

/** Bytes of idle memories the process-wide pool keeps at most; a larger memory is never kept. */
export const WASM_POOL_MAX_KEPT_BYTES = 64 * 2 ** 20;

const PAGE_BYTES = 65536;

/**
 * The wasm memories of disposed `cpu` backends, kept with their kernel
 * instances for the next backend that needs the same number of pages.
 *
 * Why: a campaign job builds two or three small backends (the treated run,
 * its unfaulted twin, the reference run), each with a fresh memory of a few
 * MiB (6.75 MiB at microcircuit scale 0.02). V8 counts such memories as
 * external memory and starts a full garbage collection for about every 64
 * MiB of it, whether or not the JavaScript heap needs one: on a pool process
 * that was most of V8's background marking and about a third of its
 * background CPU, which a second pool process on a 2-core machine pays out of
 * the other core (docs/campaigns.md, "What bounds 2 processes on 2 cores").
 *
 * Safety: give() detaches the memory's old buffer (`memory.grow(0)`, which
 * the WebAssembly JS API defines to replace a non-shared memory's buffer),
 * so a view a disposed backend handed out (buffer(), synapses()) reads as
 * empty instead of as the next backend's state; take() zeroes the memory, so
 * a backend never sees another's data and starts as on a fresh memory.
 * Shared memories (the workers backend) cannot be detached and are not pooled.
 */
export class WasmMemoryPool {
  private readonly idle: PooledMemory[] = [];
  private keptBytes = 0;

  /** @param maxKeptBytes idle bytes kept at most (>= 0; 0 keeps nothing) */
  constructor(readonly maxKeptBytes: number = WASM_POOL_MAX_KEPT_BYTES) {}

  /** An idle memory of exactly `pages` pages, zeroed, with its instance; null when none is kept. */
  take(pages: number): PooledMemory | null {
    const at = this.idle.findIndex((m) => m.pages === pages);
    if (at < 0) return null;
    const [entry] = this.idle.splice(at, 1);
    this.keptBytes -= pages * PAGE_BYTES;
    new Uint8Array(entry.memory.buffer).fill(0);
    return entry;
  }

  /** Takes back a memory whose backend is done with it: its views are detached; kept if it fits, newest first. */
  give(entry: PooledMemory): void {
    entry.memory.grow(0);
    const bytes = entry.pages * PAGE_BYTES;
    if (bytes > this.maxKeptBytes) return;
    this.idle.unshift(entry);
    this.keptBytes += bytes;
    // The oldest go first: what a process ran last is what it runs next.
    while (this.keptBytes > this.maxKeptBytes) this.keptBytes -= this.idle.pop()!.pages * PAGE_BYTES;
  }

  /** Idle memories kept now, and their bytes. */
  get kept(): { memories: number; bytes: number } {
    return { memories: this.idle.length, bytes: this.keptBytes };
  }

  /** Drops every idle memory (their pages go back when V8 collects them). */
  clear(): void {
    this.idle.length = 0;
    this.keptBytes = 0;
  }
}

/** The process's pool, which the `cpu` backend draws from and gives back to on dispose. */
export const wasmMemoryPool = new WasmMemoryPool();
