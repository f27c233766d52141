import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TerraformJson } from '../../lib/rules/stack-resources';

/** The Terraform JSON of every stack of an output directory, by stack name. */
export type SynthesizedStacks = Record<string, TerraformJson>;

/** Reads `<outdir>/stacks/<stack>/cdk.tf.json` for every stack (an HCL output has no JSON to compare). */
export function readSynthesizedStacks(outdir: string): SynthesizedStacks {
  const stacksDir = path.join(outdir, 'stacks');
  if (!existsSync(stacksDir)) throw new Error(`${outdir} has no stacks/ directory: expected the output of npm run synth`);
  const stacks: SynthesizedStacks = {};
  for (const name of readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) throw new Error(`${path.join(stacksDir, name)} has no cdk.tf.json (HCL output cannot be compared; synthesize JSON)`);
    stacks[name] = JSON.parse(readFileSync(file, 'utf8')) as TerraformJson;
  }
  return stacks;
}

/** Every resource and data source of a stack by Terraform address, without cdktf's `//` metadata. */
export function addressesOf(stack: TerraformJson): Map<string, unknown> {
  const addresses = new Map<string, unknown>();
  for (const [prefix, blocks] of [
    ['', stack.resource],
    ['data.', stack.data],
  ] as const) {
    for (const [type, byId] of Object.entries(blocks ?? {})) {
      for (const [id, body] of Object.entries(byId)) {
        const { '//': _metadata, ...config } = body;
        addresses.set(`${prefix}${type}.${id}`, config);
      }
    }
  }
  return addresses;
}
