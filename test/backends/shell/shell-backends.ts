import type { SimulationBackend, SimulationOptions } from '../../../src/backends/backend.js';
import type { Network } from '../../../src/model/network.js';
import { CONFORMANCE_BACKENDS } from '../../conformance/backends.js';

/** One backend the shell contracts run over. */
export interface ShellBackendEntry {
  /** The suite variant's label, e.g. `workers (2 workers)`. */
  name: string;
  /** Why it cannot run here (pass as the test's `skip`, so the suite reports it as skipped with the reason); absent: it runs. */
  skip?: string;
  /** Makes one (only call when `skip` is absent). */
  create(network: Network, options?: SimulationOptions): Promise<SimulationBackend>;
}

/**
 * Every registered backend in each of its suite variants, read from the
 * backend registry through the conformance suite's list
 * (test/conformance/backends.ts): a new backend needs no line here. Those
 * that cannot run here (a tfjs flavour not installed) carry the reason.
 */
export const SHELL_BACKENDS: ShellBackendEntry[] = await Promise.all(
  CONFORMANCE_BACKENDS.map(async (entry): Promise<ShellBackendEntry> => {
    const here = await entry.availability();
    return {
      name: entry.name,
      ...(here.available ? {} : { skip: `${entry.backend} cannot run here: ${here.reason}` }),
      async create(network, options = {}) {
        const made = await entry.create(network, options);
        if (typeof made === 'string') throw new Error(made);
        return made;
      },
    };
  }),
);
