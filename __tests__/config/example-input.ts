import { readFileSync } from 'node:fs';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../../config/load';
import { ConfigError, type ConfigProblem } from '../../config/problems';
import type { BaselineConfigInput } from '../../config/schema';

/**
 * The example configuration as written, for tests of the configuration alone: read without the stacks (and cdktf and
 * the AWS provider) that ../helpers loads, so that these tests start in milliseconds, which mutation testing needs.
 */
export function exampleInput(): BaselineConfigInput {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as BaselineConfigInput;
}

/** The problems a configuration is rejected with, or none when it is accepted; any other error is rethrown. */
export function problemsOf(run: () => unknown): ConfigProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

/** The problems of the example configuration with one change made to its written form (none when accepted). */
export function problemsWith(change: (input: Record<string, any>) => void): ConfigProblem[] {
  const input = exampleInput() as Record<string, any>;
  change(input);
  return problemsOf(() => parseConfig(input));
}

/** As problemsOf, for a configuration that must be rejected: an accepted one fails the test. */
export function rejectionsOf(run: () => unknown): ConfigProblem[] {
  const problems = problemsOf(run);
  if (problems.length === 0) throw new Error('expected the configuration to be rejected');
  return problems;
}

/** As problemsWith, for a change that must be rejected: an accepted configuration fails the test. */
export function rejectionsWith(change: (input: Record<string, any>) => void): ConfigProblem[] {
  const input = exampleInput() as Record<string, any>;
  change(input);
  return rejectionsOf(() => parseConfig(input));
}
