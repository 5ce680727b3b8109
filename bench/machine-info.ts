import { cpus, loadavg, totalmem, platform, release } from 'node:os';

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
  };
}
