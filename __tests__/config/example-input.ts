import { readFileSync } from 'node:fs';
import { EXAMPLE_CONFIG_PATH } from '../../config/load';
import type { BaselineConfigInput } from '../../config/schema';

/**
 * The example configuration as written, for tests of the configuration alone: read without the stacks (and cdktf and
 * the AWS provider) that ../helpers loads, so that these tests start in milliseconds, which mutation testing needs.
 */
export function exampleInput(): BaselineConfigInput {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as BaselineConfigInput;
}
