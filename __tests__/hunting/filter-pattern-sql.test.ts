import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CIS_ALARM_IDS } from '../../config/schema';
import { filterPatternToSql, UnsupportedInSqlError } from '../../lib/hunting/filter-pattern-sql';
import { huntRules, huntSql, MANAGEMENT_WORKLOADS_RULE } from '../../lib/hunting/hunt-queries';
import { matchesFilterPattern, parseFilterPattern } from '../../lib/monitoring/filter-pattern';
import { configWith, exampleConfig } from '../helpers';
import { layOutArchive, openArchive } from './duckdb-archive';

/*
 * Parity: every rule's SQL, run by DuckDB over CloudTrail records laid out as the log archive holds them, selects
 * exactly the records the metric filter evaluator matches.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail');
type CloudTrailRecord = Record<string, unknown>;
const fixtureRecords = (name: string): CloudTrailRecord[] => {
  const content = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
  return Array.isArray(content) ? content : [...content.fires, ...content.doesNotFire];
};

/** Every CloudTrail fixture, plus records that probe the compiler's edges. */
function corpus(): CloudTrailRecord[] {
  const records = [...CIS_ALARM_IDS.flatMap((id) => fixtureRecords(id)), ...fixtureRecords('ordinary')];
  const base = records.find((record) => record.eventName === 'RunInstances') ?? records[0];
  const variant = (changes: CloudTrailRecord): CloudTrailRecord => ({ ...structuredClone(base), ...changes });
  return [
    ...records,
    // Management-account workloads, and the same calls refused or elsewhere.
    variant({ recipientAccountId: '111111111111', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: undefined }),
    variant({ recipientAccountId: '111111111111', eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunction20150331', errorCode: undefined }),
    variant({ recipientAccountId: '111111111111', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation' }),
    variant({ recipientAccountId: '444444444444', eventSource: 's3.amazonaws.com', eventName: 'CreateBucket', errorCode: undefined }),
    // Just before and just after midnight: the first is filed under the next day's partition.
    variant({ recipientAccountId: '111111111111', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: undefined, eventTime: '2026-11-21T23:58:00Z', eventID: 'late-event' }),
    variant({ recipientAccountId: '111111111111', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: undefined, eventTime: '2026-11-22T00:02:00Z', eventID: 'next-day-event' }),
    // Values with SQL's own wildcard and quote characters.
    variant({ eventName: "Create_Bucket%'", errorCode: 'AccessDenied_%' }),
  ].map((record) => JSON.parse(JSON.stringify(record)));
}

describe('hunting SQL', () => {
  const config = exampleConfig();
  const records = corpus();
  let root: string;
  let connection: DuckDBConnection;
  let close: () => void;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'hunt-archive-'));
    layOutArchive(root, config.organization.id, records);
    ({ connection, close } = await openArchive(root));
  });
  afterAll(() => {
    close?.();
    rmSync(root, { recursive: true, force: true });
  });

  /** The rows (as indexes into `records` order of the table) a condition selects. */
  async function selected(condition: string): Promise<Set<string>> {
    const result = await connection.runAndReadAll(`SELECT eventid, eventtime, eventname FROM cloudtrail WHERE ${condition}`);
    return new Set(result.getRows().map((row) => row.join('|')));
  }
  const keyOf = (record: CloudTrailRecord) => [record.eventID, record.eventTime, record.eventName].join('|');

  const patternRules = huntRules(config).filter((rule) => rule.patterns !== undefined);
  it.each(patternRules.map((rule) => [rule.id, rule]))('%s selects exactly what its metric filter matches', async (_id, rule) => {
    const patterns = rule.patterns!.map(parseFilterPattern);
    const expected = new Set(records.filter((record) => patterns.some((pattern) => matchesFilterPattern(pattern, record))).map(keyOf));
    const actual = await selected(`(${patterns.map((pattern) => filterPatternToSql(pattern.expression)).join(' OR ')})`);
    expect([...actual].sort()).toEqual([...expected].sort());
    if (rule.id !== 'console-signin-without-mfa' || expected.size) expect(expected.size).toBeGreaterThan(0);
  });

  it('keeps exclusions and their absent-field reading', async () => {
    const tuned = configWith((input) => {
      input.monitoring = { alarms: { 'unauthorized-api-calls': { exclude: [{ selector: '$.userIdentity.sessionContext.sessionIssuer.userName', value: 'acme-*' }] } } };
    });
    const rule = huntRules(tuned).find((candidate) => candidate.id === 'unauthorized-api-calls')!;
    const [pattern] = rule.patterns!.map(parseFilterPattern);
    const expected = new Set(records.filter((record) => matchesFilterPattern(pattern, record)).map(keyOf));
    expect([...(await selected(filterPatternToSql(pattern.expression)))].sort()).toEqual([...expected].sort());
  });

  it.each([
    ['a wildcard value with SQL wildcards in it', '{ $.errorCode = "AccessDenied_*" }'],
    ['an exact value with a quote and SQL wildcards', `{ $.eventName = "Create_Bucket%'" }`],
    ['a field inside requestParameters', '{ $.requestParameters.bucketName = "*" }'],
    ['a field inside additionalEventData', '{ $.additionalEventData.MFAUsed != "Yes" }'],
    ['NOT EXISTS on a struct field', '{ $.userIdentity.invokedBy NOT EXISTS }'],
    ['a selector that points to an object', '{ $.userIdentity = "x" || $.userIdentity.sessionContext != "x" }'],
    ['a number compared with text', '{ $.eventVersion > 1.05 || $.eventVersion != 1.08 }'],
  ])('matches the evaluator on %s', async (_label, text) => {
    const pattern = parseFilterPattern(text);
    const expected = new Set(records.filter((record) => matchesFilterPattern(pattern, record)).map(keyOf));
    expect([...(await selected(filterPatternToSql(pattern.expression)))].sort()).toEqual([...expected].sort());
  });

  it.each([
    ['a regular expression', '{ $.eventName = %Create.*% }'],
    ['an array element', '{ $.resources[0].ARN = "x" }'],
    ['a wildcard selector', '{ $.userIdentity.* = "x" }'],
    ['IS NULL', '{ $.errorCode IS NULL }'],
    ['a field the table lacks', '{ $.notAField = "x" }'],
  ])('refuses %s rather than compile it to something that matches differently', (_label, text) => {
    expect(() => filterPatternToSql(parseFilterPattern(text).expression)).toThrow(UnsupportedInSqlError);
  });

  it('bounds every query by the date partitions, and by accounts and regions when given', async () => {
    const rule = huntRules(config).find((candidate) => candidate.id === MANAGEMENT_WORKLOADS_RULE)!;
    const sql = huntSql('cloudtrail', rule, { from: '2026-11-01', to: '2026-11-30', accounts: ['111111111111'], regions: ['eu-west-1'] });
    expect(sql).toContain(
      "WHERE date BETWEEN '2026/11/01' AND '2026/12/01'\n  AND eventtime >= '2026-11-01T00:00:00Z'\n  AND eventtime < '2026-12-01T00:00:00Z'\n  AND account IN ('111111111111')\n  AND region IN ('eu-west-1')",
    );
    const rows = (await connection.runAndReadAll(sql)).getRowObjects();
    expect(rows.map((row) => row.eventname).sort()).toEqual(['CreateFunction20150331', 'RunInstances', 'RunInstances', 'RunInstances']);
    const outside = huntSql('cloudtrail', rule, { from: '2020-01-01', to: '2020-01-31' });
    expect((await connection.runAndReadAll(outside)).getRows()).toEqual([]);
  });

  it('finds an event of the last day filed under the next day, and not the next day\'s events', async () => {
    const rule = huntRules(config).find((candidate) => candidate.id === MANAGEMENT_WORKLOADS_RULE)!;
    const rows = (await connection.runAndReadAll(huntSql('cloudtrail', rule, { from: '2026-11-21', to: '2026-11-21' }))).getRowObjects();
    expect(rows.map((row) => row.eventid)).toEqual(['late-event']);
  });

  it.each([
    [{ from: '2026-13-01', to: '2026-12-01' }, /--from: got "2026-13-01"; expected a day such as 2026-11-20/],
    [{ from: '2026-11-20', to: '2026-11-01' }, /--from 2026-11-20 is after --to 2026-11-01/],
    [{ from: '2026-11-01', to: '2026-11-02', accounts: ['1234'] }, /--accounts: got "1234"; expected 12-digit account ids/],
    [{ from: '2026-11-01', to: '2026-11-02', regions: ["eu-west-1'--"] }, /--regions: got/],
  ])('refuses a bad window %j', (window, message) => {
    expect(() => huntSql('cloudtrail', huntRules(config)[0], window)).toThrow(message);
  });
});
