import fc from 'fast-check';

export interface CheckOptions {
  /** @defaultValue 100 */
  numRuns?: number;
  /** Pin it to replay a run; absent: fast-check draws one (printed in the report either way). */
  seed?: number;
  /** The counterexample path of a failure, with its seed: replays exactly that case. */
  path?: string;
  /** Name of the property, used in the replay line. */
  name?: string;
  /** How a person replays a failure, given seed and path (e.g. an npm script). */
  replayCommand?: (seed: number, path: string) => string;
}

export interface CheckOutcome {
  failed: boolean;
  seed: number;
  numRuns: number;
  /** Counterexample path of the failure (null when it passed). */
  path: string | null;
  /** The whole report: fast-check's (seed, path, shrunk counterexample, error) and how to replay. */
  report: string;
}

/**
 * Checks an asynchronous property with a seed that is always reported, and
 * on failure returns a report with the seed, the path, the shrunk
 * counterexample (for model-based properties, the command list) and the
 * command that replays it.
 */
export async function checkProperty<Ts>(property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, o: CheckOptions = {}): Promise<CheckOutcome> {
  const seed = o.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns: o.numRuns ?? 100, seed, path: o.path, endOnFailure: false, includeErrorInReport: true });
  if (!details.failed) return { failed: false, seed, numRuns: details.numRuns, path: null, report: `${o.name ?? 'property'}: ${details.numRuns} runs passed (seed ${seed})` };
  const path = details.counterexamplePath ?? '';
  const replay = o.replayCommand ? o.replayCommand(seed, path) : `fc.assert(property, { seed: ${seed}, path: ${JSON.stringify(path)} })`;
  const report = `${o.name ?? 'property'} failed (seed ${seed}, path ${JSON.stringify(path)})\n${fc.defaultReportMessage(details) ?? ''}\nreplay: ${replay}`;
  return { failed: true, seed, numRuns: details.numRuns, path, report };
}

/** checkProperty that throws the report on failure. */
export async function assertProperty<Ts>(property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, o: CheckOptions = {}): Promise<CheckOutcome> {
  const out = await checkProperty(property, o);
  if (out.failed) throw new Error(out.report);
  return out;
}
