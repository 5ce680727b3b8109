#!/usr/bin/env node
// Entry point: wires the process (streams, signals, exit code) to the CLI.
import { main } from '../dist/src/cli/main.js';

const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal) => {
  interrupts++;
  if (interrupts > 1) {
    process.stderr.write(`\nneurochaos: second ${signal}, exiting now\n`);
    process.exit(130);
  }
  process.stderr.write(`\nneurochaos: ${signal} received, stopping cleanly (again to force)\n`);
  controller.abort();
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
process.exitCode = code;
