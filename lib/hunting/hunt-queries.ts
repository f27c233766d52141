import { CIS_ALARM_IDS, type BaselineConfig } from '../../config/schema';
import { cisMetricFilters } from '../monitoring/cis-filters';
import { parseFilterPattern } from '../monitoring/filter-pattern';
import { managementWorkloadPatterns } from '../monitoring/management-account-workloads';
import { detectorSettingsFrom } from '../detector/settings';
import { type DerivedStages, withDerivedColumns } from './detector-rules/derived-columns';
import { DETECTOR_HUNTS, isDetectorHunt } from './detector-rules/detector-hunts';
import type { QueryTable } from './detector-rules/organization-sql';
import { filterPatternToSql } from './filter-pattern-sql';
import { sqlString } from './portable-sql';

/** A hunt: one of the baseline's CloudTrail rules, as the configuration sets it (exclusions included). */
export interface HuntRule {
  readonly id: string;
  readonly title: string;
  /** The metric filter patterns whose union the rule is (CIS items and the workload alarm). */
  readonly patterns?: readonly string[];
  /** The SQL condition a row must meet. */
  readonly condition: string;
  /** Derived columns the condition reads, computed in subqueries (the detector's rules). */
  readonly stages: DerivedStages;
  /** Tables the condition reads, defined before the SELECT (the detector's rules: the organization's accounts). */
  readonly tables?: readonly QueryTable[];
}

export const MANAGEMENT_WORKLOADS_RULE = 'management-account-workloads';

const patternRule = (id: string, title: string, patterns: readonly string[]): HuntRule => ({
  id,
  title,
  patterns,
  condition: patterns.map((pattern) => filterPatternToSql(parseFilterPattern(pattern).expression)).join('\n    OR '),
  stages: [],
});

/**
 * Every rule that can be hunted, in the configuration's terms: the enabled CIS items, the workload alarm, and the
 * detector's rules that are turned on, with the detector's settings as the synth writes them for the function.
 */
export function huntRules(config: BaselineConfig): HuntRule[] {
  const rules: HuntRule[] = cisMetricFilters(config).map((filter) => patternRule(filter.id, `${filter.control}: ${filter.title}`, [filter.pattern]));
  const workloads = config.monitoring.managementAccountWorkloads;
  if (workloads.enabled) {
    rules.push(
      patternRule(MANAGEMENT_WORKLOADS_RULE, 'Workloads started in the management account', managementWorkloadPatterns(config.accounts.management.id, workloads.exclude)),
    );
  }
  const settings = detectorSettingsFrom(config);
  for (const [id, hunt] of Object.entries(DETECTOR_HUNTS)) {
    if (!isDetectorHunt(hunt) || !settings.rules[hunt.toggle]) continue;
    rules.push({ id, title: hunt.title, condition: hunt.condition(settings), stages: hunt.stages, tables: hunt.tables(settings) });
  }
  return rules;
}

/** Every rule id, enabled or not, for messages. */
export const HUNT_RULE_IDS: readonly string[] = [
  ...CIS_ALARM_IDS,
  MANAGEMENT_WORKLOADS_RULE,
  ...Object.entries(DETECTOR_HUNTS)
    .filter(([, hunt]) => isDetectorHunt(hunt))
    .map(([id]) => id),
];

/** The partitions a hunt reads: a date range is required, accounts and regions narrow it further. */
export interface HuntWindow {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly to: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day given on the command line, checked, as a date at midnight UTC. */
function parseDay(name: string, value: string): Date {
  const date = DAY.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`${name}: got ${JSON.stringify(value)}; expected a day such as 2026-11-20`);
  }
  return date;
}

const partitionDay = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, '/');
const nextDay = (date: Date) => new Date(date.getTime() + 24 * 3600 * 1000);

/** The columns a hunt returns: when, what, who, from where. */
const RESULT_COLUMNS = [
  'eventtime',
  'recipientaccountid',
  'awsregion',
  'eventsource',
  'eventname',
  'useridentity.type AS identity_type',
  'useridentity.arn AS principal_arn',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'eventid',
];

function query(table: string, rule: HuntRule, bounds: readonly string[]): string {
  const where = `WHERE ${bounds.join('\n  AND ')}`;
  // Only the tables the condition reads: the organization's accounts are long, and a rule may not ask about them.
  const tables = (rule.tables ?? []).filter((candidate) => new RegExp(`\\b${candidate.name}\\b`).test(rule.condition));
  const head = [
    `-- ${rule.id}: ${rule.title}`,
    ...(tables.length ? [`WITH ${tables.map((candidate) => `${candidate.name} (${candidate.columns.join(', ')}) AS (${candidate.query})`).join(',\n')}`] : []),
  ];
  if (rule.stages.length === 0) {
    return [...head, `SELECT ${RESULT_COLUMNS.join(', ')}`, `FROM ${table}`, where, `  AND (${rule.condition})`, 'ORDER BY eventtime'].join('\n');
  }
  // The partition bounds stay on the table itself, in the innermost query, so that Athena reads only those partitions.
  return [
    ...head,
    `SELECT ${RESULT_COLUMNS.join(', ')}`,
    `FROM ${withDerivedColumns(`${table}\n  ${where}`, rule.stages)}`,
    `WHERE ${rule.condition}`,
    'ORDER BY eventtime',
  ].join('\n');
}

/**
 * The rule as a saved Athena query whose two parameters are the first day and the day after the last (`'yyyy/MM/dd'`:
 * files are filed under the day they were delivered), which the console asks for when it runs: a saved hunt cannot run
 * without bounds on the date partitions.
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 */
export function parameterizedHuntSql(table: string, rule: HuntRule): string {
  return query(table, rule, ['date BETWEEN ? AND ?']);
}

/**
 * The Athena (Trino) query for a rule over the CloudTrail table: bounded by the date partitions always, and by the
 * account and region partitions when given, so that it scans only those days' objects.
 */
export function huntSql(table: string, rule: HuntRule, window: HuntWindow): string {
  const from = parseDay('--from', window.from);
  const to = parseDay('--to', window.to);
  if (from > to) throw new Error(`--from ${window.from} is after --to ${window.to}`);
  for (const account of window.accounts ?? []) {
    if (!/^\d{12}$/.test(account)) throw new Error(`--accounts: got ${JSON.stringify(account)}; expected 12-digit account ids`);
  }
  for (const region of window.regions ?? []) {
    if (!/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region)) throw new Error(`--regions: got ${JSON.stringify(region)}; expected region names such as eu-west-1`);
  }
  // A file is filed under the day CloudTrail delivered it, minutes after its last event: the partitions run one day past
  // the last, and the events' own times make the exact bounds.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
  const end = nextDay(to);
  const bounds = [
    `date BETWEEN ${sqlString(partitionDay(from))} AND ${sqlString(partitionDay(end))}`,
    `eventtime >= ${sqlString(from.toISOString().replace('.000Z', 'Z'))}`,
    `eventtime < ${sqlString(end.toISOString().replace('.000Z', 'Z'))}`,
  ];
  if (window.accounts?.length) bounds.push(`account IN (${window.accounts.map(sqlString).join(', ')})`);
  if (window.regions?.length) bounds.push(`region IN (${window.regions.map(sqlString).join(', ')})`);
  return query(table, rule, bounds);
}
