import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { EXAMPLE_CONFIG_PATH, loadConfigFile, parseConfig } from '../config/load';
import type { BaselineConfig, BaselineConfigInput } from '../config/schema';
import { buildBaselineApp } from '../lib/app';
import { plannedStacks } from '../lib/synth/deploy-plan';

export const PROJECT_ROOT = path.join(__dirname, '..');

/** The shipped example configuration, validated. */
export function exampleConfig(): BaselineConfig {
  return loadConfigFile(EXAMPLE_CONFIG_PATH);
}

/** The example as written (before defaults), for tests that change one thing in it. */
export function exampleInput(): BaselineConfigInput {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return JSON.parse(JSON.stringify(require(EXAMPLE_CONFIG_PATH))) as BaselineConfigInput;
}

/** The example with a change applied to its written form, validated. */
export function configWith(change: (input: BaselineConfigInput) => void): BaselineConfig {
  const input = exampleInput();
  change(input);
  return parseConfig(input);
}

export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly terraform: Record<string, unknown>;
  readonly provider: Record<string, unknown[]>;
  readonly import?: Array<{ to: string; id: string; provider?: string }>;
  readonly [key: string]: unknown;
}

/*
 * Building a stack costs up to seconds, and most test files synthesize the same configuration many times: each stack
 * of a configuration is built alone (stacks never read each other, so it is the same as in the whole app) and
 * synthesized once per test process. Callers get a fresh parse of the JSON, so no test can change what another sees.
 */
const synthesizedStacks = new Map<string, string>();

function synthesizedStack(config: BaselineConfig, name: string): SynthesizedStack {
  const key = `${name}\n${JSON.stringify(config)}`;
  let text = synthesizedStacks.get(key);
  if (text === undefined) {
    const app = buildBaselineApp(config, { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')), stacks: [name] });
    const stack = app.node.tryFindChild(name);
    if (!stack) throw new Error(`No stack "${name}"; the configuration has ${plannedStacks(config).map((planned) => planned.stack).join(', ')}`);
    text = Testing.synth(stack as never);
    synthesizedStacks.set(key, text);
  }
  return JSON.parse(text) as SynthesizedStack;
}

/** Synthesizes every stack of a configuration in memory and returns each stack's Terraform JSON by name. */
export function synthAll(config: BaselineConfig = exampleConfig()): Record<string, SynthesizedStack> {
  const names = plannedStacks(config).map((planned) => planned.stack);
  return Object.fromEntries(names.map((name) => [name, synthesizedStack(config, name)]));
}

/** Synthesizes one stack of a configuration in memory (the others are built but not synthesized). */
export function synthStack(name: string, config: BaselineConfig = exampleConfig()): SynthesizedStack {
  return synthesizedStack(config, name);
}

/** Synthesizes some stacks of one app of a configuration, by name (one build for all of them). */
export function synthStacks(config: BaselineConfig, names: readonly string[]): Record<string, SynthesizedStack> {
  return Object.fromEntries(names.map((name) => [name, synthesizedStack(config, name)]));
}

/** The resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}
