import { createDetector } from '../../functions/detector/detector';
import { createHandler, type Notification } from '../../functions/detector/handler';
import { type RevocationDecision, type RevocationPlan, revocationDecision } from '../../functions/detector/response';
import type { DetectorSettings } from '../../functions/detector/settings';
import { eventBridgeSourceOf, untrustedReason } from '../../functions/detector/trust';
import { eventBridgeEvent, identities, listBuckets, MANAGEMENT_ACCOUNT, objectRead, OUTSIDE_ACCOUNT, settings, WORKLOAD_ACCOUNT } from './records';

/*
 * The detector attacked as an admin of a member account would: forged events, reads through someone else's network
 * or an AWS service, names that match in other accounts, and enforce mode turned against the organization.
 */

const NOW = new Date('2026-11-21T10:16:00.000Z');

function harness(overrides: Partial<DetectorSettings> = {}, decision: RevocationDecision = 'apply') {
  const published: Notification[] = [];
  const revoked: RevocationPlan[] = [];
  const logs: string[] = [];
  const handler = createHandler({
    settings: { ...settings, ...overrides },
    publish: async (notification) => {
      published.push(notification);
    },
    revoke: async (plan) => {
      revoked.push(plan);
      return decision;
    },
    log: (line) => logs.push(line),
    now: () => NOW,
  });
  return { handler, published, revoked, logs };
}

const rulesOf = (record: Record<string, unknown>, overrides: Partial<DetectorSettings> = {}) =>
  createDetector({ ...settings, ...overrides })
    .evaluate(record)
    .map((finding) => finding.rule);

/** The management account's admin role, as a forger would name it in a sessionIssuer. */
const managementAdmin = {
  type: 'AssumedRole',
  principalId: 'AROAFORGED0000000001:i-0123456789abcdef0',
  arn: `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Admin/i-0123456789abcdef0`,
  accountId: MANAGEMENT_ACCOUNT,
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Admin`, accountId: MANAGEMENT_ACCOUNT, userName: 'Admin' },
    ec2RoleDelivery: '2.0',
  },
};

describe('forged events', () => {
  const forged = (envelope: Record<string, unknown>, record = objectRead(managementAdmin, {}, { recipientAccountId: WORKLOAD_ACCOUNT })) => ({
    ...eventBridgeEvent(record),
    ...envelope,
  });

  it.each([
    ['a custom source with the CloudTrail detail-type', { source: 'acme.forged' }],
    ['a custom source that looks like S3', { source: 's3.amazonaws.com' }],
    ['an AWS source of another service than the record names', { source: 'aws.ec2' }],
    ['no source at all', { source: undefined }],
    ['an account other than the one CloudTrail wrote the record for', { account: '555555555555' }],
  ])('drop %s: no finding, no revocation, an UntrustedEvents metric', async (_, envelope) => {
    const { handler, published, revoked, logs } = harness({ response: 'enforce' });
    const result = await handler(forged(envelope));
    expect(result.findings).toBe(0);
    expect(result.rejected).toEqual(expect.any(String));
    expect(published).toEqual([]);
    expect(revoked).toEqual([]);
    expect(JSON.parse(logs[0])).toMatchObject({ level: 'WARN', UntrustedEvents: 1 });
  });

  it('drop a record delivered in an account outside the organization', async () => {
    const { handler, published } = harness();
    const record = objectRead(identities.iamUser, {}, { recipientAccountId: OUTSIDE_ACCOUNT });
    const result = await handler({ ...eventBridgeEvent(record), account: OUTSIDE_ACCOUNT });
    expect(result.rejected).toBe(`account ${OUTSIDE_ACCOUNT} is not an account of the organization`);
    expect(published).toEqual([]);
  });

  it('judge the real event: source aws.s3, delivered in the recipient account', async () => {
    const { handler, published } = harness();
    const result = await handler(eventBridgeEvent(objectRead(identities.iamUser)));
    expect(result.rejected).toBeUndefined();
    expect(published).toHaveLength(1);
  });

  it('judge instance credentials of other services, CloudWatch included (aws.cloudwatch for monitoring.amazonaws.com)', async () => {
    const { handler, published } = harness();
    const record = objectRead(identities.instanceRole, {}, { eventSource: 'monitoring.amazonaws.com', eventName: 'PutMetricData', requestParameters: {} });
    await handler({ ...eventBridgeEvent(record), source: 'aws.cloudwatch' });
    expect(published.map((message) => message.rule)).toEqual(['instance-credentials-outside-aws']);
  });
});

describe('reads through a VPC endpoint', () => {
  const privateNetworks = { authorizedCidrs: [...settings.authorizedCidrs, '10.0.0.0/8'] };
  const throughEndpoint = (owner: string | undefined, identity: object = identities.apiRole) =>
    objectRead(identity, {}, { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: owner });

  it("are outside when the endpoint is another account's, whatever the address", () => {
    expect(rulesOf(throughEndpoint(OUTSIDE_ACCOUNT), privateNetworks)).toEqual(['sensitive-object-access']);
  });

  it('are outside when CloudTrail names no endpoint owner', () => {
    expect(rulesOf(throughEndpoint(undefined), privateNetworks)).toEqual(['sensitive-object-access']);
  });

  it("are judged on the authorized CIDRs when the endpoint is an organization account's", () => {
    expect(rulesOf(throughEndpoint(MANAGEMENT_ACCOUNT), privateNetworks)).toEqual([]);
    expect(rulesOf(throughEndpoint(WORKLOAD_ACCOUNT), privateNetworks)).toEqual([]);
    expect(rulesOf(throughEndpoint(WORKLOAD_ACCOUNT))).toEqual(['sensitive-object-access']);
  });

  it('are authorized through an authorized endpoint, whoever owns it', () => {
    const record = objectRead(identities.apiRole, {}, { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0a1b2c3d4e5f60718', vpcEndpointAccountId: OUTSIDE_ACCOUNT });
    expect(rulesOf(record)).toEqual([]);
  });

  it("count instance credentials used through another account's endpoint as outside, an organization endpoint as inside", () => {
    expect(rulesOf(throughEndpoint(OUTSIDE_ACCOUNT, identities.instanceRole), privateNetworks)).toContain('instance-credentials-outside-aws');
    expect(rulesOf(throughEndpoint(WORKLOAD_ACCOUNT, identities.instanceRole))).not.toContain('instance-credentials-outside-aws');
  });
});

describe('principal names', () => {
  const inAccount = (account: string, roleName: string, path = '') => ({
    ...identities.apiRole,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/task-1`,
    accountId: account,
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${path}${roleName}`, accountId: account, userName: roleName },
    },
  });
  const fromOffice = (identity: object) => objectRead(identity, {}, { sourceIPAddress: '203.0.113.9' });

  it('a bare role name matches that role in the organization only, never the same name elsewhere', () => {
    expect(rulesOf(fromOffice(inAccount(WORKLOAD_ACCOUNT, 'acme-records-api')))).toEqual([]);
    expect(rulesOf(fromOffice(inAccount(MANAGEMENT_ACCOUNT, 'acme-records-api')))).toEqual([]);
    expect(rulesOf(fromOffice(inAccount(OUTSIDE_ACCOUNT, 'acme-records-api')))).toEqual(['sensitive-object-access']);
  });

  it('"*" in an ARN pattern does not reach into a role path', () => {
    expect(rulesOf(fromOffice(inAccount(WORKLOAD_ACCOUNT, 'acme-batch-nightly')))).toEqual([]);
    expect(rulesOf(fromOffice(inAccount(WORKLOAD_ACCOUNT, 'intruder', 'acme-batch-x/')))).toEqual(['sensitive-object-access']);
  });

  it('an ARN pattern with a wildcard account matches organization accounts only; a literal account matches itself', () => {
    const anyAccount = { authorizedPrincipals: ['arn:aws:iam::*:role/reporting'] };
    expect(rulesOf(fromOffice(inAccount(WORKLOAD_ACCOUNT, 'reporting')), anyAccount)).toEqual([]);
    expect(rulesOf(fromOffice(inAccount(OUTSIDE_ACCOUNT, 'reporting')), anyAccount)).toEqual(['sensitive-object-access']);
    const partner = { authorizedPrincipals: [`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/reporting`] };
    expect(rulesOf(fromOffice(inAccount(OUTSIDE_ACCOUNT, 'reporting')), partner)).toEqual([]);
  });

  it('an account pattern with a wildcard matches organization accounts only', () => {
    const wildcard = { authorizedPrincipals: ['*9999'] };
    expect(rulesOf(fromOffice(inAccount(OUTSIDE_ACCOUNT, 'anything')), wildcard)).toEqual(['sensitive-object-access']);
    expect(rulesOf(fromOffice(inAccount(OUTSIDE_ACCOUNT, 'anything')), { authorizedPrincipals: [OUTSIDE_ACCOUNT] })).toEqual([]);
  });
});

describe('reads through an AWS service', () => {
  const viaAthena = (invokedBy: string | undefined) =>
    objectRead({ ...identities.apiRole, ...(invokedBy ? { invokedBy } : {}) }, {}, { sourceIPAddress: 'athena.amazonaws.com' });

  it('waive the network test for no service unless it is listed', () => {
    expect(rulesOf(viaAthena('athena.amazonaws.com'))).toEqual(['sensitive-object-access']);
  });

  it('waive it for a listed service only when invokedBy names the same service', () => {
    const athena = { authorizedServices: ['athena.amazonaws.com'] };
    expect(rulesOf(viaAthena('athena.amazonaws.com'), athena)).toEqual([]);
    expect(rulesOf(viaAthena(undefined), athena)).toEqual(['sensitive-object-access']);
    expect(rulesOf(viaAthena('glue.amazonaws.com'), athena)).toEqual(['sensitive-object-access']);
  });

  it('never authorize an unlisted principal, even through a listed service', () => {
    const user = objectRead({ ...identities.iamUser, invokedBy: 'athena.amazonaws.com' }, {}, { sourceIPAddress: 'athena.amazonaws.com' });
    expect(rulesOf(user, { authorizedServices: ['athena.amazonaws.com'] })).toEqual(['sensitive-object-access']);
  });
});

describe('enforce mode', () => {
  const enforce = { response: 'enforce' as const };
  const planOf = (notification: Notification) => JSON.parse(notification.message).response;

  it('never revokes for enumeration', async () => {
    const { handler, revoked, published } = harness(enforce);
    await handler(eventBridgeEvent(listBuckets(identities.apiRole)));
    expect(revoked).toEqual([]);
    expect(planOf(published[0])).toMatchObject({ action: 'none', reason: 'enumeration is not evidence of stolen credentials' });
  });

  it('never revokes for a denied read (a probe of a key that may not exist)', async () => {
    const { handler, revoked, published } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { errorCode: 'NoSuchKey' })));
    await handler(eventBridgeEvent(objectRead(identities.instanceRole, {}, { errorCode: 'AccessDenied', sourceIPAddress: '192.0.2.1' })));
    expect(revoked).toEqual([]);
    expect(planOf(published[0]).reason).toBe('the call was denied (NoSuchKey): a probe is not a use');
  });

  it('revokes for a successful sensitive read, as of the event time', async () => {
    const { handler, revoked } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { eventTime: '2026-11-21T09:00:07Z' })));
    expect(revoked).toHaveLength(1);
    expect(revoked[0].revokeIssuedBefore).toBe('2026-11-21T09:00:08Z');
    expect(JSON.parse(revoked[0].policyDocument).Statement[0].Condition).toEqual({ DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T09:00:08Z' } });
  });

  it('revokes instance credentials used from a public address, not through an endpoint or service', async () => {
    const { handler, revoked } = harness({ ...enforce, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } });
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(revoked.map((plan) => plan.roleName)).toEqual(['acme-web']);
    const { handler: again, revoked: none } = harness({ ...enforce, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } });
    await again(eventBridgeEvent(objectRead(identities.instanceRole, {}, { vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: OUTSIDE_ACCOUNT })));
    await again(eventBridgeEvent(objectRead(identities.instanceRole, {}, { sourceIPAddress: 'not-an-address' })));
    expect(none).toEqual([]);
  });

  const sessionOf = (account: string, roleName: string, path = '') => ({
    ...identities.apiRole,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/s`,
    accountId: account,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${path}${roleName}`, accountId: account, userName: roleName } },
  });

  it.each([
    ['the deployment role', sessionOf(WORKLOAD_ACCOUNT, 'OrganizationAccountAccessRole'), 'OrganizationAccountAccessRole is a protected role'],
    ['the detector function', sessionOf(WORKLOAD_ACCOUNT, 'acme-s3-access-detector'), 'acme-s3-access-detector is a protected role'],
    ['the response role itself', sessionOf(WORKLOAD_ACCOUNT, 'acme-detector-response'), 'the response role is never revoked by itself'],
    ['a break-glass role named by ARN', sessionOf('222222222222', 'break-glass'), 'break-glass is a protected role'],
    ['a role in an account without a response role', sessionOf(MANAGEMENT_ACCOUNT, 'Admin'), `account ${MANAGEMENT_ACCOUNT} has no response role`],
    ['a role managed by AWS', sessionOf(WORKLOAD_ACCOUNT, 'AWSReservedThing', 'aws-reserved/x/'), 'roles managed by AWS are never revoked'],
  ])('never revokes %s', async (_, identity, reason) => {
    const { handler, revoked, published } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(identity)));
    expect(revoked).toEqual([]);
    expect(planOf(published[0])).toMatchObject({ action: 'none', reason });
  });

  it('protects a role named by ARN in that account only', async () => {
    const { handler, revoked } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(sessionOf(WORKLOAD_ACCOUNT, 'break-glass'))));
    expect(revoked).toHaveLength(1);
  });

  it('does not trust an event time in the future to set the revocation time', async () => {
    const { handler, revoked, published } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { eventTime: '2026-11-21T10:30:00Z' })));
    expect(revoked).toEqual([]);
    expect(planOf(published[0]).reason).toBe('the event time is in the future');
  });

  it('tolerates a few minutes of clock skew', async () => {
    const { handler, revoked } = harness(enforce);
    await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { eventTime: '2026-11-21T10:20:00Z' })));
    expect(revoked).toHaveLength(1);
  });
});

describe('the revocation decision, shared across copies of the function through the role policy', () => {
  const plan = (revokeIssuedBefore: string) => ({ revokeIssuedBefore }) as RevocationPlan;
  const existing = (time: string) => JSON.stringify({ Statement: [{ Condition: { DateLessThan: { 'aws:TokenIssueTime': time } } }] });

  it('applies when the role has no revocation policy, or one that is not ours', () => {
    expect(revocationDecision(undefined, plan('2026-11-21T10:00:00Z'))).toBe('apply');
    expect(revocationDecision('not json', plan('2026-11-21T10:00:00Z'))).toBe('apply');
    expect(revocationDecision(JSON.stringify({ Statement: [] }), plan('2026-11-21T10:00:00Z'))).toBe('apply');
  });

  it('never moves the revocation time back (a retried or late event is already covered)', () => {
    expect(revocationDecision(existing('2026-11-21T10:00:00Z'), plan('2026-11-21T10:00:00Z'))).toBe('covered');
    expect(revocationDecision(existing('2026-11-21T10:00:00Z'), plan('2026-11-21T09:00:00Z'))).toBe('covered');
  });

  it('leaves the role alone within the cooldown, and revokes again after it', () => {
    expect(revocationDecision(existing('2026-11-21T10:00:00Z'), plan('2026-11-21T10:14:59Z'))).toBe('cooldown');
    expect(revocationDecision(existing('2026-11-21T10:00:00Z'), plan('2026-11-21T10:15:00Z'))).toBe('apply');
  });

  it('reports a finding in cooldown without claiming a revocation', async () => {
    const { handler, published } = harness({ response: 'enforce' }, 'cooldown');
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(JSON.parse(published[0].message).response).toMatchObject({ applied: false, decision: 'cooldown' });
  });
});

describe('finding floods', () => {
  it('publish one message per rule, principal and source in a window, with the count of the rest in the next', async () => {
    const { handler, published, logs } = harness();
    const probe = (eventTime: string) => eventBridgeEvent(objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied', eventTime }));
    const start = Date.parse('2026-11-21T10:00:00Z');
    for (let at = 0; at < 50; at++) await handler(probe(new Date(start + at * 5000).toISOString()));
    expect(published).toHaveLength(1);
    expect(logs.filter((line) => JSON.parse(line).SuppressedFindings === 1)).toHaveLength(49);
    await handler(probe('2026-11-21T10:05:00Z'));
    expect(published).toHaveLength(2);
    expect(JSON.parse(published[1].message).repeats).toEqual({ suppressedInPreviousWindow: 49 });
  });

  it('keep findings of another source or principal apart', async () => {
    const { handler, published } = harness();
    await handler(eventBridgeEvent(objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied' })));
    await handler(eventBridgeEvent(objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied', sourceIPAddress: '198.51.100.8' })));
    await handler(eventBridgeEvent(objectRead(identities.root, {}, { errorCode: 'AccessDenied' })));
    expect(published).toHaveLength(3);
  });

  it('always publish a finding whose revocation was applied', async () => {
    const { handler, published } = harness({ response: 'enforce' });
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(published).toHaveLength(2);
  });
});

describe('the trust decision, reason by reason', () => {
  const organization = new Set([WORKLOAD_ACCOUNT]);
  const record = (overrides: Record<string, unknown> = {}) => ({ eventSource: 's3.amazonaws.com', recipientAccountId: WORKLOAD_ACCOUNT, ...overrides });
  const envelope = (overrides: Record<string, unknown> = {}) => ({ source: 'aws.s3', account: WORKLOAD_ACCOUNT, ...overrides });

  it('maps event sources to the sources AWS gives their events, and nothing else', () => {
    expect(eventBridgeSourceOf('s3.amazonaws.com')).toBe('aws.s3');
    expect(eventBridgeSourceOf('monitoring.amazonaws.com')).toBe('aws.cloudwatch');
    expect(eventBridgeSourceOf('s3.amazonaws.com.attacker.example')).toBeUndefined();
    expect(eventBridgeSourceOf('evil.s3.amazonaws.com')).toBeUndefined();
    expect(eventBridgeSourceOf('attacker.example')).toBeUndefined();
  });

  it.each([
    [envelope({ source: 'acme.s3' }), record(), 'source "acme.s3" is not an AWS service'],
    [envelope({ source: 42 }), record(), 'source 42 is not an AWS service'],
    [envelope({ source: 'aws.ec2' }), record(), 'source "aws.ec2" does not match eventSource "s3.amazonaws.com"'],
    [envelope(), record({ eventSource: 7 }), 'source "aws.s3" does not match eventSource 7'],
    [envelope({ account: OUTSIDE_ACCOUNT }), record(), `account "${OUTSIDE_ACCOUNT}" does not match recipientAccountId "${WORKLOAD_ACCOUNT}"`],
    [envelope({ account: 444444444444 }), record({ recipientAccountId: 444444444444 }), 'account 444444444444 does not match recipientAccountId 444444444444'],
    [envelope({ account: OUTSIDE_ACCOUNT }), record({ recipientAccountId: OUTSIDE_ACCOUNT }), `account ${OUTSIDE_ACCOUNT} is not an account of the organization`],
  ])('rejects %j with %j', (event, detail, reason) => {
    expect(untrustedReason(event, detail, organization)).toBe(reason);
  });

  it('accepts what CloudTrail delivered', () => {
    expect(untrustedReason(envelope(), record(), organization)).toBeUndefined();
  });
});

describe('enforcement reasons', () => {
  const enforce = { response: 'enforce' as const };
  const reasonFor = async (record: Record<string, unknown>, overrides: Partial<DetectorSettings> = enforce) => {
    const { handler, published, revoked } = harness(overrides);
    await handler(eventBridgeEvent(record));
    expect(revoked).toEqual([]);
    return JSON.parse(published[published.length - 1].message).response.reason;
  };
  const instanceOnly = { ...enforce, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } };

  it('explains each refusal to revoke', async () => {
    expect(await reasonFor(objectRead(identities.instanceRole, {}, { eventTime: 'yesterday' }))).toBe('the event time is not a time');
    expect(await reasonFor(objectRead(identities.instanceRole, {}, { vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: OUTSIDE_ACCOUNT }), instanceOnly)).toBe(
      'the call came through a VPC endpoint, inside AWS',
    );
    expect(await reasonFor(objectRead(identities.instanceRole, {}, { sourceIPAddress: undefined }), instanceOnly)).toBe('the call did not come from an address outside AWS');
    const noIssuer = { ...identities.apiRole, sessionContext: {} };
    expect(await reasonFor(objectRead(noIssuer))).toBe('the role ARN of the session is unknown');
    expect(await reasonFor(objectRead({ type: 'AWSService', invokedBy: 'athena.amazonaws.com' }, {}, { sourceIPAddress: 'athena.amazonaws.com' }))).toBe(
      'AWS service callers are not revoked',
    );
  });
});
