import fc from 'fast-check';

export interface CheckOptions {
  /** @defaultValue 100 */
  numRuns?: number;
  /** Pin it to replay a run; absent: fast-check draws one (printed in the report either way). */
  seed?: number;
  /** The counterexample path of a failure, with its seed: replays exactly that case. */
  path?: string;
  /**
   * Model-based properties only: the replay path of the command sequence
   * (fast-check prints it in the counterexample as `/*replayPath="..."*\/`).
   * The property must hand it to its `fc.commands(arbs, { replayPath })`:
   * without it, a path into the shrunk commands cannot be walked again.
   */
  replayPath?: string;
  /** Name of the property, used in the replay line. */
  name?: string;
  /** How a person replays a failure, given seed, path and (model-based properties) the commands' replay path (e.g. an npm script). */
  replayCommand?: (seed: number, path: string, replayPath?: string) => string;
}

export interface CheckOutcome {
  failed: boolean;
  seed: number;
  numRuns: number;
  /** Counterexample path of the failure (null when it passed). */
  path: string | null;
  /** The commands' replay path of a model-based failure (null when it passed or the property has no commands). */
  replayPath: string | null;
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
  const name = o.name ?? 'property';
  const failure = (report: string): CheckOutcome => ({ failed: true, seed, numRuns: 0, path: o.path ?? null, replayPath: o.replayPath ?? null, report });
  let details;
  try {
    details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns: o.numRuns ?? 100, seed, path: o.path, endOnFailure: false, includeErrorInReport: true });
  } catch (e) {
    // fast-check throws when a path leads nowhere ("Unable to replay, got wrong path"): a replay that cannot run is a failure.
    return failure(`${name} could not replay (seed ${seed}, path ${JSON.stringify(o.path ?? '')}${o.replayPath ? `, replay path ${JSON.stringify(o.replayPath)}` : ''}): ${e instanceof Error ? e.message : String(e)}\nCheck the property name, seed, path and replay path against the failure's replay line.`);
  }
  if (!details.failed) {
    // A replay that ran no case proved nothing: report it as a failure rather than a pass.
    if (o.path !== undefined && details.numRuns === 0) return failure(`${name}: the replay ran 0 cases (seed ${seed}, path ${JSON.stringify(o.path)}): the path does not lead to a case of this property with this seed`);
    return { failed: false, seed, numRuns: details.numRuns, path: null, replayPath: null, report: `${name}: ${details.numRuns} runs passed (seed ${seed}${o.path !== undefined ? `, replaying path ${JSON.stringify(o.path)}` : ''})` };
  }
  const path = details.counterexamplePath ?? '';
  const message = fc.defaultReportMessage(details) ?? '';
  const replayPath = /\/\*replayPath="([^"]*)"\*\//.exec(message)?.[1] ?? null;
  const replay = o.replayCommand ? o.replayCommand(seed, path, replayPath ?? undefined) : `fc.assert(property, { seed: ${seed}, path: ${JSON.stringify(path)} })${replayPath ? ` with fc.commands(arbs, { replayPath: ${JSON.stringify(replayPath)} })` : ''}`;
  const report = `${name} failed (seed ${seed}, path ${JSON.stringify(path)})\n${message}\nreplay: ${replay}`;
  return { failed: true, seed, numRuns: details.numRuns, path, replayPath, report };
}

/** checkProperty that throws the report on failure. */
export async function assertProperty<Ts>(property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, o: CheckOptions = {}): Promise<CheckOutcome> {
  const out = await checkProperty(property, o);
  if (out.failed) throw new Error(out.report);
  return out;
}
