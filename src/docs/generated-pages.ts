import { cliReferenceMarkdown } from '../cli/cli-reference.js';
import { COMMANDS } from '../cli/registered-commands.js';
import { scenarioReferenceMarkdown } from './scenario-reference.js';

/**
 * The documentation that is generated, so that it cannot drift from the code:
 * whole pages (docs/cli.md, from the CLI's command table) and marked regions
 * of hand-written pages (the field reference in docs/scenarios.md, from the
 * scenario JSON Schema and the fault-kind registry). `npm run docs` writes
 * them; test/docs/generated-docs.test.ts fails when a committed file differs.
 */
export interface GeneratedPage {
  /** Path under docs/. */
  file: string;
  /** The page as it must be, given its committed text (regions are replaced inside it). */
  render(committed: string): string;
}

const BEGIN = (name: string) => `<!-- generated: ${name} (npm run docs); do not edit by hand -->`;
const END = (name: string) => `<!-- end of generated: ${name} -->`;

/** `committed` with the text between the markers of region `name` replaced by `body`; throws when the markers are missing. */
export function replaceRegion(committed: string, name: string, body: string, file: string): string {
  const begin = committed.indexOf(BEGIN(name));
  const end = committed.indexOf(END(name));
  if (begin < 0 || end < begin) throw new Error(`docs/${file}: markers of the generated region "${name}" are missing:\n${BEGIN(name)}\n${END(name)}`);
  return `${committed.slice(0, begin)}${BEGIN(name)}\n\n${body.trim()}\n\n${committed.slice(end)}`;
}

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  { file: 'cli.md', render: () => cliReferenceMarkdown(COMMANDS) },
  { file: 'scenarios.md', render: (committed) => replaceRegion(committed, 'scenario-fields', scenarioReferenceMarkdown(), 'scenarios.md') },
];
