import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../engine/journal.js';
import { reportHtml } from './report-html.js';
import { summaryMarkdown } from './summary-md.js';
import { comparisonHtml, comparisonMarkdown } from './comparison.js';

/** Writes journal.json, summary.md and report.html into `dir`. Returns their paths. */
export function writeOutputs(dir: string, j: Journal): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'journal.json'), join(dir, 'summary.md'), join(dir, 'report.html')];
  writeFileSync(files[0], `${JSON.stringify(j, null, 1)}\n`);
  writeFileSync(files[1], summaryMarkdown(j));
  writeFileSync(files[2], reportHtml(j, j.scenario.neurons, j.scenario.dtMs));
  return files;
}

/** Writes comparison.md and comparison.html (defended beside raw) into `dir`. */
export function writeComparison(dir: string, defended: Journal, raw: Journal): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'comparison.md'), join(dir, 'comparison.html')];
  writeFileSync(files[0], comparisonMarkdown(defended, raw));
  writeFileSync(files[1], comparisonHtml(defended, raw));
  return files;
}
