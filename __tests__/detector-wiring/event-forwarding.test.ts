import { EVENT_PATTERN_MAX_CHARACTERS, eventPatternSize, forwardedEventPattern, forwardedEventPatterns } from '../../lib/detector/event-forwarding';
import { matches } from './event-pattern';

/* Which CloudTrail events a forwarding rule sends to the detector, for the rules the configuration turns on. */

/** The S3 rules; the network activity rule's branch is tested on its own (vpc-endpoint-forwarding.test.ts). */
const ALL_RULES = { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, bucketEnumeration: true, vpcEndpointAccess: false };
const BUCKETS = ['acme-customer-records', 'acme-payroll'];
const OWNER = '444444444444';

type Event = Record<string, never>;

/** An EventBridge event as CloudTrail delivers it. */
function cloudTrailEvent(detail: Record<string, unknown>, source = 'aws.s3', account = OWNER): Event {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account,
    time: '2026-11-22T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      eventVersion: '1.10',
      eventTime: '2026-11-22T10:00:00Z',
      eventSource: `${source.slice(4)}.amazonaws.com`,
      awsRegion: 'eu-west-1',
      sourceIPAddress: '198.51.100.7',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: 'arn:aws:sts::444444444444:assumed-role/analyst/alice',
      },
      recipientAccountId: OWNER,
      ...detail,
    },
  } as unknown as Event;
}

/** A read as CloudTrail records it: the object's ARN in resources, whatever name the request used. */
const read = (eventName: string, bucket: string, extra: Record<string, unknown> = {}, requestBucket = bucket) =>
  cloudTrailEvent({
    eventName,
    requestParameters: { bucketName: requestBucket, key: 'customers/1.csv', ...extra },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/customers/1.csv` },
      { accountId: OWNER, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
  });
const instanceIdentity = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEID:i-0123456789abcdef0',
  arn: 'arn:aws:sts::444444444444:assumed-role/web/i-0123456789abcdef0',
  sessionContext: { ec2RoleDelivery: '2.0' },
};

describe('the events forwarded to the detector', () => {
  const { pattern, readOnlyManagementEvents } = forwardedEventPattern(OWNER, BUCKETS, ALL_RULES)!;
  const forwarded = (event: Event) => matches(pattern as never, event);

  it('include reads of objects in the monitored buckets', () => {
    expect(forwarded(read('GetObject', 'acme-customer-records'))).toBe(true);
    expect(forwarded(read('SelectObjectContent', 'acme-payroll'))).toBe(true);
  });

  it('include reads through an access point or its alias, matched on the object ARN CloudTrail lists', () => {
    expect(forwarded(read('GetObject', 'acme-payroll', {}, 'arn:aws:s3:eu-west-1:444444444444:accesspoint/finance'))).toBe(true);
    expect(forwarded(read('GetObject', 'acme-payroll', {}, 'finance-abcdefghijklmnopqrstuvwxyz123-s3alias'))).toBe(true);
  });

  it('leave out reads of other buckets, of buckets whose name merely starts like a monitored one, and writes', () => {
    expect(forwarded(read('GetObject', 'acme-website'))).toBe(false);
    expect(forwarded(read('GetObject', 'acme-payroll-archive'))).toBe(false);
    expect(forwarded(read('PutObject', 'acme-customer-records'))).toBe(false);
    expect(forwarded(read('DeleteObject', 'acme-customer-records'))).toBe(false);
  });

  it('include copies out of a monitored bucket, whichever bucket receives them', () => {
    expect(forwarded(read('CopyObject', 'acme-scratch', { 'x-amz-copy-source': 'acme-customer-records/customers/1.csv' }))).toBe(true);
    expect(forwarded(read('UploadPartCopy', 'acme-scratch', { 'x-amz-copy-source': '/acme-payroll/2026/11.csv' }))).toBe(true);
    expect(forwarded(read('CopyObject', 'acme-scratch', { 'x-amz-copy-source': 'acme-customer-records-old/x' }))).toBe(false);
  });

  it('include ListBuckets by anyone', () => {
    expect(forwarded(cloudTrailEvent({ eventName: 'ListBuckets', requestParameters: { host: ['s3.eu-west-1.amazonaws.com'] } }))).toBe(true);
  });

  it('include any call made with EC2 instance credentials, but not by AWS services on their behalf', () => {
    const describe = (sourceIPAddress: string) =>
      cloudTrailEvent({ eventName: 'DescribeInstances', userIdentity: instanceIdentity, sourceIPAddress }, 'aws.ec2');
    expect(forwarded(describe('203.0.113.9'))).toBe(true);
    expect(forwarded(describe('autoscaling.amazonaws.com'))).toBe(false);
    const ordinary = cloudTrailEvent({ eventName: 'DescribeInstances' }, 'aws.ec2');
    expect(forwarded(ordinary)).toBe(false);
  });

  it('are matched with read-only management events enabled, which ListBuckets and Describe calls are', () => {
    expect(readOnlyManagementEvents).toBe(true);
  });
});

describe('forged events on the default bus', () => {
  const { pattern } = forwardedEventPattern(OWNER, BUCKETS, ALL_RULES)!;
  const forwarded = (event: Event) => matches(pattern as never, event);
  // Anyone allowed events:PutEvents on the default bus can send these: any source but "aws.", any detail-type.
  const forge = (event: Event, source: string) => ({ ...event, source }) as unknown as Event;

  it.each(['acme.forged', 'custom', 's3.amazonaws.com', 'awss3'])('are not forwarded with the source %s', (source) => {
    const instanceCall = cloudTrailEvent({ eventName: 'GetCallerIdentity', userIdentity: instanceIdentity, sourceIPAddress: '203.0.113.9' }, 'aws.sts');
    expect(forwarded(forge(instanceCall, source))).toBe(false);
    expect(forwarded(forge(read('GetObject', 'acme-payroll'), source))).toBe(false);
    expect(forwarded(forge(cloudTrailEvent({ eventName: 'ListBuckets' }), source))).toBe(false);
  });

  it('are not forwarded when the record names another recipient account', () => {
    const event = read('GetObject', 'acme-payroll') as unknown as { detail: Record<string, unknown> };
    expect(forwarded({ ...event, detail: { ...event.detail, recipientAccountId: '111111111111' } } as unknown as Event)).toBe(false);
  });
});

describe('rules turned off', () => {
  it('without the enumeration and instance-credential rules, only object reads are forwarded, as plain events', () => {
    const forwarding = forwardedEventPattern(OWNER, BUCKETS, { ...ALL_RULES, bucketEnumeration: false, instanceCredentialsOutsideAws: false })!;
    expect(forwarding.readOnlyManagementEvents).toBe(false);
    expect(matches(forwarding.pattern as never, read('GetObject', 'acme-payroll'))).toBe(true);
    expect(matches(forwarding.pattern as never, cloudTrailEvent({ eventName: 'ListBuckets' }))).toBe(false);
  });

  it('with the enumeration rule alone, object reads are not forwarded', () => {
    const forwarding = forwardedEventPattern(OWNER, BUCKETS, { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: true, vpcEndpointAccess: false })!;
    expect(matches(forwarding.pattern as never, read('GetObject', 'acme-payroll'))).toBe(false);
    expect(matches(forwarding.pattern as never, cloudTrailEvent({ eventName: 'ListBuckets' }))).toBe(true);
  });

  it('with every rule off, nothing is forwarded', () => {
    expect(forwardedEventPattern(OWNER, BUCKETS, { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: false, vpcEndpointAccess: false })).toBeUndefined();
  });
});

describe("EventBridge's event pattern size quota", () => {
  // 40 buckets with 63-character names in one account and region: one pattern would be far over 2,048 characters.
  const manyBuckets = Array.from({ length: 40 }, (_, index) => `acme-${String(index).padStart(2, '0')}-${'x'.repeat(55)}`);

  it('one pattern for all the buckets would not fit', () => {
    expect(eventPatternSize(forwardedEventPattern(OWNER, manyBuckets, ALL_RULES)!.pattern)).toBeGreaterThan(EVENT_PATTERN_MAX_CHARACTERS);
  });

  it('spreads the buckets over rules whose patterns each fit, and forwards a read of every bucket', () => {
    const patterns = forwardedEventPatterns(OWNER, manyBuckets, ALL_RULES);
    expect(patterns.length).toBeGreaterThan(1);
    for (const { pattern } of patterns) expect(eventPatternSize(pattern)).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARACTERS);
    for (const bucket of manyBuckets) {
      const rulesForwarding = patterns.filter(({ pattern }) => matches(pattern as never, read('GetObject', bucket)));
      expect(rulesForwarding).toHaveLength(1);
    }
  });

  it('forwards ListBuckets and instance-credential calls from the first rule only (no duplicates)', () => {
    const patterns = forwardedEventPatterns(OWNER, manyBuckets, ALL_RULES);
    const listing = cloudTrailEvent({ eventName: 'ListBuckets' });
    expect(patterns.map(({ pattern }) => matches(pattern as never, listing))).toEqual([true, ...patterns.slice(1).map(() => false)]);
    expect(patterns.map((forwarding) => forwarding.readOnlyManagementEvents)).toEqual([true, ...patterns.slice(1).map(() => false)]);
  });

  it('keeps a small configuration in one rule', () => {
    expect(forwardedEventPatterns(OWNER, BUCKETS, ALL_RULES)).toHaveLength(1);
  });

  it('fails at synth, naming the bucket, when a single bucket cannot fit the quota', () => {
    expect(() => forwardedEventPatterns(OWNER, ['acme-payroll'], ALL_RULES, 500)).toThrow(
      /detector\.monitoredBuckets: "acme-payroll": the forwarding rule's event pattern would be \d+ characters; EventBridge accepts at most 500/,
    );
  });
});
