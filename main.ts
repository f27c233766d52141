import { performance } from 'node:perf_hooks';
import { configPathFromEnvironment, loadConfigFile } from './config/load';
import { ConfigError } from './config/problems';
import { buildBaselineApp } from './lib/app';
import { OutputDirectoryError, openOutputDirectory } from './lib/synth/output-directory';
import { formatSummary, summarizeApp } from './lib/synth/synth-summary';
import { defineCommand, runCommand } from './tools/command-line/flags';

const SYNTH = defineCommand({
  name: 'npm run synth --',
  summary:
    'Validates the configuration and synthesizes one Terraform stack per account role into the output directory.\n' +
    'Nothing is written when the configuration is rejected or the synth fails; only files an earlier synth wrote are replaced.',
  flags: {
    hcl: { description: 'write HCL (cdk.tf) instead of Terraform JSON (cdk.tf.json)' },
    quiet: { description: 'print nothing on success (warnings and errors still go to stderr)' },
    strict: { description: 'fail (exit 1, output left as it was) when the synth has any warning' },
  },
  environment: {
    BASELINE_CONFIG: 'the configuration file, relative to your directory (default: config/example.json)',
    CDKTF_OUTDIR: 'the output directory, relative to the project (default: cdktf.out)',
  },
});

/** A failure the user can fix: the message says what and how; a stack trace adds nothing. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function synth(flags: Readonly<Record<string, string | true>>): void {
  const started = performance.now();
  const configPath = configPathFromEnvironment();
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nNothing was written.`);
    throw error;
  }

  let output;
  try {
    output = openOutputDirectory(process.env.CDKTF_OUTDIR || 'cdktf.out');
  } catch (error) {
    if (error instanceof OutputDirectoryError) fail(`${error.message}\nNothing was written.`);
    throw error;
  }

  // cdktf records a full stack trace for every token it creates, and mapping each frame through the source maps of
  // the TypeScript sources costs about a third of the synth. Traces are mapped when printed, after source maps are
  // back on, so an error still points at the TypeScript line.
  process.setSourceMapsEnabled(false);
  let app;
  try {
    app = buildBaselineApp(config, { outdir: output.staging, hclOutput: flags.hcl ? true : undefined });
    app.synth();
  } catch (error) {
    output.discard();
    // A policy-rule failure is the user's to fix: the message names rule, construct and fix.
    if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
      fail(`${error.message}\nThe synth stopped: ${output.path} is left as it was.`);
    }
    throw error;
  } finally {
    process.setSourceMapsEnabled(true);
  }

  const summary = summarizeApp(app);
  for (const warning of summary.warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Only when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set (cdktf-cli sets it) does a synth with errors get here.
  for (const error of summary.errors) process.stderr.write(`Error: ${error}\n`);
  if (flags.strict && summary.warnings.length > 0) {
    output.discard();
    fail(`--strict: the synth has ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}; ${output.path} is left as it was.`);
  }
  let notes: string[];
  try {
    notes = output.commit();
  } catch (error) {
    if (error instanceof OutputDirectoryError) fail(error.message);
    throw error;
  }
  for (const note of notes) process.stderr.write(`Warning: ${note}\n`);
  if (!flags.quiet) {
    process.stdout.write(formatSummary(summary, { configPath, outdir: output.path, seconds: (performance.now() - started) / 1000 }));
  }
}

runCommand(SYNTH, process.argv.slice(2), ({ flags }) => synth(flags));
