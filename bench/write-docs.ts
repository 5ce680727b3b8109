import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_PAGES } from '../src/docs/generated-pages.js';

// npm run docs: regenerates the generated documentation (docs/cli.md, the
// field reference in docs/scenarios.md) from the code. An argument names
// another folder to write into (its pages start from the committed ones).
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const dir = process.argv[2] ?? docs;
for (const page of GENERATED_PAGES) {
  const committed = existsSync(join(docs, page.file)) ? readFileSync(join(docs, page.file), 'utf8') : '';
  writeFileSync(join(dir, page.file), page.render(committed));
  process.stdout.write(`wrote ${join(dir, page.file)}\n`);
}
