import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';

/** What the figures were measured on: kept beside every result file. */
export function machineInfo() {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    /** 1, 5 and 15 minute load averages when the bench started: this machine is shared. */
    loadAverage: loadavg(),
    date: new Date().toISOString(),
    /** One cache line's round trip between two worker threads (ns; bench/cross-core-latency.ts), null when it could not run; measured once per process: it bounds the workers' per-step synchronisation and varies with where the VM's cores sit. */
    crossCoreRoundTripNs: measureCrossCore(),
  };
}

/** The first measurement of this process: machineInfo is called for every result file, the probe runs once. */
let crossCoreNs: number | null | undefined;

/** bench/cross-core-latency.ts in a process of its own (machineInfo is synchronous); null when it fails or takes over 20 s. */
function measureCrossCore(): number | null {
  if (crossCoreNs !== undefined) return crossCoreNs;
  // Under Deno (the WebGPU bench) process.execPath is deno, which does not run a script this way.
  if (process.versions.deno !== undefined) return (crossCoreNs = null);
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('./cross-core-latency.js', import.meta.url))], { encoding: 'utf8', timeout: 20_000 });
  const ns = Number(run.stdout.trim());
  crossCoreNs = run.status === 0 && Number.isFinite(ns) && ns > 0 ? Math.round(ns) : null;
  return crossCoreNs;
}
