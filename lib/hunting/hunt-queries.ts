import { CIS_ALARM_IDS, type BaselineConfig } from '../../config/schema';
import { cisMetricFilters } from '../monitoring/cis-filters';
import { parseFilterPattern } from '../monitoring/filter-pattern';
import { managementWorkloadPatterns } from '../monitoring/management-account-workloads';
import { filterPatternToSql, sqlString } from './filter-pattern-sql';

/** A hunt: one of the baseline's CloudTrail rules, as the configuration sets it (exclusions included). */
export interface HuntRule {
  readonly id: string;
  readonly title: string;
  /** The metric filter patterns whose union the rule is. */
  readonly patterns: readonly string[];
}

export const MANAGEMENT_WORKLOADS_RULE = 'management-account-workloads';

/** Every rule that can be hunted, in the configuration's terms: the enabled CIS items and the workload alarm. */
export function huntRules(config: BaselineConfig): HuntRule[] {
  const rules: HuntRule[] = cisMetricFilters(config).map((filter) => ({ id: filter.id, title: `${filter.control}: ${filter.title}`, patterns: [filter.pattern] }));
  const workloads = config.monitoring.managementAccountWorkloads;
  if (workloads.enabled) {
    rules.push({
      id: MANAGEMENT_WORKLOADS_RULE,
      title: 'Workloads started in the management account',
      patterns: managementWorkloadPatterns(config.accounts.management.id, workloads.exclude),
    });
  }
  return rules;
}

/** Every rule id, enabled or not, for messages. */
export const HUNT_RULE_IDS: readonly string[] = [...CIS_ALARM_IDS, MANAGEMENT_WORKLOADS_RULE];

/** The partitions a hunt reads: a date range is required, accounts and regions narrow it further. */
export interface HuntWindow {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly to: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day as the date partition spells it (`yyyy/MM/dd`), or an error naming the value. */
function partitionDay(name: string, value: string): string {
  const match = DAY.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`${name}: got ${JSON.stringify(value)}; expected a day such as 2026-11-20`);
  }
  return `${match[1]}/${match[2]}/${match[3]}`;
}

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

function ruleCondition(rule: HuntRule): string {
  return rule.patterns.map((pattern) => filterPatternToSql(parseFilterPattern(pattern).expression)).join('\n    OR ');
}

function query(table: string, rule: HuntRule, bounds: readonly string[]): string {
  return [
    `-- ${rule.id}: ${rule.title}`,
    `SELECT ${RESULT_COLUMNS.join(', ')}`,
    `FROM ${table}`,
    `WHERE ${bounds.join('\n  AND ')}`,
    `  AND (${ruleCondition(rule)})`,
    'ORDER BY eventtime',
  ].join('\n');
}

/**
 * The rule as a saved Athena query whose two parameters are the first and last day (`'yyyy/MM/dd'`), which the console
 * asks for when it runs: a saved hunt cannot run without bounds on the date partitions.
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
  const from = partitionDay('--from', window.from);
  const to = partitionDay('--to', window.to);
  if (from > to) throw new Error(`--from ${window.from} is after --to ${window.to}`);
  for (const account of window.accounts ?? []) {
    if (!/^\d{12}$/.test(account)) throw new Error(`--accounts: got ${JSON.stringify(account)}; expected 12-digit account ids`);
  }
  for (const region of window.regions ?? []) {
    if (!/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region)) throw new Error(`--regions: got ${JSON.stringify(region)}; expected region names such as eu-west-1`);
  }
  const bounds = [`date BETWEEN ${sqlString(from)} AND ${sqlString(to)}`];
  if (window.accounts?.length) bounds.push(`account IN (${window.accounts.map(sqlString).join(', ')})`);
  if (window.regions?.length) bounds.push(`region IN (${window.regions.map(sqlString).join(', ')})`);
  return query(table, rule, bounds);
}
