import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from './config/load';
import { ConfigError } from './config/problems';
import { buildBaselineApp } from './lib/app';

/*
 * Synthesizes the baseline: `BASELINE_CONFIG=<file>` selects the configuration (the shipped example otherwise) and
 * `CDKTF_OUTDIR` the output directory. The configuration is validated before anything is written.
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
  buildBaselineApp(config, { outdir }).synth();
}

main();
