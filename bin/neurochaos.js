#!/usr/bin/env node
// Entry point: the process wiring (streams, signals, exit code) lives in src/cli/process-main.ts.
// Until it is loaded (a few hundred ms), Ctrl-C or SIGTERM ends the process with 130 as the CLI's own
// handler would: nothing has started yet, so there is nothing to roll back.
const early = () => process.exit(130);
process.on('SIGINT', early);
process.on('SIGTERM', early);
const { runProcess } = await import('../dist/src/cli/process-main.js');
// runProcess installs its own handlers before its first await; only then do these go. Node drops a
// signal still pending when a signal's last listener is removed, so there must always be one.
const exitCode = runProcess(process.argv.slice(2));
process.off('SIGINT', early);
process.off('SIGTERM', early);
process.exitCode = await exitCode;
