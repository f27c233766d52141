import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectorBenchmarks } from './detector';
import { massDownloadStateBenchmark } from './mass-download-state';
import { largeOrganization } from './large-organization';
import { formatFigures, measureInterleaved, measureNode } from './measure';
import { defineCommand, runCommand } from '../tools/command-line/flags';

const BENCH = defineCommand({
  name: 'npm run bench --',
  summary:
    'Measures, each as a whole process: the example synth paired with a root import of the AWS provider; for a\n' +
    '1,000-account, 17-region organization, one account stack alone and the whole organization (wall, CPU, peak\n' +
    'memory); detector rule and replay throughput, package size, cold start, and the mass-download rule with its\n' +
    'DynamoDB state calls against the emulator. Figures are printed with the load average, never asserted: they\n' +
    'depend on the machine and on what else runs on it.',
  flags: { only: { value: 'part', description: 'measure only that part: synth or detector (default: both)' } },
});
// --help, or a mistake in the flags, ends here; the benchmarks take minutes.
const only = runCommand(BENCH, process.argv.slice(2), ({ flags }) => (flags.only === undefined ? 'both' : flags.only));
if (only === undefined) process.exit(0);
if (!['both', 'synth', 'detector'].includes(only as string)) {
  process.stderr.write(`npm run bench: --only ${String(only)}: expected synth or detector\n`);
  process.exit(2);
}

/*
 * Benchmarks, each a whole process as users run it. Figures are printed, never asserted: they depend on the machine.
 */

const root = path.join(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'baseline-bench-'));
// The synth as `npm run synth` runs it: from its prebuilt bundle (built before the first measured run).
const synthArgs = ['tools/synth/run.cjs', '--quiet'];
const load = () => `load average ${os.loadavg().map((value) => value.toFixed(2)).join(', ')}`;

// Every file a run writes is under `scratch`, removed at the end whatever happens.
try {
  const largeConfig = path.join(scratch, 'large-organization.json');
  const large = largeOrganization(997, 17);
  writeFileSync(largeConfig, JSON.stringify(large));
  const accounts = 3 + large.accounts.members!.length;
  const regions = large.regions.enabled.length;

  if (only !== 'detector') synthBenchmarks(largeConfig, accounts, regions);
  if (only !== 'synth') {
    process.stdout.write(`\nDetector benchmarks (each figure from its own process; CPU time, one core)\n`);
    process.stdout.write(`${detectorBenchmarks(path.join(scratch, 'detector')).join('\n')}\n`);
    // The stateful rule, with its DynamoDB calls answered by the emulator (skipped, and said so, without it).
    massDownloadStateBenchmark(300).then(
      (line) => process.stdout.write(`${line}\n`),
      (error: unknown) => process.stdout.write(`mass-download state benchmark failed: ${(error as Error).message}\n`),
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function synthBenchmarks(largeConfig: string, accounts: number, regions: number): void {
  process.stdout.write(`Synth benchmarks (${os.cpus().length} cores, node ${process.version}, ${load()})\n`);
  measureNode([...synthArgs, '--list'], { cwd: root, runs: 1 });
  // Measured on purpose, in its own process: the import the project forbids in its own code. Paired with the example
  // synth, run for run, so that the ratio compares runs under the same load.
  const providerRoot = ['@cdktf', 'provider-aws'].join('/');
  const [rootImport, example] = measureInterleaved(
    [
      { args: ['-e', `require(${JSON.stringify(providerRoot)})`], cwd: root },
      { args: synthArgs, cwd: root, env: { CDKTF_OUTDIR: path.join(scratch, 'example') } },
    ],
    5,
  );
  process.stdout.write(
    [
      formatFigures('root import of @cdktf/provider-aws alone (for comparison)', rootImport),
      formatFigures('synth, example configuration (all stacks)', example),
      `example synth / root provider import: ${(example.seconds / rootImport.seconds).toFixed(2)}x wall, ${(example.cpuSeconds / rootImport.cpuSeconds).toFixed(2)}x CPU (paired runs)`,
      '',
    ].join('\n'),
  );

  const oneStack = measureNode([...synthArgs, '--stack', 'account-workload-500'], {
    cwd: root,
    env: { BASELINE_CONFIG: largeConfig, CDKTF_OUTDIR: path.join(scratch, 'one-stack') },
  });
  process.stdout.write(`${formatFigures(`synth, one account stack of ${accounts} accounts x ${regions} regions`, oneStack)}\n`);
  const whole = measureNode(synthArgs, {
    cwd: root,
    env: { BASELINE_CONFIG: largeConfig, CDKTF_OUTDIR: path.join(scratch, 'whole') },
    runs: 1,
  });
  process.stdout.write(`${formatFigures(`synth, whole organization, ${accounts} accounts x ${regions} regions (${os.availableParallelism()} workers)`, whole)}\n`);
  process.stdout.write(`(${load()} at the end; figures taken on a busy machine are not the machine's: measure again when it is idle)\n`);
  rmSync(path.join(scratch, 'whole'), { recursive: true, force: true });
}
