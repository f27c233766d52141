import type { PolicyRule, RuleFinding } from '../../lib/rules';
import type { StackChanges } from './address-changes';
import type { CoverageRow } from './cis-coverage';
import { type CostGuardrailsSummary, costGuardrailsSection } from './cost-guardrails';

export interface ReportContent {
  readonly counts: Record<string, Record<string, number>>;
  readonly coverage: readonly CoverageRow[];
  readonly rules: readonly PolicyRule[];
  readonly findings: readonly RuleFinding[];
  readonly diagram: string;
  /** Budgets and anomaly monitors; the section is left out when undefined. */
  readonly cost?: CostGuardrailsSummary;
  /** Undefined when no base was given. */
  readonly changes?: readonly StackChanges[];
  /** What the changes were computed against, e.g. `git ref main` or `directory base-out`. */
  readonly baseLabel?: string;
}

/** Table cells cannot hold a pipe or a line break. */
const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: string) => `\`${value}\``;
const STATUS = { met: '✅ met', partial: '⚠️ partial', 'not met': '❌ not met' } as const;
/** Long resource lists would drown the table; the first few tell where to look. */
const MAX_LISTED = 4;

function listed(items: readonly string[]): string {
  if (items.length === 0) return '—';
  const shown = items.slice(0, MAX_LISTED).map(code).join('<br>');
  return items.length > MAX_LISTED ? `${shown}<br>… and ${items.length - MAX_LISTED} more` : shown;
}

function countsSection(counts: ReportContent['counts']): string[] {
  const lines = ['## Resources by stack', ''];
  for (const [stack, byType] of Object.entries(counts)) {
    const total = Object.values(byType).reduce((sum, n) => sum + n, 0);
    lines.push(`<details><summary><b>${stack}</b>: ${total} resources</summary>`, '', '| type | count |', '| --- | ---: |');
    for (const [type, n] of Object.entries(byType)) lines.push(`| ${code(type)} | ${n} |`);
    lines.push('', '</details>', '');
  }
  return lines;
}

function coverageSection(coverage: readonly CoverageRow[]): string[] {
  const met = coverage.filter((row) => row.status === 'met').length;
  return [
    '## CIS AWS Foundations Benchmark coverage',
    '',
    `${met} of ${coverage.length} items in scope are met. Item numbers are those of v3.0.0; v7.0.0 moves each section one down (Monitoring 4.x is 5.x there).`,
    '',
    '| item | control | status | how it is met | resources |',
    '| --- | --- | --- | --- | --- |',
    ...coverage.map(
      (row) =>
        `| ${row.control} | ${cell(row.title)} | ${STATUS[row.status]}${row.gaps.length ? `<br>${listed(row.gaps).replace(/`/g, '')}` : ''} | ${cell(row.how)} | ${listed(row.resources)} |`,
    ),
    '',
  ];
}

function rulesSection(rules: readonly PolicyRule[], findings: readonly RuleFinding[]): string[] {
  const lines = ['## Policy rules', '', '| rule | checks | passed | failed | acknowledged |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const rule of rules) {
    const mine = findings.filter((finding) => finding.ruleId === rule.id);
    const n = (status: RuleFinding['status']) => mine.filter((finding) => finding.status === status).length;
    lines.push(`| ${code(rule.id)}: ${cell(rule.description)} | ${mine.length} | ${n('pass')} | ${n('fail') ? `**${n('fail')}**` : 0} | ${n('acknowledged')} |`);
  }
  const failed = findings.filter((finding) => finding.status === 'fail');
  if (failed.length) {
    lines.push('', '### Failures', '', '| rule | stack | resource | problem |', '| --- | --- | --- | --- |');
    for (const finding of failed) lines.push(`| ${code(finding.ruleId)} | ${finding.stack} | ${code(finding.address)} | ${cell(finding.problems.join('; '))} |`);
  }
  const acknowledged = findings.filter((finding) => finding.status === 'acknowledged');
  lines.push('', '### Acknowledgements', '');
  if (acknowledged.length === 0) lines.push('None: every resource meets every rule.');
  else {
    lines.push('| rule | stack | resource | reason |', '| --- | --- | --- | --- |');
    for (const finding of acknowledged) lines.push(`| ${code(finding.ruleId)} | ${finding.stack} | ${code(finding.address)} | ${cell(finding.reason ?? '')} |`);
  }
  lines.push('');
  return lines;
}

function changesSection(changes: readonly StackChanges[], baseLabel: string): string[] {
  const lines = [`## Changes against ${baseLabel}`, ''];
  if (changes.length === 0) return [...lines, 'No resource, data source or stack setting changes.', ''];
  for (const stack of changes) {
    const status = stack.stackStatus === 'kept' ? '' : ` (stack ${stack.stackStatus})`;
    lines.push(`### ${stack.stack}${status}`, '');
    for (const [sign, title, addresses] of [
      ['+', 'added', stack.added],
      ['-', 'removed', stack.removed],
      ['~', 'changed', stack.changed],
    ] as const) {
      if (addresses.length) lines.push(`${title} (${addresses.length}):`, '```diff', ...addresses.map((address) => `${sign} ${address}`), '```');
    }
    if (stack.settingsChanged) lines.push('Provider or backend settings changed.');
    lines.push('');
  }
  return lines;
}

/** The pull-request comment: counts, CIS coverage, policy-rule results, the log-flow diagram and the changes. */
export function renderMarkdown(content: ReportContent): string {
  return [
    '# AWS organization baseline',
    '',
    ...(content.changes ? changesSection(content.changes, content.baseLabel ?? 'the base') : []),
    ...rulesSection(content.rules, content.findings),
    ...coverageSection(content.coverage),
    ...(content.cost ? costGuardrailsSection(content.cost) : []),
    '## Accounts and log flows',
    '',
    '```mermaid',
    content.diagram,
    '```',
    '',
    ...countsSection(content.counts),
  ].join('\n');
}

/** A few lines for the terminal. */
export function renderSummary(content: ReportContent): string {
  const total = Object.values(content.counts).reduce((sum, byType) => sum + Object.values(byType).reduce((a, b) => a + b, 0), 0);
  const status = (s: RuleFinding['status']) => content.findings.filter((finding) => finding.status === s).length;
  const lines = [
    `${Object.keys(content.counts).length} stacks, ${total} resources`,
    `policy rules: ${status('pass')} passed, ${status('fail')} failed, ${status('acknowledged')} acknowledged`,
    `CIS items: ${content.coverage.filter((row) => row.status === 'met').length} met, ${content.coverage.filter((row) => row.status === 'partial').length} partial, ${content.coverage.filter((row) => row.status === 'not met').length} not met`,
  ];
  if (content.changes) {
    const sum = (key: 'added' | 'removed' | 'changed') => content.changes!.reduce((n, stack) => n + stack[key].length, 0);
    lines.push(`changes against ${content.baseLabel}: ${sum('added')} addresses added, ${sum('removed')} removed, ${sum('changed')} changed`);
  }
  return lines.join('\n');
}
