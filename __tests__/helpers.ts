import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { EXAMPLE_CONFIG_PATH, loadConfigFile, parseConfig } from '../config/load';
import type { BaselineConfig, BaselineConfigInput } from '../config/schema';
import { buildBaselineApp } from '../lib/app';

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

/** Synthesizes every stack of a configuration in memory and returns each stack's Terraform JSON by name. */
export function synthAll(config: BaselineConfig = exampleConfig()): Record<string, SynthesizedStack> {
  const app = buildBaselineApp(config, { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
  const stacks: Record<string, SynthesizedStack> = {};
  for (const child of app.node.children) {
    stacks[child.node.id] = JSON.parse(Testing.synth(child as never)) as SynthesizedStack;
  }
  return stacks;
}

/** Synthesizes one stack of a configuration in memory (the others are built but not synthesized). */
export function synthStack(name: string, config: BaselineConfig = exampleConfig()): SynthesizedStack {
  const app = buildBaselineApp(config, { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
  const stack = app.node.tryFindChild(name);
  if (!stack) throw new Error(`No stack "${name}"; the app has ${app.node.children.map((child) => child.node.id).join(', ')}`);
  return JSON.parse(Testing.synth(stack as never)) as SynthesizedStack;
}

/** Synthesizes some stacks of one app of a configuration, by name (one build for all of them). */
export function synthStacks(config: BaselineConfig, names: readonly string[]): Record<string, SynthesizedStack> {
  const app = buildBaselineApp(config, { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
  return Object.fromEntries(
    names.map((name) => {
      const stack = app.node.tryFindChild(name);
      if (!stack) throw new Error(`No stack "${name}"; the app has ${app.node.children.map((child) => child.node.id).join(', ')}`);
      return [name, JSON.parse(Testing.synth(stack as never)) as SynthesizedStack];
    }),
  );
}

/** The resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}
