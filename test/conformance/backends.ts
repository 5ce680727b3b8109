import type { TestContext } from 'node:test';
import type { SimulationBackend, SimulationOptions } from '../../src/backends/backend.js';
import { BACKENDS, createBackend, prepareBackend } from '../../src/backends/create-backend.js';
import { suiteVariantsOf, variantExactness, type Availability, type ExactnessClass } from '../../src/backends/registry.js';
import type { Network } from '../../src/model/network.js';
import { UnsupportedError } from '../../src/util/errors.js';

/**
 * Every backend the conformance suite runs: each registered backend
 * (src/backends/registered-backends.ts) in each of its suite variants
 * (workers with 1 and 2 threads; gpujs in NEUROCHAOS_GPUJS_MODE, default
 * cpu). A name that picks among others (tfjs: the best flavour) is left out:
 * what it picks runs under its own name. `create` returns a backend, or a
 * string: why this backend cannot run here (the suite reports it as skipped
 * with that reason). A new backend needs no line here.
 */
export interface ConformanceEntry {
  /** The variant's label, e.g. `workers (2 workers)`. */
  name: string;
  /** The registered backend name. */
  backend: string;
  /** How far its float arithmetic is from the reference's (the tolerance the suite applies). */
  exactness: ExactnessClass;
  /** Whether the registered backend can run here, and why (not). */
  availability(): Promise<Availability>;
  create(network: Network, options: SimulationOptions): Promise<SimulationBackend | string>;
}

/** NEUROCHAOS_SUITE_BACKENDS (comma-separated names): run only these (the webgpu suites under Deno, scripts/test-webgpu.mjs). */
const only = process.env.NEUROCHAOS_SUITE_BACKENDS?.split(',').filter((x) => x !== '');

export const CONFORMANCE_BACKENDS: ConformanceEntry[] = BACKENDS.list()
  .filter((d) => !d.picksAmong && (only === undefined || only.includes(d.name)))
  .flatMap((d) =>
    suiteVariantsOf(d).map((v) => ({
      name: v.label,
      backend: d.name,
      exactness: variantExactness(d, v),
      availability: () => d.isAvailable(),
      async create(network: Network, options: SimulationOptions): Promise<SimulationBackend | string> {
        const here = await d.isAvailable();
        if (!here.available) return `${d.name} cannot run here: ${here.reason}`;
        const choice = await prepareBackend({ ...v.choice, ...options, backend: d.name });
        return createBackend(network, choice).backend;
      },
    })),
  );

/**
 * Runs `body`; an UnsupportedError (the backend lacks what the test needs)
 * becomes a skip with its message as the reason, anything else fails.
 * Returns whether the body ran to the end.
 */
export async function skipIfUnsupported(t: TestContext, body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (e) {
    if (!(e instanceof UnsupportedError)) throw e;
    t.skip(e.message);
    return false;
  }
}

/**
 * The entry's backend for `network`, or null after marking the test skipped
 * with the reason (it cannot run here, or its creation threw an UnsupportedError).
 */
export async function backendOrSkip(t: TestContext, entry: ConformanceEntry, network: Network, options: SimulationOptions): Promise<SimulationBackend | null> {
  let made: SimulationBackend | string = '';
  if (!(await skipIfUnsupported(t, async () => void (made = await entry.create(network, options))))) return null;
  if (typeof made === 'string') {
    t.skip(made);
    return null;
  }
  return made;
}
