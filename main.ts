import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { configPathFromEnvironment, loadConfigFile } from './config/load';
import { ConfigError } from './config/problems';
import type { BaselineConfig } from './config/schema';
import { DEPLOY_PLAN_FILE, deployPlan, formatDeployPlan, formatStackList } from './lib/synth/deploy-plan';
import { OutputDirectoryError, openOutputDirectory } from './lib/synth/output-directory';
import { WORKER_ENVIRONMENT, WorkerSynthError, serveChunks, synthesizeInWorkers } from './lib/synth/parallel-synth';
import { type ChunkResult, STACKS_PER_CHUNK, chunks, mergeSummaries, synthesizeChunk, writeManifest } from './lib/synth/stack-chunks';
import { StackSelectionError, selectStacks } from './lib/synth/stack-selection';
import { formatSummary } from './lib/synth/synth-summary';
import { USAGE_EXIT_CODE, defineCommand, runCommand } from './tools/command-line/flags';

const SYNTH = defineCommand({
  name: 'npm run synth --',
  summary:
    'Validates the configuration and synthesizes one Terraform stack per account role into the output directory, with\n' +
    'the deploy plan (deploy-plan.json: each stack, its wave, account, region and state). Nothing is written when the\n' +
    'configuration is rejected or the synth fails; only files an earlier synth wrote are replaced.',
  flags: {
    stack: {
      value: 'pattern',
      repeatable: true,
      description: 'build and write only the stacks the name or glob (* and ?, quoted: "account-*") names; the other stacks of an earlier synth stay',
    },
    list: { description: 'print the stacks (those --stack selects) with their deploy wave, account and region; write nothing' },
    jobs: { value: 'n', description: `synthesize in n worker processes (default: one per core beyond ${2 * STACKS_PER_CHUNK} stacks, else in this process)` },
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
function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function jobCount(given: string | true | undefined, stacks: number): number {
  if (given === undefined) return stacks > 2 * STACKS_PER_CHUNK ? os.availableParallelism() : 1;
  if (typeof given !== 'string' || !/^[1-9]\d{0,2}$/.test(given)) fail(`--jobs ${String(given)}: expected a number of worker processes from 1 to 999`, USAGE_EXIT_CODE);
  return Number(given);
}

/** Synthesizes the stacks into `outdir`, chunk by chunk, in this process or in workers. */
async function synthesizeStacks(config: BaselineConfig, stacks: readonly string[], options: { outdir: string; hclOutput?: boolean; jobs: number }): Promise<ChunkResult[]> {
  if (options.jobs > 1 && stacks.length > STACKS_PER_CHUNK) {
    return synthesizeInWorkers(config, stacks, { ...options, entry: process.argv[1] });
  }
  return chunks(stacks).map((names, index) => synthesizeChunk(config, names, { outdir: options.outdir, scratch: `.chunk-${index}`, hclOutput: options.hclOutput }));
}

async function synth(flags: Readonly<Record<string, string | true>>, patterns: readonly string[]): Promise<void> {
  const started = performance.now();
  const configPath = configPathFromEnvironment();
  let config: BaselineConfig;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nNothing was written.`);
    throw error;
  }

  // The plan and the selection come from the configuration alone: no stack is built to list or choose them.
  const plan = deployPlan(config);
  const buildOrder = plan.stacks.map((stack) => stack.stack);
  let selected: string[];
  try {
    selected = selectStacks(buildOrder, patterns);
  } catch (error) {
    if (error instanceof StackSelectionError) fail(`${error.message}\nNothing was written.`, USAGE_EXIT_CODE);
    throw error;
  }
  if (flags.list) {
    process.stdout.write(formatStackList(plan, new Set(selected)));
    return;
  }
  const jobs = jobCount(flags.jobs, selected.length);

  let output;
  try {
    output = openOutputDirectory(process.env.CDKTF_OUTDIR || 'cdktf.out');
  } catch (error) {
    if (error instanceof OutputDirectoryError) fail(`${error.message}\nNothing was written.`);
    throw error;
  }

  const hclOutput = flags.hcl ? true : undefined;
  let results: ChunkResult[];
  try {
    results = await synthesizeStacks(config, selected, { outdir: output.staging, hclOutput, jobs });
    writeManifest(
      output.staging,
      results.map((result) => result.manifest),
      hclOutput ?? (process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1'),
    );
    writeFileSync(path.join(output.staging, DEPLOY_PLAN_FILE), formatDeployPlan(plan));
  } catch (error) {
    output.discard();
    const message = error instanceof Error ? error.message : String(error);
    // A policy-rule failure is the user's to fix: the message names rule, construct and fix.
    if (message.startsWith('Encountered Annotations with level "ERROR"')) {
      fail(`${message}\nThe synth stopped: ${output.path} is left as it was.`);
    }
    if (error instanceof WorkerSynthError) fail(`${error.workerStack ?? message}\nThe synth stopped: ${output.path} is left as it was.`);
    throw error;
  }

  const summary = mergeSummaries(results.map((result) => result.summary));
  for (const warning of summary.warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Only when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set (cdktf-cli sets it) does a synth with errors get here.
  for (const error of summary.errors) process.stderr.write(`Error: ${error}\n`);
  if (flags.strict && summary.warnings.length > 0) {
    output.discard();
    fail(`--strict: the synth has ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}; ${output.path} is left as it was.`);
  }
  let notes: string[];
  try {
    notes = output.commit({ keepOtherStacks: patterns.length > 0 });
  } catch (error) {
    if (error instanceof OutputDirectoryError) fail(error.message);
    throw error;
  }
  for (const note of notes) process.stderr.write(`Warning: ${note}\n`);
  if (!flags.quiet) {
    process.stdout.write(formatSummary(summary, { configPath, outdir: output.path, seconds: (performance.now() - started) / 1000 }));
  }
}

if (process.env[WORKER_ENVIRONMENT] === '1' && process.send) {
  serveChunks();
} else {
  void runCommand(SYNTH, process.argv.slice(2), ({ flags, repeated }) => synth(flags, repeated.stack ?? []));
}
