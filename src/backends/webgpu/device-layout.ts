import { ctlWords, MAX_DEVICE_NEURONS, WORKGROUP_SIZE } from '../../../kernels/webgpu/layout.js';
import { FAULT_PARAM_STRIDE } from '../../../kernels/cpu/neuron_fault.js';
import type { Network } from '../../model/network.js';
import { unsupported } from '../../util/errors.js';

/** Device limits the layout respects (GPUSupportedLimits' names). */
export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  maxComputeWorkgroupsPerDimension: number;
}

/**
 * How one simulation sits on the device: sizes in 32-bit words, and how the
 * buffers that can outgrow one binding (rings, synapses) are split into
 * parts that respect maxStorageBufferBindingSize.
 */
export interface DeviceLayout {
  batch: number;
  n: number;
  slots: number;
  /** batch x neurons. */
  bn: number;
  /** Ring parts (split by replica) and replicas per part. */
  ringParts: number;
  replicasPerPart: number;
  /** Synapse parts (split by index) and synapses per part. */
  synParts: number;
  synPerPart: number;
  /** Spike list capacity per submission (entries). */
  spikeCap: number;
  maxChunkSteps: number;
  ctlWords: number;
  /** Neuron kernel dispatch: workgroups in x and y (x at most the adapter's per-dimension limit). */
  lifGroups: [number, number];
  /** Delivery workgroups (a grid-stride loop over the step's spikes). */
  deliverGroups: number;
  /** Bytes of the whole layout on the device (state, rings, faults, connectivity, spike list, staging). */
  deviceBytes: number;
  stateBytes: number;
  connectivityBytes: number;
}

/** Smaller bindings than the adapter's for the split buffers (tests exercise the split path on any adapter). */
export interface LayoutSplit {
  ringBindingBytes?: number;
  synapseBindingBytes?: number;
}

/** Longest chunk in one submission (steps). */
export const MAX_CHUNK_STEPS = 1000;

/**
 * Plans the layout; an UnsupportedError (naming the limit) when the
 * simulation cannot fit the adapter even split, or has more neurons than
 * targets can address.
 */
export function planLayout(network: Network, batch: number, slots: number, limits: DeviceLimits, maxChunkSteps = MAX_CHUNK_STEPS, split: LayoutSplit = {}): DeviceLayout {
  const n = network.neuronCount;
  const bn = batch * n;
  if (n > MAX_DEVICE_NEURONS) throw unsupported('webgpu', 'network size', `targets are packed with their delay in 32 bits: at most ${MAX_DEVICE_NEURONS} neurons (got ${n})`, 'network');
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  // Rings: 4 words (exc lo/hi, inh lo/hi) per (slot, replica, neuron); split by replica.
  const ringBinding = Math.min(binding, split.ringBindingBytes ?? binding);
  const synBinding = Math.min(binding, split.synapseBindingBytes ?? binding);
  const ringBytesPerReplica = slots * n * 16;
  if (ringBytesPerReplica > ringBinding) throw unsupported('webgpu', 'network size', `one replica's delay rings take ${ringBytesPerReplica} bytes, above the adapter's largest storage binding (${binding} bytes)`, 'network');
  const replicasPerPart = Math.max(1, Math.min(batch, Math.floor(ringBinding / ringBytesPerReplica)));
  const ringParts = Math.ceil(batch / replicasPerPart);
  const synapses = network.synapseCount;
  const synPerPart = Math.max(1, Math.min(Math.max(synapses, 1), Math.floor(synBinding / 4)));
  const synParts = Math.max(1, Math.ceil(synapses / synPerPart));
  // The delivery kernel binds 4 buffers besides the split ones.
  const bindings = 4 + 2 * synParts + ringParts;
  if (bindings > limits.maxStorageBuffersPerShaderStage) {
    throw unsupported('webgpu', 'network size', `split to fit ${binding}-byte bindings it needs ${bindings} storage buffers in one kernel, above the adapter's ${limits.maxStorageBuffersPerShaderStage}`, 'network');
  }
  for (const [what, bytes] of [['neuron state', 16 * bn], ['fault table', 4 * bn * (1 + FAULT_PARAM_STRIDE)]] as const) {
    if (bytes > binding) throw unsupported('webgpu', 'batch', `the ${what} of ${batch} replicas takes ${bytes} bytes, above the adapter's largest storage binding (${binding} bytes): use a smaller batch`, 'batch');
  }
  // Room for 16 steps in which every neuron fires (a chunk goes on while a whole step still fits).
  const spikeCap = Math.max(bn + 1, Math.min(bn * 16, Math.floor(binding / 4), 1 << 24));
  const maxX = limits.maxComputeWorkgroupsPerDimension;
  const groups = Math.ceil(bn / WORKGROUP_SIZE);
  const x = Math.min(groups, maxX);
  const lifGroups: [number, number] = [x, Math.ceil(groups / x)];
  const deliverGroups = Math.max(1, Math.min(maxX, 4096, groups));
  const ctl = ctlWords(maxChunkSteps);
  const stateBytes = 16 * bn + slots * bn * 16 + 4 * bn * (1 + FAULT_PARAM_STRIDE) + 4 * batch * network.populations.length;
  const connectivityBytes = 8 * synapses + 4 * (n + 1);
  const deviceBytes = stateBytes + connectivityBytes + 2 * 4 * spikeCap + 2 * 4 * ctl + 4 * n + stateBytes;
  return { batch, n, slots, bn, ringParts, replicasPerPart, synParts, synPerPart, spikeCap, maxChunkSteps, ctlWords: ctl, lifGroups, deliverGroups, deviceBytes, stateBytes, connectivityBytes };
}
