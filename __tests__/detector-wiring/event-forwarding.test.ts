import { forwardedEventPattern } from '../../lib/detector/event-forwarding';
import { matches } from './event-pattern';

/* Which CloudTrail events a forwarding rule sends to the detector, for the rules the configuration turns on. */

const ALL_RULES = { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, bucketEnumeration: true };
const BUCKETS = ['acme-customer-records', 'acme-payroll'];

type Event = Record<string, never>;

/** An EventBridge event as CloudTrail delivers it. */
function cloudTrailEvent(detail: Record<string, unknown>, source = 'aws.s3'): Event {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '444444444444',
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
      ...detail,
    },
  } as unknown as Event;
}

const read = (eventName: string, bucketName: string, extra: Record<string, unknown> = {}) =>
  cloudTrailEvent({ eventName, requestParameters: { bucketName, key: 'customers/1.csv', ...extra } });
const instanceIdentity = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEID:i-0123456789abcdef0',
  arn: 'arn:aws:sts::444444444444:assumed-role/web/i-0123456789abcdef0',
  sessionContext: { ec2RoleDelivery: '2.0' },
};

describe('the events forwarded to the detector', () => {
  const { pattern, readOnlyManagementEvents } = forwardedEventPattern(BUCKETS, ALL_RULES)!;
  const forwarded = (event: Event) => matches(pattern as never, event);

  it('include reads of objects in the monitored buckets', () => {
    expect(forwarded(read('GetObject', 'acme-customer-records'))).toBe(true);
    expect(forwarded(read('SelectObjectContent', 'acme-payroll'))).toBe(true);
  });

  it('leave out reads of other buckets, and writes to the monitored ones', () => {
    expect(forwarded(read('GetObject', 'acme-website'))).toBe(false);
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

describe('rules turned off', () => {
  it('without the enumeration and instance-credential rules, only object reads are forwarded, as plain events', () => {
    const forwarding = forwardedEventPattern(BUCKETS, { ...ALL_RULES, bucketEnumeration: false, instanceCredentialsOutsideAws: false })!;
    expect(forwarding.readOnlyManagementEvents).toBe(false);
    expect(matches(forwarding.pattern as never, read('GetObject', 'acme-payroll'))).toBe(true);
    expect(matches(forwarding.pattern as never, cloudTrailEvent({ eventName: 'ListBuckets' }))).toBe(false);
  });

  it('with the enumeration rule alone, object reads are not forwarded', () => {
    const forwarding = forwardedEventPattern(BUCKETS, { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: true })!;
    expect(matches(forwarding.pattern as never, read('GetObject', 'acme-payroll'))).toBe(false);
    expect(matches(forwarding.pattern as never, cloudTrailEvent({ eventName: 'ListBuckets' }))).toBe(true);
  });

  it('with every rule off, nothing is forwarded', () => {
    expect(forwardedEventPattern(BUCKETS, { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: false })).toBeUndefined();
  });
});
