import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BaselineConfig } from '../../config/schema';
import { buildBaselineApp } from '../../lib/app';
import { mapToProvider5, type MappedAttribute, type TerraformJson } from './provider-mapping';

/*
 * Synthesizes a configuration into a directory and maps every stack onto the mirror's provider in place (the copy in
 * that directory only; the product's own output is untouched).
 */

export interface MappedStack {
  readonly name: string;
  readonly dir: string;
  readonly mapped: MappedAttribute[];
}

/** Every stack of the configuration, synthesized into `outdir` and mapped; `adjust` may change a stack after mapping. */
export function synthesizeMapped(
  config: BaselineConfig,
  outdir: string,
  adjust: (name: string, stack: TerraformJson) => TerraformJson = (_name, stack) => stack,
): MappedStack[] {
  // Source maps are mapped only when a trace is printed (see main.ts): synth is a third faster without them.
  process.setSourceMapsEnabled(false);
  try {
    buildBaselineApp(config, { outdir }).synth();
  } finally {
    process.setSourceMapsEnabled(true);
  }
  const stacksDir = path.join(outdir, 'stacks');
  return readdirSync(stacksDir)
    .sort()
    .map((name) => {
      const dir = path.join(stacksDir, name);
      const file = path.join(dir, 'cdk.tf.json');
      const { stack, mapped } = mapToProvider5(JSON.parse(readFileSync(file, 'utf8')) as TerraformJson);
      writeFileSync(file, `${JSON.stringify(adjust(name, stack), null, 2)}\n`);
      return { name, dir, mapped };
    });
}
