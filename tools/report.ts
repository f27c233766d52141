import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { BASELINE_RULES } from '../lib/rules';
import { addressChanges } from './report/address-changes';
import { readBase } from './report/base-output';
import { cisCoverage } from './report/cis-coverage';
import { costGuardrailsSummary } from './report/cost-guardrails';
import { synthesizeCurrent } from './report/current-synth';
import { logFlowDiagram } from './report/log-flow-diagram';
import { renderMarkdown, renderSummary, type ReportContent } from './report/markdown';
import { resourceCounts } from './report/resource-counts';

const USAGE = `Usage: npm run report -- [--base <output-dir> | --base-ref <git-ref>] [--markdown <file>]
  Synthesizes the configuration (BASELINE_CONFIG, or the example) and writes a pull-request report:
  resources per stack, CIS coverage, policy-rule results with acknowledgements, a Mermaid diagram of the log flows,
  and, given a base, the Terraform addresses added, removed or changed.
  --base <dir>       an earlier output directory (cdktf.out of the base branch)
  --base-ref <ref>   a git ref to synthesize as the base (same configuration file)
  --markdown <file>  where to write the markdown (default: baseline-report.md)`;

/** Writes the pull-request report and prints its summary; exits 1 when a policy rule fails. */
function main(): void {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, 'base-ref': { type: 'string' }, markdown: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.base && values['base-ref']) {
    process.stderr.write(`Give either --base or --base-ref, not both\n${USAGE}\n`);
    process.exit(1);
  }
  const configPath = process.env.BASELINE_CONFIG || undefined;
  const config = loadConfigFile(configPath ?? EXAMPLE_CONFIG_PATH);

  const projectRoot = path.join(__dirname, '..');
  let base;
  try {
    base = values.base || values['base-ref'] ? readBase({ dir: values.base, ref: values['base-ref'] }, projectRoot, configPath) : undefined;
  } catch (error) {
    // A missing directory or an unknown ref is the user's to fix: say so without a stack trace.
    process.stderr.write(`Cannot read the base: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const current = synthesizeCurrent(config);
  const content: ReportContent = {
    counts: resourceCounts(current.stacks),
    coverage: cisCoverage(current.stacks, config, current.findings),
    rules: BASELINE_RULES,
    findings: current.findings,
    diagram: logFlowDiagram(current.stacks, config),
    cost: costGuardrailsSummary(current.stacks),
    changes: base ? addressChanges(base, current.stacks) : undefined,
    baseLabel: values.base ? `directory ${values.base}` : values['base-ref'] ? `git ref ${values['base-ref']}` : undefined,
  };
  const output = values.markdown ?? 'baseline-report.md';
  writeFileSync(output, renderMarkdown(content));
  process.stdout.write(`${renderSummary(content)}\nWrote ${output}\n`);
  if (current.findings.some((finding) => finding.status === 'fail')) process.exitCode = 1;
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
