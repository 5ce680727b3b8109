import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/engine/scenario-json-schema.js';

// npm run schema: regenerates scenarios/scenario.schema.json from the zod schemas.
const file = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
