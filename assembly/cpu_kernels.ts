// Entry of kernels/wasm/cpu_kernels.wasm (npm run build:wasm): the CPU kernels
// that the `cpu` backend runs as WebAssembly (kernels/wasm/cpu_wasm.ts loads it).
export { lifPlain, lifPoisson, lifGuarded, lifGuardedPoisson, stoppedAt } from './lif_step';
export { deliverSpikes } from './deliver_spikes';
export { poissonDrive } from './poisson_drive';
