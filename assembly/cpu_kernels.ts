// Entry of kernels/wasm/cpu_kernels.wasm (npm run build:wasm): the CPU kernels
// that the `cpu` backend runs as WebAssembly (kernels/wasm/cpu_wasm.ts loads
// them; src/backends/cpu/wasm-kernels.ts runs them).
export { lifPlain, lifGuarded, lifGuardedInputs, stateBounded, inputsWithin, stoppedAt } from './lif_step';
export { lifPlainF32, lifGuardedF32, lifGuardedInputsF32 } from './lif_step_f32';
export { poissonDrive } from './poisson_drive';
export { deliverSpikes } from './deliver_spikes';
export { deliverSlices } from './deliver_slices';
