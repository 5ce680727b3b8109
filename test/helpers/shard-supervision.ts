import type { SimulationBackend } from '../../src/backends/backend.js';
import { capabilityOf, type ShardSupervision } from '../../src/backends/capabilities.js';

/** The shard-supervision capability of a backend that must have it (the workers backend): the hooks tests fail shards through. */
export function supervision(backend: SimulationBackend): ShardSupervision {
  const s = capabilityOf(backend, 'shard-supervision');
  if (!s) throw new Error(`${backend.name} has no shard supervision`);
  return s;
}
