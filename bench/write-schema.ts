import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/engine/scenario-json-schema.js';

// npm run schema: regenerates scenarios/scenario.schema.json from the zod schemas.
// An argument writes elsewhere (the tests compare that with the committed file).
const file = process.argv[2] ?? fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
