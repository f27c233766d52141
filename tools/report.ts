import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configPathFromEnvironment, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { BASELINE_RULES } from '../lib/rules';
import { defineCommand, runCommand, USAGE_EXIT_CODE, userPath } from './command-line/flags';
import { addressChanges } from './report/address-changes';
import { type Base, readBase } from './report/base-output';
import { cisCoverage } from './report/cis-coverage';
import { estimateMonthlyCost } from './report/cost-estimate';
import { costGuardrailsSummary } from './report/cost-guardrails';
import { synthesizeCurrent } from './report/current-synth';
import { logFlowDiagram } from './report/log-flow-diagram';
import { renderMarkdown, renderSummary, type ReportContent } from './report/markdown';
import { resourceCounts } from './report/resource-counts';
import { unwritableReason } from './report/writable-file';

const REPORT = defineCommand({
  name: 'npm run report --',
  summary:
    'Synthesizes the configuration and writes a pull-request report: resources per stack, CIS coverage, policy-rule\n' +
    'results with acknowledgements, a Mermaid diagram of the log flows, and, given a base, the Terraform addresses\n' +
    'added, removed or changed. Exits 1 when a policy rule fails.',
  flags: {
    base: { value: 'dir', description: 'an earlier output directory (cdktf.out of the base branch), relative to your directory' },
    'base-ref': {
      value: 'ref',
      description: 'a git ref to synthesize as the base, with the configuration file as it was at that ref',
    },
    markdown: { value: 'file', description: 'where to write the markdown, relative to your directory (default: baseline-report.md)' },
  },
  environment: { BASELINE_CONFIG: 'the configuration file, relative to your directory (default: config/example.json)' },
});

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Writes the pull-request report and prints its summary; exits 1 when a policy rule fails. */
function report(flags: Readonly<Record<string, string | true>>): void {
  const baseDir = flags.base ? userPath(flags.base as string) : undefined;
  const baseRef = flags['base-ref'] as string | undefined;
  if (baseDir && baseRef) fail('npm run report: give either --base or --base-ref, not both', USAGE_EXIT_CODE);
  // The output is checked before the synths, which take a while.
  const output = userPath((flags.markdown as string | undefined) ?? 'baseline-report.md');
  const unwritable = unwritableReason(output);
  if (unwritable) fail(`Cannot write the report to ${output}: ${unwritable}. Nothing was synthesized.`);

  const configPath = process.env.BASELINE_CONFIG ? configPathFromEnvironment() : undefined;
  const config = loadConfigFile(configPathFromEnvironment());

  let base: Base | undefined;
  try {
    base = baseDir || baseRef ? readBase({ dir: baseDir, ref: baseRef }, path.join(__dirname, '..'), configPath) : undefined;
  } catch (error) {
    // A missing directory or an unknown ref is the user's to fix: say so without a stack trace.
    fail(`Cannot read the base: ${(error as Error).message}`);
  }
  const current = synthesizeCurrent(config);
  const content: ReportContent = {
    counts: resourceCounts(current.stacks),
    coverage: cisCoverage(current.stacks, config, current.findings),
    rules: BASELINE_RULES,
    findings: current.findings,
    diagram: logFlowDiagram(current.stacks, config),
    cost: costGuardrailsSummary(current.stacks),
    // The configuration as it is, and the same organization grown to 1,000 accounts.
    costEstimates: [estimateMonthlyCost(config), estimateMonthlyCost(config, { accounts: 1000 })],
    changes: base ? addressChanges(base.stacks, current.stacks) : undefined,
    baseLabel: base?.label,
  };
  writeFileSync(output, renderMarkdown(content));
  process.stdout.write(`${renderSummary(content)}\nWrote ${output}\n`);
  if (current.findings.some((finding) => finding.status === 'fail')) process.exitCode = 1;
}

try {
  runCommand(REPORT, process.argv.slice(2), ({ flags }) => report(flags));
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
