import type { Tensor, Tf, Variable } from '../../../kernels/tfjs/types.js';
import { FAULT_PARAM_STRIDE } from '../../../kernels/cpu/neuron_fault.js';
import type { StateBufferName } from '../backend.js';
import type { SimulationState } from '../simulation-state.js';

/** Buffers that live on the device (faultedPopulations stays on the host: it picks the kernel). */
export const DEVICE_BUFFERS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa', 'faultCode', 'faultParams'] as const;
export type DeviceBufferName = (typeof DEVICE_BUFFERS)[number];

/**
 * The simulation state as tf.Variables, updated in place every step: the
 * device buffers. Same layouts as the host state ([replica][neuron]; rings
 * [slot][replica][neuron]; faultParams [replica][neuron][6]); the fault code
 * is int32 on the device (tfjs has no uint8).
 */
export type DeviceState = Record<DeviceBufferName, Variable>;

function shapeOf(name: DeviceBufferName, host: SimulationState): number[] {
  const bn = [host.batch, host.neuronCount];
  if (name === 'ringExcPa' || name === 'ringInhPa') return [host.ringSlots, ...bn];
  if (name === 'faultParams') return [...bn, FAULT_PARAM_STRIDE];
  return bn;
}

function hostTensor(tf: Tf, name: DeviceBufferName, host: SimulationState): Tensor {
  const shape = shapeOf(name, host);
  if (name === 'refractorySteps') return tf.tensor(host.refractorySteps, shape, 'int32');
  if (name === 'faultCode') return tf.tensor(Int32Array.from(host.faultCode), shape, 'int32');
  return tf.tensor(host[name] as Float32Array, shape, 'float32');
}

export function createDeviceState(tf: Tf, host: SimulationState): DeviceState {
  const out = {} as DeviceState;
  for (const name of DEVICE_BUFFERS) {
    const t = hostTensor(tf, name, host);
    out[name] = tf.variable(t, false, undefined, t.dtype);
    t.dispose();
  }
  return out;
}

/** Writes host mirrors into the device variables (between runs, after the chaos layer touched them). */
export function uploadBuffers(tf: Tf, dev: DeviceState, host: SimulationState, names: Iterable<DeviceBufferName>): void {
  for (const name of names) {
    const t = hostTensor(tf, name, host);
    dev[name].assign(t);
    t.dispose();
  }
}

/** Reads every device variable into its host mirror (one synchronous download each). */
export function downloadBuffers(dev: DeviceState, host: SimulationState): void {
  for (const name of DEVICE_BUFFERS) (host[name] as Float32Array | Int32Array | Uint8Array).set(dev[name].dataSync() as Float32Array | Int32Array);
}

/** The same, awaited (tfjs-webgpu has no synchronous read in Deno or Node): every read is issued before the first is awaited. */
export async function downloadBuffersAsync(dev: DeviceState, host: SimulationState): Promise<void> {
  const values = await Promise.all(DEVICE_BUFFERS.map((name) => dev[name].data()));
  DEVICE_BUFFERS.forEach((name, i) => (host[name] as Float32Array | Int32Array | Uint8Array).set(values[i] as Float32Array | Int32Array));
}

export function deviceStateBytes(dev: DeviceState): number {
  let bytes = 0;
  for (const name of DEVICE_BUFFERS) bytes += dev[name].size * 4;
  return bytes;
}

export function disposeDeviceState(dev: DeviceState): void {
  for (const name of DEVICE_BUFFERS) dev[name].dispose();
}

export function isDeviceBuffer(name: StateBufferName): name is DeviceBufferName {
  return (DEVICE_BUFFERS as readonly string[]).includes(name);
}
