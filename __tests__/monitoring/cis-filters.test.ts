import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CIS_ALARM_IDS, type CisAlarmId } from '../../config/schema';
import { cisMetricFilters, cisPattern } from '../../lib/monitoring/cis-filters';
import { type FilterPattern, matchesFilterPattern, parseFilterPattern } from '../../lib/monitoring/filter-pattern';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack } from '../helpers';
import { synthManagement } from './management-synth';

/*
 * Every CIS filter, read back from the synthesized management stack, run through the evaluator against CloudTrail
 * records written after the CloudTrail record reference: each fires on the events of its item, and on nothing else.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail');
type CloudTrailRecord = Record<string, unknown>;
interface ItemFixture {
  readonly fires: CloudTrailRecord[];
  readonly doesNotFire: CloudTrailRecord[];
}
const fixture = (id: CisAlarmId): ItemFixture => JSON.parse(readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8'));
const ordinary: CloudTrailRecord[] = JSON.parse(readFileSync(path.join(FIXTURES, 'ordinary.json'), 'utf8'));
const describeRecord = (record: CloudTrailRecord) =>
  `${record.eventSource} ${record.eventName} by ${(record.userIdentity as { type?: string }).type}${record.errorCode ? ` (${record.errorCode})` : ''}`;

/** The synthesized filter patterns by CIS item, keyed back from the filter names. */
function synthesizedPatterns(stack: SynthesizedStack): Map<CisAlarmId, string> {
  const patterns = new Map<CisAlarmId, string>();
  for (const filter of Object.values(resourcesOf(stack, 'aws_cloudwatch_log_metric_filter'))) {
    if (!String(filter.name).startsWith('acme-cis-')) continue;
    const id = String(filter.name).replace(/^acme-cis-/, '') as CisAlarmId;
    patterns.set(id, String(filter.pattern));
  }
  return patterns;
}

const synthesized = synthesizedPatterns(synthManagement());
const compiled = new Map<CisAlarmId, FilterPattern>([...synthesized].map(([id, text]) => [id, parseFilterPattern(text)]));
const firing = (record: CloudTrailRecord) => [...compiled].filter(([, pattern]) => matchesFilterPattern(pattern, record)).map(([id]) => id);

describe('the synthesized CIS filters', () => {
  it('are the fifteen CIS monitoring items, each with the published pattern text', () => {
    expect([...synthesized.keys()].sort()).toEqual([...CIS_ALARM_IDS].sort());
    for (const id of CIS_ALARM_IDS) expect(synthesized.get(id)).toBe(cisPattern(id));
  });

  it.each(CIS_ALARM_IDS.map((id) => [id]))('%s fires on each of its events', (id) => {
    const { fires } = fixture(id);
    expect(fires.length).toBeGreaterThan(0);
    for (const record of fires) {
      expect({ record: describeRecord(record), fires: matchesFilterPattern(compiled.get(id)!, record) }).toEqual({
        record: describeRecord(record),
        fires: true,
      });
    }
  });

  it.each(CIS_ALARM_IDS.map((id) => [id]))('%s does not fire on the near misses of its item', (id) => {
    for (const record of fixture(id).doesNotFire) {
      expect({ record: describeRecord(record), fires: matchesFilterPattern(compiled.get(id)!, record) }).toEqual({
        record: describeRecord(record),
        fires: false,
      });
    }
  });

  it('fire on none of the ordinary traffic', () => {
    expect(ordinary.length).toBeGreaterThan(10);
    for (const record of ordinary) expect({ record: describeRecord(record), firing: firing(record) }).toEqual({ record: describeRecord(record), firing: [] });
  });

  it('fire on the raw JSON lines CloudWatch Logs receives, as on parsed records', () => {
    const [record] = fixture('root-account-usage').fires;
    expect(firing(JSON.parse(JSON.stringify(record)))).toEqual(firing(record));
    expect(matchesFilterPattern(compiled.get('root-account-usage')!, JSON.stringify(record))).toBe(true);
  });
});

describe('scanner recognition', () => {
  // What pattern-matching scanners look for: each published event name compared to $.eventName, in any order.
  const requiredNames: Partial<Record<CisAlarmId, string[]>> = {
    'iam-policy-changes': ['DeleteGroupPolicy', 'PutRolePolicy', 'CreatePolicyVersion', 'DetachGroupPolicy'],
    'route-table-changes': ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'],
    'security-group-changes': ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules'],
    'organizations-changes': ['AcceptHandshake', 'CancelHandshake', 'CreateOrganization', 'EnableAllFeatures', 'UpdateOrganizationalUnit'],
  };

  it.each(Object.entries(requiredNames))('%s names every event exactly', (id, names) => {
    const pattern = synthesized.get(id as CisAlarmId)!;
    for (const name of names) expect(pattern).toMatch(new RegExp(`\\$\\.eventName\\s*=\\s*"?${name}"?\\s*\\)`));
  });

  it('keeps the clauses scanners look for in the root usage and unauthorized calls patterns', () => {
    expect(synthesized.get('root-account-usage')).toMatch(
      /\$\.userIdentity\.type\s*=\s*"Root".+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*"AwsServiceEvent"/,
    );
    expect(synthesized.get('unauthorized-api-calls')).toMatch(/\$\.errorCode\s*=\s*"\*UnauthorizedOperation".+\$\.errorCode\s*=\s*"AccessDenied\*"/);
  });
});

describe('configured exclusions', () => {
  const scanner = 'arn:aws:sts::444444444444:assumed-role/acme-readonly/*';
  const config = configWith((input) => {
    input.monitoring = {
      alarms: {
        'unauthorized-api-calls': { exclude: [{ selector: '$.userIdentity.arn', value: scanner }] },
        'vpc-changes': { enabled: false },
      },
    };
  });
  const patterns = synthesizedPatterns(synthManagement(config));

  it('keep the CIS text verbatim inside the pattern', () => {
    const pattern = patterns.get('unauthorized-api-calls')!;
    const cisBody = cisPattern('unauthorized-api-calls').slice(1, -1).trim();
    expect(pattern).toContain(`(${cisBody})`);
    expect(pattern).toBe(cisMetricFilters(config).find((filter) => filter.id === 'unauthorized-api-calls')!.pattern);
  });

  it('silence the excluded principal only, and still fire for events without the field', () => {
    const pattern = parseFilterPattern(patterns.get('unauthorized-api-calls')!);
    const events = fixture('unauthorized-api-calls').fires;
    const excluded = events.filter((record) => String((record.userIdentity as { arn?: string }).arn).startsWith(scanner.slice(0, -1)));
    expect(excluded).toHaveLength(1);
    for (const record of events) expect(matchesFilterPattern(pattern, record)).toBe(!excluded.includes(record));
    const withoutArn = events.find((record) => !(record.userIdentity as { arn?: string }).arn);
    expect(withoutArn).toBeDefined();
    expect(matchesFilterPattern(pattern, withoutArn)).toBe(true);
  });

  it('apply to the whole CIS pattern, not to its last "||" branch', () => {
    // The published pattern has a top-level "||": appended without parentheses, the exclusion would miss
    // *UnauthorizedOperation events.
    const pattern = parseFilterPattern(patterns.get('unauthorized-api-calls')!);
    const event = {
      errorCode: 'Client.UnauthorizedOperation',
      sourceIPAddress: '198.51.100.1',
      eventName: 'DescribeInstances',
      userIdentity: { arn: 'arn:aws:sts::444444444444:assumed-role/acme-readonly/carol' },
    };
    expect(matchesFilterPattern(pattern, event)).toBe(false);
  });

  it('leave a disabled item out, and the others as published', () => {
    expect(patterns.has('vpc-changes')).toBe(false);
    expect(patterns.size).toBe(14);
    expect(patterns.get('root-account-usage')).toBe(cisPattern('root-account-usage'));
  });
});

describe('cisMetricFilters', () => {
  it('names each item with its CIS v7 control, in benchmark order', () => {
    const filters = cisMetricFilters(exampleConfig());
    expect(filters.map((filter) => filter.control)).toEqual(CIS_ALARM_IDS.map((_, index) => `CIS 5.${index + 1}`));
    expect(new Set(filters.map((filter) => filter.metricName)).size).toBe(15);
  });
});
