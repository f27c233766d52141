import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from './config/load';
import { ConfigError } from './config/problems';
import { buildBaselineApp } from './lib/app';

/*
 * Synthesizes the baseline: `BASELINE_CONFIG=<file>` selects the configuration (the shipped example otherwise) and
 * `CDKTF_OUTDIR` the output directory. The configuration is validated before anything is written. `--hcl` writes
 * HCL (`cdk.tf`) instead of Terraform JSON.
 */
function main(): void {
  const configPath = process.env.BASELINE_CONFIG || EXAMPLE_CONFIG_PATH;
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nNothing was written.\n`);
      process.exit(1);
    }
    throw error;
  }

  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  // Stacks of accounts since removed from the configuration must not linger in the output.
  rmSync(path.join(outdir, 'stacks'), { recursive: true, force: true });
  // cdktf records a full stack trace for every token it creates, and mapping each frame through the source maps of
  // the TypeScript sources costs about a third of the synth. Traces are mapped when printed, after source maps are
  // back on, so an error still points at the TypeScript line.
  process.setSourceMapsEnabled(false);
  try {
    buildBaselineApp(config, { outdir, hclOutput: process.argv.includes('--hcl') || undefined }).synth();
  } catch (error) {
    // A policy-rule failure is the user's to fix: the message names rule, construct and fix; a stack trace adds nothing.
    if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
      process.stderr.write(`${error.message}\nThe synth stopped: ${outdir} is incomplete.\n`);
      process.exit(1);
    }
    throw error;
  } finally {
    process.setSourceMapsEnabled(true);
  }
}

main();
