import { createDetector } from '../../functions/detector/detector';
import { type Finding, messageOf, RULE_LABELS, SUBJECT_LIMIT, subjectOf } from '../../functions/detector/finding';
import { identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* Findings as a person reads them: the subject line and the message body. */

const [read] = createDetector(settings).evaluate(objectRead(identities.iamUser, { key: 'customers/1.json' }));

describe('a finding', () => {
  it('carries who, from where and what of the record', () => {
    const record = objectRead(identities.instanceRole, {}, { vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: '999999999999', errorCode: 'AccessDenied' });
    const [finding] = createDetector(settings).evaluate(record);
    expect(finding).toEqual<Finding>({
      rule: 'sensitive-object-access',
      reason: 'instance-role-session caller is not an authorized principal; source is outside the authorized networks and VPC endpoints',
      who: {
        type: 'AssumedRole',
        kind: 'instance-role-session',
        name: 'acme-web',
        arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/i-0abc1234def567890`,
        roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`,
        accountId: WORKLOAD_ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEWEB000001',
        instanceId: 'i-0abc1234def567890',
      },
      from: { sourceIp: '198.51.100.7', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: '999999999999', userAgent: record.userAgent as string },
      what: {
        eventName: 'GetObject',
        eventSource: 's3.amazonaws.com',
        bucket: 'acme-customer-records',
        key: 'customers/2026/accounts.json',
        eventId: record.eventID as string,
        eventTime: '2026-11-21T10:15:00Z',
        region: 'eu-west-1',
        account: WORKLOAD_ACCOUNT,
        errorCode: 'AccessDenied',
      },
    });
  });
});

describe('the subject of a finding', () => {
  it('names the rule, the outcome, the caller, the origin and the object', () => {
    expect(subjectOf(read)).toBe('Sensitive S3 read by alice from 198.51.100.7: acme-customer-records/customers/1.json');
    expect(subjectOf({ ...read, what: { ...read.what, errorCode: 'AccessDenied' } })).toBe(
      'Sensitive S3 read (AccessDenied) by alice from 198.51.100.7: acme-customer-records/customers/1.json',
    );
    expect(subjectOf({ ...read, from: { ...read.from, vpcEndpointId: 'vpce-0fedcba9876543210' } })).toBe(
      'Sensitive S3 read by alice from vpce-0fedcba9876543210: acme-customer-records/customers/1.json',
    );
    expect(subjectOf({ ...read, from: {} })).toBe('Sensitive S3 read by alice from unknown address: acme-customer-records/customers/1.json');
    expect(subjectOf({ ...read, what: { ...read.what, key: undefined } })).toBe('Sensitive S3 read by alice from 198.51.100.7: acme-customer-records');
  });

  it('names the call when there is no object', () => {
    const [listing] = createDetector(settings).evaluate(listBuckets(identities.iamUser));
    expect(subjectOf(listing)).toBe('S3 bucket enumeration by alice from 198.51.100.7: ListBuckets');
    expect(RULE_LABELS['instance-credentials-outside-aws']).toBe('Instance credentials used outside AWS');
  });

  it('begins with the words of its rule, distinct for every rule, so a person can sort findings by subject', () => {
    const by = (rule: Finding['rule']) => subjectOf({ ...read, rule });
    expect(by('vpc-endpoint-access')).toBe('VPC endpoint access by alice from 198.51.100.7: acme-customer-records/customers/1.json');
    expect(by('mass-download')).toBe('S3 mass download by alice from 198.51.100.7: acme-customer-records/customers/1.json');
    const labels = Object.values(RULE_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('replaces what is not printable ASCII, and cuts at the SNS limit with an ellipsis', () => {
    expect(subjectOf({ ...read, what: { ...read.what, key: 'a\nb\u007fé~' } })).toBe('Sensitive S3 read by alice from 198.51.100.7: acme-customer-records/a?b??~');
    const fits = `k${'x'.repeat(SUBJECT_LIMIT - 'Sensitive S3 read by alice from 198.51.100.7: acme-customer-records/'.length - 1)}`;
    expect(subjectOf({ ...read, what: { ...read.what, key: fits } })).toHaveLength(SUBJECT_LIMIT);
    expect(subjectOf({ ...read, what: { ...read.what, key: fits } }).endsWith('x')).toBe(true);
    const long = subjectOf({ ...read, what: { ...read.what, key: `${fits}y` } });
    expect(long).toHaveLength(SUBJECT_LIMIT);
    expect(long.endsWith('xx...')).toBe(true);
    expect(SUBJECT_LIMIT).toBe(100);
  });
});

describe('the message of a finding', () => {
  it('is the finding as indented JSON, with the response and the repeats only when there are', () => {
    expect(messageOf(read)).toBe(JSON.stringify(read, null, 2));
    expect(JSON.parse(messageOf(read, { action: 'none' }))).toEqual({ ...read, response: { action: 'none' } });
    expect(JSON.parse(messageOf(read, undefined, { suppressedInPreviousWindow: 3 }))).toEqual({ ...read, repeats: { suppressedInPreviousWindow: 3 } });
    expect(Object.keys(JSON.parse(messageOf(read, undefined, undefined)))).toEqual(['rule', 'reason', 'who', 'from', 'what']);
  });
});
