#!/usr/bin/env node
// Entry point: the process wiring (streams, signals, exit code) lives in src/cli/process-main.ts.
import { runProcess } from '../dist/src/cli/process-main.js';

process.exitCode = await runProcess(process.argv.slice(2));
