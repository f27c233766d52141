import * as path from 'node:path';

/*
 * The configurations `npm run validate` checks: the shipped example, one with every option turned on, and adopt mode
 * (coexistence with Control Tower: existing recorder, channel and analyzer imported, data-events-only trail, named
 * CLI profiles instead of an assumed role).
 */

const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

export const VALIDATED_CONFIGURATIONS = [
  { name: 'example', file: path.join(CONFIG_DIR, 'example.json') },
  { name: 'every-option', file: path.join(CONFIG_DIR, 'every-option.json') },
  { name: 'adopt', file: path.join(CONFIG_DIR, 'adopt.json') },
] as const;
