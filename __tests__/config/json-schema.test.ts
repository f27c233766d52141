import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../../config/json-schema';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

describe('the JSON Schema for editors', () => {
  it('is up to date with the configuration model (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(path.join(PROJECT_ROOT, 'config', 'baseline.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchema());
  });

  it('describes the example configuration, which points to it', () => {
    const schema = JSON.parse(configJsonSchema());
    const example = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'example.json'), 'utf8'));
    expect(example.$schema).toBe('./baseline.schema.json');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(Object.keys(example)));
    expect(schema.required).toEqual(['prefix', 'organization', 'accounts', 'regions']);
  });
});
