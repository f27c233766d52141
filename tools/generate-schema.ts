import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../config/json-schema';

/* Writes config/baseline.schema.json, which editors use for completion and inline checks of a configuration. */
const target = path.join(__dirname, '..', 'config', 'baseline.schema.json');
writeFileSync(target, configJsonSchema());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
