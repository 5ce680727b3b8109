import { resolve, sep } from 'node:path';
import fc from 'fast-check';
import { DiskFault, diskFaultSchema } from '../disk-fault.js';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';

/** Whether one of two folders holds the other (a file under the inner one is under both). */
function nested(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || x.startsWith(y.endsWith(sep) ? y : y + sep);
  return inside(a, b) || inside(b, a);
}

/** Disk fault: latency, EIO or ENOSPC on the simulation's own output files (recordings, checkpoints). */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const diskFaultKind: FaultKindDescriptor<'disk-fault', typeof diskFaultSchema> = defineFaultKind({
  kind: 'disk-fault',
  schema: diskFaultSchema,
  perReplica: false,
  // The output layer knows no time: the controller stops it at its step.
  durationEndsBy: 'controller',
  actsOn: ['output-files'],
  report: { summary: 'latency, EIO errors at a rate, or a full disk (ENOSPC) on the writes and fsyncs of the simulation\'s own output files' },
  emptyScope(spec, plan) {
    const out = plan.outputs;
    if (!out) return null;
    if (out.recording === 'off') return { field: `${plan.root}.kind`, reason: 'there is no output to fault because defences.recording is off (the run writes no file); turn recording on or drop the fault' };
    if (spec.path !== undefined && out.recordDir !== undefined && !nested(resolve(spec.path), resolve(out.recordDir))) {
      return { field: `${plan.root}.path`, reason: `"${spec.path}" holds none of the run's output (its recordings go to ${out.recordDir})` };
    }
    return null;
  },
  planTargets: (spec, _id, plan) => (spec.path === undefined ? `every output file of the run${plan.outputs?.recordDir ? ` (recordings under ${plan.outputs.recordDir})` : ''}` : `the output files under ${resolve(spec.path)}`),
  inject: (ctx, spec, id) => new DiskFault(ctx, spec, id),
  fuzzable: () => null,
  arbitrary(_network, c, t) {
    const s = diskFaultSchema.shape;
    // A disk fault must do something: the fault refuses one with no latency, no errors and a disk not full.
    return t
      .spec('disk-fault', { latencyMs: t.numberFrom(s.latencyMs, c.maxWallMs ?? 20), errorRate: t.numberFrom(s.errorRate), full: fc.boolean(), durationMs: t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)) })
      .map((x) => (!x.latencyMs && !x.errorRate && !x.full ? { ...x, full: true } : x));
  },
});
