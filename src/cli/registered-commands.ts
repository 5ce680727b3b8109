import type { AnyCommand } from './command-table.js';
import { RUN_COMMAND } from './run-command.js';
import { SIMULATE_COMMAND } from './simulate-command.js';
import { LIST_COMMAND, REPORT_COMMAND, VALIDATE_COMMAND } from './scenario-commands.js';
import { RECORDING_COMMAND } from './recording-command.js';
import { CAMPAIGN_COMMAND } from './campaign-command.js';
import { WORKER_COMMAND } from './worker-command.js';
import { EXPORT_COMMAND } from './export-command.js';

/**
 * Every CLI command, one line each, in the order `neurochaos --help` and
 * docs/cli.md list them. A new command is its `defineCommand` in its own
 * file plus one line here: dispatch, `--help`, the command list and the
 * reference follow from the table.
 */
export const COMMANDS: readonly AnyCommand[] = [
  RUN_COMMAND,
  SIMULATE_COMMAND,
  LIST_COMMAND,
  VALIDATE_COMMAND,
  REPORT_COMMAND,
  RECORDING_COMMAND,
  CAMPAIGN_COMMAND,
  WORKER_COMMAND,
  EXPORT_COMMAND,
];
