import { InputError } from '../util/errors.js';
import { cubaSpec } from './cuba.js';
import { loadModelFile } from './load-model-file.js';
import { microcircuitSpec } from './microcircuit.js';
import type { NetworkSpec } from './spec.js';

export const BUILTIN_MODELS = ['microcircuit', 'cuba'] as const;

export interface ModelChoice {
  /** `microcircuit`, `cuba`, a path to a YAML/JSON model, or a spec object. */
  model?: string | NetworkSpec;
  /** Neuron-count scale of a built-in model. @defaultValue 0.1 (microcircuit), 1 (cuba) */
  scale?: number;
  /** In-degree scale (microcircuit only). @defaultValue 1 */
  kScale?: number;
  /** Microcircuit background input. @defaultValue 'poisson' */
  background?: 'poisson' | 'dc';
}

/** Turns a model choice into a validated spec. Options that do not apply to the chosen model are refused, not ignored. */
export function resolveModel(choice: ModelChoice): NetworkSpec {
  const model = choice.model ?? 'microcircuit';
  if (typeof model !== 'string') {
    if (choice.scale !== undefined || choice.kScale !== undefined) throw new InputError('scale', 'scale and kScale apply to built-in models only');
    return model;
  }
  if (model === 'microcircuit') {
    return microcircuitSpec({ scale: choice.scale, kScale: choice.kScale, background: choice.background });
  }
  if (choice.background !== undefined) throw new InputError('background', 'applies to the microcircuit only');
  if (choice.kScale !== undefined) throw new InputError('kScale', 'applies to the microcircuit only');
  if (model === 'cuba') {
    const scale = choice.scale ?? 1;
    if (!(Number.isFinite(scale) && scale >= 0.01 && scale <= 100)) throw new InputError('scale', `must be a number in [0.01, 100] for cuba (got ${scale})`);
    return cubaSpec({ scale });
  }
  if (choice.scale !== undefined) throw new InputError('scale', 'applies to built-in models only');
  return loadModelFile(model, 'model');
}
