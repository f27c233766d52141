import * as z from 'zod';
import { baselineConfigSchema } from './schema';

/** The configuration model as a JSON Schema (the input side: every defaulted field optional), serialized. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(baselineConfigSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'AWS organization baseline configuration' }, null, 2)}\n`;
}
