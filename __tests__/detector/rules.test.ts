import { MalformedEventError } from '../../functions/detector/cloudtrail';
import { createDetector } from '../../functions/detector/detector';
import type { Finding } from '../../functions/detector/finding';
import { parseCopySource } from '../../functions/detector/rules/sensitive-object-access';
import type { DetectorSettings } from '../../functions/detector/settings';
import { identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

const detector = createDetector(settings);
const rulesOf = (record: unknown) => detector.evaluate(record).map((finding) => finding.rule);
const only = (rule: Finding['rule'], record: unknown) => detector.evaluate(record).find((finding) => finding.rule === rule);
const inside = { sourceIPAddress: '203.0.113.40' };

describe('sensitive object access', () => {
  it('alerts when a monitored key is read by an instance role from an unknown address (the SSRF pattern)', () => {
    const finding = only('sensitive-object-access', objectRead(identities.instanceRole));
    expect(finding).toMatchObject({
      who: { kind: 'instance-role-session', roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`, accessKeyId: 'ASIAEXAMPLEWEB000001' },
      from: { sourceIp: '198.51.100.7' },
      what: { bucket: 'acme-customer-records', key: 'customers/2026/accounts.json', eventName: 'GetObject', region: 'eu-west-1' },
    });
    expect(finding!.reason).toMatch(/not an authorized principal.*outside the authorized networks/);
  });

  it('stays quiet for an authorized role from an authorized IPv4 network', () => {
    expect(rulesOf(objectRead(identities.apiRole, {}, inside))).toEqual([]);
  });

  it('stays quiet for an authorized role through an authorized VPC endpoint', () => {
    expect(rulesOf(objectRead(identities.apiRole, {}, { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0a1b2c3d4e5f60718' }))).toEqual([]);
  });

  it('matches role ARN globs and IPv6 networks', () => {
    const batch = {
      ...identities.apiRole,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-batch-nightly`, userName: 'acme-batch-nightly' } },
    };
    expect(rulesOf(objectRead(batch, {}, { sourceIPAddress: '2001:db8:1234:5::9' }))).toEqual([]);
    expect(rulesOf(objectRead(batch, {}, { sourceIPAddress: '2001:db8:9999::9' }))).toEqual(['sensitive-object-access']);
  });

  it('alerts when an authorized role reads from outside the authorized networks', () => {
    const finding = only('sensitive-object-access', objectRead(identities.apiRole));
    expect(finding?.reason).toBe('source is outside the authorized networks and VPC endpoints');
  });

  it('alerts when an authorized role reads through a VPC endpoint that is not authorized', () => {
    const record = objectRead(identities.apiRole, {}, { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fffffffffffffff0' });
    expect(rulesOf(record)).toEqual(['sensitive-object-access']);
  });

  it('alerts when an unauthorized principal reads from an authorized network', () => {
    expect(only('sensitive-object-access', objectRead(identities.iamUser, {}, inside))?.reason).toBe('iam-user caller is not an authorized principal');
  });

  it('matches keys by glob across "/" and by keyword, case-insensitively', () => {
    const read = (key: string) => rulesOf(objectRead(identities.iamUser, { key }, inside));
    expect(read('exports/2026/REPORT.CSV')).toEqual(['sensitive-object-access']);
    expect(read('archive/Customer-SSN-list.txt')).toEqual(['sensitive-object-access']);
    expect(read('Customers/a/b.json')).toEqual(['sensitive-object-access']);
    expect(read('public/logo.png')).toEqual([]);
    expect(read('customers')).toEqual([]);
  });

  it('ignores buckets that are not monitored and calls that do not read content', () => {
    expect(rulesOf(objectRead(identities.iamUser, { bucket: 'acme-website' }, inside))).toEqual([]);
    expect(rulesOf(objectRead(identities.iamUser, { eventName: 'HeadObject' }, inside))).toEqual([]);
    expect(rulesOf(objectRead(identities.iamUser, { eventName: 'PutObject' }, inside))).toEqual([]);
  });

  it('treats a copy out of a monitored bucket as a read of its source key', () => {
    const copy = objectRead(identities.iamUser, { eventName: 'CopyObject' }, {
      ...inside,
      requestParameters: { bucketName: 'attacker-bucket', key: 'loot.csv', 'x-amz-copy-source': 'acme-customer-records/customers/a%20b.json?versionId=3' },
    });
    expect(only('sensitive-object-access', copy)?.what).toMatchObject({ bucket: 'acme-customer-records', key: 'customers/a b.json' });
    expect(parseCopySource('/b/k')).toEqual({ bucket: 'b', key: 'k' });
    expect(parseCopySource('bucket-only')).toBeUndefined();
  });

  it('judges only the principal when an authorized AWS service reads for the caller (no client address)', () => {
    const viaBackup = { ...identities.apiRole, invokedBy: 'backup.amazonaws.com' };
    expect(rulesOf(objectRead(viaBackup, {}, { sourceIPAddress: 'backup.amazonaws.com' }))).toEqual([]);
    const userViaBackup = { ...identities.iamUser, invokedBy: 'backup.amazonaws.com' };
    expect(rulesOf(objectRead(userViaBackup, {}, { sourceIPAddress: 'backup.amazonaws.com' }))).toEqual(['sensitive-object-access']);
  });

  it('counts a source that is neither an address nor an AWS service as outside', () => {
    expect(rulesOf(objectRead(identities.apiRole, {}, { sourceIPAddress: 'example.com' }))).toEqual(['sensitive-object-access']);
    expect(rulesOf(objectRead(identities.apiRole, {}, { sourceIPAddress: undefined }))).toEqual(['sensitive-object-access']);
  });

  it('exempts AWS service callers only when their service principal is listed', () => {
    expect(rulesOf(objectRead(identities.awsService, {}, { sourceIPAddress: 'backup.amazonaws.com' }))).toEqual([]);
    const replication = { type: 'AWSService', invokedBy: 's3.amazonaws.com' };
    expect(only('sensitive-object-access', objectRead(replication, {}, { sourceIPAddress: 's3.amazonaws.com' }))?.who).toMatchObject({
      kind: 'aws-service',
      name: 's3.amazonaws.com',
    });
  });

  it('reports denied reads with their error code', () => {
    const finding = only('sensitive-object-access', objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied' }));
    expect(finding?.what.errorCode).toBe('AccessDenied');
  });
});

describe('every caller type is classified without failing', () => {
  const cases: [keyof typeof identities, string, boolean][] = [
    ['apiRole', 'role-session', false],
    ['instanceRole', 'instance-role-session', true],
    ['iamUser', 'iam-user', true],
    ['root', 'root', true],
    ['otherAccount', 'other-account', true],
    ['anonymous', 'anonymous', true],
    ['awsService', 'aws-service', false],
    ['serviceLinkedRole', 'aws-service', true],
    ['federatedUser', 'federated-user', true],
    ['webIdentity', 'web-identity', true],
    ['samlUser', 'saml', true],
    ['identityCenterUser', 'identity-center', true],
    ['identityCenterRole', 'identity-center', true],
    ['unknownType', 'unknown', true],
    ['noType', 'unknown', true],
  ];
  it.each(cases)('%s is classified as %s (alerts on a sensitive read: %s)', (name, kind, alerts) => {
    const record = objectRead(identities[name], {}, inside);
    const finding = only('sensitive-object-access', record);
    expect(Boolean(finding)).toBe(alerts);
    const listing = only('bucket-enumeration', listBuckets(identities[name]));
    expect(listing?.who.kind ?? 'not reported').toBe(name === 'serviceLinkedRole' ? 'not reported' : kind);
  });

  it('names anonymous callers without an account', () => {
    expect(only('bucket-enumeration', listBuckets(identities.anonymous))?.who).toMatchObject({ kind: 'anonymous', name: 'anonymous', accountId: undefined });
  });
});

describe('instance credentials used outside AWS', () => {
  it('alerts when instance-role credentials are used from an address outside the authorized networks', () => {
    const finding = only('instance-credentials-outside-aws', listBuckets(identities.instanceRole));
    expect(finding).toMatchObject({ who: { instanceId: 'i-0abc1234def567890', kind: 'instance-role-session' }, from: { sourceIp: '198.51.100.7' } });
  });

  it('stays quiet inside the authorized networks and through a VPC endpoint of the same account', () => {
    expect(only('instance-credentials-outside-aws', listBuckets(identities.instanceRole, inside))).toBeUndefined();
    const endpoint = { sourceIPAddress: '10.0.3.4', vpcEndpointId: 'vpce-0123456789abcdef0', vpcEndpointAccountId: WORKLOAD_ACCOUNT };
    expect(only('instance-credentials-outside-aws', listBuckets(identities.instanceRole, endpoint))).toBeUndefined();
  });

  it("alerts through another account's VPC endpoint", () => {
    const foreign = { sourceIPAddress: '10.9.9.9', vpcEndpointId: 'vpce-0999999999999999f', vpcEndpointAccountId: '999999999999' };
    expect(only('instance-credentials-outside-aws', listBuckets(identities.instanceRole, foreign))).toBeDefined();
  });

  it('stays quiet when an AWS service calls with the instance credentials', () => {
    expect(only('instance-credentials-outside-aws', listBuckets(identities.instanceRole, { sourceIPAddress: 'ec2.amazonaws.com' }))).toBeUndefined();
  });

  it('recognizes instance sessions by their session name or by ec2RoleDelivery alone', () => {
    const { ec2RoleDelivery: _, ...contextWithoutDelivery } = identities.instanceRole.sessionContext;
    const byName = { ...identities.instanceRole, sessionContext: contextWithoutDelivery };
    const byDelivery = { ...identities.instanceRole, principalId: 'AROAEXAMPLEWEB000001:web', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/web` };
    expect(only('instance-credentials-outside-aws', objectRead(byName, { key: 'public/a.png' }))).toBeDefined();
    expect(only('instance-credentials-outside-aws', objectRead(byDelivery, { key: 'public/a.png' }))).toBeDefined();
  });

  it('ignores other role sessions from outside', () => {
    expect(only('instance-credentials-outside-aws', listBuckets(identities.apiRole))).toBeUndefined();
  });
});

describe('bucket enumeration', () => {
  it('alerts when a workload role lists the buckets', () => {
    expect(only('bucket-enumeration', listBuckets(identities.apiRole, inside))?.reason).toBe('role-session caller is not an enumeration principal');
  });

  it('stays quiet for enumeration principals, by role ARN and by service principal', () => {
    const inventory = { ...identities.apiRole, sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/inventory`, userName: 'inventory' } } };
    expect(rulesOf(listBuckets(inventory, inside))).toEqual([]);
    expect(rulesOf(listBuckets(identities.serviceLinkedRole, { sourceIPAddress: 'macie.amazonaws.com' }))).toEqual([]);
  });
});

describe('rule toggles', () => {
  it('runs only the enabled rules', () => {
    const quiet: DetectorSettings = { ...settings, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } };
    expect(createDetector(quiet).evaluate(objectRead(identities.instanceRole)).map((finding) => finding.rule)).toEqual(['instance-credentials-outside-aws']);
  });
});

describe('malformed and truncated records are failures, never skipped', () => {
  const complete = objectRead(identities.iamUser);
  const without = (field: string) => Object.fromEntries(Object.entries(complete).filter(([key]) => key !== field));
  it.each([
    ['null', null],
    ['a string', 'GetObject'],
    ['an array', [complete]],
    ['no eventName', without('eventName')],
    ['no eventSource', without('eventSource')],
    ['no eventTime', without('eventTime')],
    ['no eventID', without('eventID')],
    ['no userIdentity', without('userIdentity')],
    ['a string userIdentity', { ...complete, userIdentity: 'alice' }],
    ['requestParameters as a string', { ...complete, requestParameters: 'bucketName=x' }],
    ['a record cut after its first fields', { eventVersion: '1.10', userIdentity: identities.iamUser, eventTime: '2026-11-21T10:15:00Z' }],
  ])('throws MalformedEventError for %s', (_, record) => {
    expect(() => detector.evaluate(record)).toThrow(MalformedEventError);
  });

  it('names the event id and the missing field', () => {
    expect(() => detector.evaluate(without('eventName'))).toThrow(`malformed event ${String(complete.eventID)}: missing or empty "eventName"`);
  });
});
