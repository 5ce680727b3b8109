import { resolveModel } from '../model/resolve-model.js';
import { loadModelFile } from '../model/load-model-file.js';
import { jobLayout, type Campaign } from './load-campaign.js';

/**
 * Wall ms per simulated replica-ms, before anything is measured: 0.1 + 2.5e-4
 * per neuron, fitted on this project's 2-core machine (cpu backend: the tiny
 * 200-neuron test model at about 0.15, the scale-0.02 microcircuit with
 * k-scale 0.1 at about 0.5). A rough prior: dense or fast-firing models run slower.
 */
export function priorWallMsPerReplicaMs(neurons: number): number {
  return 0.1 + 2.5e-4 * neurons;
}

export interface CampaignEstimate {
  jobs: number;
  distinct: number;
  neurons: number;
  /** Simulated replica-seconds of every job (the experiment at its longest, its reference run, the task run). */
  simulatedReplicaSeconds: number;
  /** Rough wall seconds on `concurrency` processes. */
  wallSeconds: number;
}

/** What a campaign will simulate and roughly how long it takes; `pending` counts the jobs without a stored result. */
export function estimateCampaign(c: Campaign, pending: number, concurrency: number): CampaignEstimate {
  const s = c.spec;
  const spec = c.modelFile ? loadModelFile(c.modelFile, 'model') : resolveModel({ model: s.model.name, scale: s.model.scale, kScale: s.model.kScale, background: s.model.background });
  const neurons = spec.populations.reduce((n, p) => n + p.size, 0);
  const e = s.experiment;
  const experimentMs = e.warmupMs + e.baselineMs + e.observationMs + e.recoveryTimeoutMs;
  const spikes = s.measures.includes('rate-deviation') || s.measures.includes('van-rossum');
  // Reference runs are shared by the jobs that differ only in their fault; counted in full here (an upper bound).
  const roundMs = 60;
  const taskMs = s.measures.includes('task-accuracy') ? s.task.warmupMs + (s.task.trainRounds + 2 * s.task.testRounds) * roundMs : 0;
  // Per job, from its layout: the treated backend (and a separate control run), the reference run (as many replicas as the treated), the task run (one replica a trial).
  const perJobMs = (j: Campaign['jobs'][number]) => {
    const l = jobLayout(j.job.scenario);
    return (l.batch + (l.controlBatch ?? 0) + (spikes ? l.batch : 0)) * experimentMs + l.trials * taskMs;
  };
  const meanJobMs = c.jobs.length ? c.jobs.reduce((a, j) => a + perJobMs(j), 0) / c.jobs.length : 0;
  const simulated = (pending * meanJobMs) / 1000;
  const distinct = new Set(c.jobs.map((j) => j.hash)).size;
  return { jobs: c.jobs.length, distinct, neurons, simulatedReplicaSeconds: simulated, wallSeconds: (simulated * priorWallMsPerReplicaMs(neurons)) / Math.max(1, Math.min(concurrency, pending || 1)) };
}
