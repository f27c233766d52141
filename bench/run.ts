import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectorBenchmarks } from './detector';
import { massDownloadStateBenchmark } from './mass-download-state';
import { largeOrganization } from './large-organization';
import { formatFigures, measureNode } from './measure';
import { defineCommand, runCommand } from '../tools/command-line/flags';

const BENCH = defineCommand({
  name: 'npm run bench --',
  summary:
    'Measures, each as a whole process: synth wall time and peak memory for the example and a 53-account, 17-region\n' +
    'organization, beside a root import of the AWS provider; detector rule and replay throughput, package size, cold start,\n' +
    'and the mass-download rule with its DynamoDB state calls against the emulator.\n' +
    'Figures are printed, never asserted: they depend on the machine.',
  flags: {},
});
// --help, or a mistake in the flags, ends here; the benchmarks take minutes.
if (runCommand(BENCH, process.argv.slice(2), () => true) !== true) process.exit(0);

/*
 * Benchmarks, each a whole process as users run it. Figures are printed, never asserted: they depend on the machine.
 */

const root = path.join(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'baseline-bench-'));
const synthArgs = ['--import', 'tsx', 'main.ts'];

// Every file a run writes is under `scratch`, removed at the end whatever happens.
try {
  const largeConfig = path.join(scratch, 'large-organization.json');
  const large = largeOrganization(50, 17);
  writeFileSync(largeConfig, JSON.stringify(large));

  process.stdout.write(`Synth benchmarks (${os.cpus().length} cores, node ${process.version})\n`);
  // Measured on purpose, in its own process: the import the project forbids in its own code.
  const providerRoot = ['@cdktf', 'provider-aws'].join('/');
  const rootImport = measureNode(['-e', `require(${JSON.stringify(providerRoot)})`], { cwd: root });
  const example = measureNode(synthArgs, { cwd: root, env: { CDKTF_OUTDIR: path.join(scratch, 'example') } });
  const largeOrg = measureNode(synthArgs, {
    cwd: root,
    env: { BASELINE_CONFIG: largeConfig, CDKTF_OUTDIR: path.join(scratch, 'large') },
    runs: 1,
  });

  const accounts = 3 + large.accounts.members!.length;
  process.stdout.write(
    [
      formatFigures('root import of @cdktf/provider-aws alone (for comparison)', rootImport),
      formatFigures('synth, example configuration (all stacks)', example),
      formatFigures(`synth, ${accounts} accounts x ${large.regions.enabled.length} regions`, largeOrg),
      `example synth takes ${((example.seconds / rootImport.seconds) * 100).toFixed(0)}% of the time of a root provider import alone`,
      '',
    ].join('\n'),
  );

  process.stdout.write(`\nDetector benchmarks (each figure from its own process; CPU time, one core)\n`);
  process.stdout.write(`${detectorBenchmarks(path.join(scratch, 'detector')).join('\n')}\n`);
  // The stateful rule, with its DynamoDB calls answered by the emulator (skipped, and said so, without it).
  massDownloadStateBenchmark(300).then(
    (line) => process.stdout.write(`${line}\n`),
    (error: unknown) => process.stdout.write(`mass-download state benchmark failed: ${(error as Error).message}\n`),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
