import { resolve, dirname } from 'node:path';
import type { Journal } from '../engine/journal.js';
import { resolveModel } from '../model/resolve-model.js';

/** Neurons [from, to) of one population, in the network's numbering (populations are laid out in spec order). */
export interface PopulationRange {
  name: string;
  from: number;
  to: number;
}

/**
 * The populations' neuron ranges of a journal's network, for raster labels:
 * from `scenario.populations` when the journal carries them, else from the
 * model the scenario names (a built-in model, or a model file found beside
 * the scenario file). Null when neither gives ranges that add up to
 * `scenario.neurons` (a model file that moved, a journal from elsewhere):
 * the raster is then drawn unlabelled rather than mislabelled.
 */
export function populationLayout(j: Journal): PopulationRange[] | null {
  const s = j.scenario as Journal['scenario'] & { populations?: { name: string; size: number }[] };
  const sizes = Array.isArray(s.populations) ? s.populations : fromModel(s.model, s.file);
  if (!sizes) return null;
  const out: PopulationRange[] = [];
  let at = 0;
  for (const p of sizes) {
    out.push({ name: p.name, from: at, to: at + p.size });
    at += p.size;
  }
  return at === s.neurons && out.length > 0 ? out : null;
}

function fromModel(model: unknown, scenarioFile: string | undefined): { name: string; size: number }[] | null {
  if (!model || typeof model !== 'object') return null;
  const m = model as { name?: unknown; scale?: number; kScale?: number; background?: 'poisson' | 'dc' };
  const name = typeof m.name === 'string' ? m.name : 'microcircuit';
  const builtIn = name === 'microcircuit' || name === 'cuba';
  try {
    const path = builtIn ? name : resolve(scenarioFile ? dirname(scenarioFile) : '.', name);
    return resolveModel({ model: path, scale: m.scale, kScale: m.kScale, background: m.background }).populations.map((p) => ({ name: p.name, size: p.size }));
  } catch {
    return null;
  }
}
