export { ColumnTask, scoreOf, type TrainOptions, type TaskScore, type FaultImpact, type FaultImpactOptions } from './task-accuracy.js';
export { LinearReadout, chanceLevel, type ReadoutOptions } from './linear-readout.js';
export { collectSamples, firstRounds, type TaskSamples, type CollectOptions } from './collect-samples.js';
export { resolveTaskOptions, TASK_DEFAULTS, type TaskOptions, type ResolvedTask } from './task-options.js';
