import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { parseFlags, usage, UsageError, type FlagSpec } from './proof/arguments';
import { VALIDATED_CONFIGURATIONS } from './proof/configurations';
import { summarizeMapping } from './proof/provider-mapping';
import { synthesizeMapped } from './proof/synth-stacks';
import { tail, TerraformRunner } from './proof/terraform';

/*
 * `npm run validate`: every stack of the example, of the every-option configuration and of adopt mode, mapped onto the
 * offline hashicorp/aws 5.100.0 (see tools/proof/provider-mapping.ts), through `terraform init -backend=false` and
 * `terraform validate`. Prints each stack's result and what the mapping changed; exits 1 on any failure.
 */

const FLAGS: FlagSpec[] = [
  { name: 'config', value: 'name', help: `validate one configuration only (${VALIDATED_CONFIGURATIONS.map((c) => c.name).join(', ')})` },
  { name: 'keep', help: 'keep the working directory (printed) for inspection' },
  { name: 'help', help: 'print this help' },
];

function main(): number {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2), FLAGS);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`validate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (flags.help) {
    process.stdout.write(
      usage('npm run validate --', 'Runs terraform init and terraform validate on every synthesized stack, after mapping the provider 6.x features onto the offline hashicorp/aws 5.100.0.', FLAGS),
    );
    return 0;
  }
  const selected = VALIDATED_CONFIGURATIONS.filter((configuration) => !flags.config || configuration.name === flags.config);
  if (selected.length === 0) {
    process.stderr.write(`validate: unknown configuration "${flags.config}"; expected one of: ${VALIDATED_CONFIGURATIONS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }

  const started = Date.now();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'baseline-validate-'));
  let failures = 0;
  let stacks = 0;
  try {
    const terraform = new TerraformRunner(workDir);
    for (const configuration of selected) {
      process.stdout.write(`== ${configuration.name} (${path.relative(process.cwd(), configuration.file)})\n`);
      let config;
      try {
        config = loadConfigFile(configuration.file);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stdout.write(`failed: ${error.message}\n`);
        failures++;
        continue;
      }
      const mappedStacks = synthesizeMapped(config, path.join(workDir, configuration.name));
      for (const stack of mappedStacks) {
        stacks++;
        const init = terraform.init(stack.dir);
        const validate = init.ok ? terraform.run(stack.dir, ['validate', '-no-color']) : undefined;
        const ok = init.ok && validate!.ok;
        if (!ok) failures++;
        const seconds = (init.seconds + (validate?.seconds ?? 0)).toFixed(1);
        process.stdout.write(`${ok ? 'ok    ' : 'FAILED'} ${configuration.name}/${stack.name} (${seconds} s)\n`);
        for (const line of summarizeMapping(stack.mapped)) process.stdout.write(`         mapped ${line}\n`);
        if (!ok) process.stdout.write(`${indent(tail((validate ?? init).output, 60))}\n`);
      }
    }
  } finally {
    if (flags.keep) process.stdout.write(`working directory kept: ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`${stacks - failures} of ${stacks} stacks valid against hashicorp/aws 5.100.0 (${seconds} s)\n`);
  return failures === 0 ? 0 : 1;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `         | ${line}`)
    .join('\n');
}

process.exitCode = main();
