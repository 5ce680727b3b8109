// Public API of neurochaos.
export type { NetworkSpec, PopulationSpec, ProjectionSpec, NeuronParams, Drive, ConnectionRule, Distribution, InitialPotential } from './model/spec.js';
export type { Network, PopulationInfo, Synapses } from './model/network.js';
export { buildNetwork, type BuildOptions } from './model/builder.js';
export { microcircuitSpec, type MicrocircuitOptions, MICROCIRCUIT_REFERENCE_RATES_HZ } from './model/microcircuit.js';
export { cubaSpec } from './model/cuba.js';
export { validateNetworkSpec } from './model/spec-schema.js';
export { loadModelFile } from './model/load-model-file.js';
export { resolveModel } from './model/resolve-model.js';
export type { SimulationBackend, SimulationOptions, RunOptions, StateBufferName, BackendMetrics } from './backends/backend.js';
export { ReferenceBackend } from './backends/reference-backend.js';
export { WorkersBackend, type WorkersOptions, type WorkersEvents } from './backends/workers/workers-backend.js';
export { writeCheckpointFile, readCheckpointFile } from './backends/checkpoint-file.js';
export type { SimulationCheckpoint } from './backends/checkpoint.js';
export { createBackend } from './backends/create-backend.js';
export { SpikeRecorder } from './record/spike-recorder.js';
export { simulate, type SimulateOptions, type SimulateResult } from './simulate.js';
export { InputError } from './util/errors.js';
