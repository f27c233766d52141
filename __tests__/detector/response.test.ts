import { createDetector } from '../../functions/detector/detector';
import type { Finding } from '../../functions/detector/finding';
import { REVOCATION_POLICY_NAME, responsePlan, revocationPolicy, weakEvidence } from '../../functions/detector/response';
import { identities, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* The response plan computed directly from findings: the exact plan enforce mode would apply, and each refusal. */

const NOW = new Date('2026-11-21T10:16:00.000Z');

function findingOf(record: Record<string, unknown>): Finding {
  const [finding] = createDetector(settings).evaluate(record);
  if (!finding) throw new Error('expected a finding');
  return finding;
}

describe('the revocation policy', () => {
  it('is the IAM policy language version 2012-10-17 denying everything to sessions issued before the time', () => {
    // Policies should always state the current language version, 2012-10-17
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html).
    expect(JSON.parse(revocationPolicy('2026-11-21T09:00:08Z'))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T09:00:08Z' } } }],
    });
  });
});

describe('the response plan', () => {
  const dryRun = { ...settings, response: 'dry-run' as const };

  it('is nothing at all when the response is off', () => {
    expect(responsePlan(findingOf(objectRead(identities.apiRole)), settings, NOW)).toBeUndefined();
  });

  it('names the role, the response role of its account and partition, and the policy, in dry-run as in enforce mode', () => {
    const plan = responsePlan(findingOf(objectRead(identities.apiRole, {}, { eventTime: '2026-11-21T09:00:07.250Z' })), dryRun, NOW);
    expect(plan).toEqual({
      action: 'revoke-role-sessions',
      mode: 'dry-run',
      roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-records-api`,
      roleName: 'acme-records-api',
      responseRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`,
      policyName: REVOCATION_POLICY_NAME,
      revokeIssuedBefore: '2026-11-21T09:00:08Z',
      policyDocument: revocationPolicy('2026-11-21T09:00:08Z'),
    });
    expect(REVOCATION_POLICY_NAME).toBe('RevokeOlderSessions');
  });

  it('keeps the partition of the role for the response role', () => {
    const china = {
      ...identities.apiRole,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws-cn:iam::${WORKLOAD_ACCOUNT}:role/team/acme-records-api`, userName: 'acme-records-api' } },
    };
    const plan = responsePlan(findingOf(objectRead(china)), dryRun, NOW);
    expect(plan).toMatchObject({ roleName: 'acme-records-api', responseRoleArn: `arn:aws-cn:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response` });
  });

  it('accepts an event time exactly at the end of the clock-skew tolerance, not a millisecond later', () => {
    const at = (eventTime: string) => responsePlan(findingOf(objectRead(identities.apiRole, {}, { eventTime })), dryRun, NOW)?.action;
    expect(at('2026-11-21T10:21:00.000Z')).toBe('revoke-role-sessions');
    expect(at('2026-11-21T10:21:00.001Z')).toBe('none');
  });

  it('protects roles by name and by ARN without regard to case', () => {
    const named = (roleName: string, account = WORKLOAD_ACCOUNT) => ({
      ...identities.apiRole,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${roleName}`, userName: roleName } },
    });
    const protectedByArn = { ...dryRun, protectedRoles: [`ARN:AWS:IAM::${WORKLOAD_ACCOUNT}:ROLE/ACME-RECORDS-API`] };
    expect(responsePlan(findingOf(objectRead(named('acme-records-api'))), protectedByArn, NOW)).toMatchObject({ action: 'none', reason: 'acme-records-api is a protected role' });
    expect(responsePlan(findingOf(objectRead(named('Acme-Records-Api'))), { ...dryRun, protectedRoles: ['ACME-records-API'] }, NOW)).toMatchObject({ action: 'none' });
    // An ARN entry protects that ARN only, not a role of the same name as its last segment.
    expect(responsePlan(findingOf(objectRead(named('acme-records-api'))), { ...dryRun, protectedRoles: [`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/other/acme-records-api`] }, NOW)).toMatchObject({
      action: 'revoke-role-sessions',
    });
  });

  it('explains why a caller without a role session is not revoked', () => {
    const reason = (identity: object) => (responsePlan(findingOf(objectRead(identity)), dryRun, NOW) as { reason?: string }).reason;
    expect(reason(identities.iamUser)).toBe('no role session to revoke for a iam-user caller');
    expect(reason(identities.identityCenterRole)).toBe('Identity Center roles are managed by Identity Center: revoke the user session there');
    expect(reason(identities.serviceLinkedRole)).toBe('AWS service callers are not revoked');
  });

  it('revokes an instance role session used from outside AWS, never a role managed by AWS', () => {
    const instanceOnly = { ...dryRun, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } };
    const [finding] = createDetector(instanceOnly).evaluate(objectRead(identities.instanceRole));
    expect(responsePlan(finding, instanceOnly, NOW)).toMatchObject({ action: 'revoke-role-sessions', roleName: 'acme-web' });
    const linkedPath: Finding = { ...finding, who: { ...finding.who, roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-service-role/ec2.amazonaws.com/x` } };
    expect(responsePlan(linkedPath, instanceOnly, NOW)).toMatchObject({ action: 'none', reason: 'roles managed by AWS are never revoked' });
  });
});

describe('the evidence needed to revoke', () => {
  const base = findingOf(objectRead(identities.apiRole));
  const instance: Finding = { ...base, rule: 'instance-credentials-outside-aws' };

  it('is a successful sensitive read, or instance credentials used from an IP address without an endpoint', () => {
    expect(weakEvidence(base)).toBeUndefined();
    expect(weakEvidence(instance)).toBeUndefined();
    expect(weakEvidence({ ...instance, from: { sourceIp: '2001:db8::1' } })).toBeUndefined();
  });

  it('is never a denied call, a call through an endpoint, a service name as source, or an enumeration', () => {
    expect(weakEvidence({ ...base, what: { ...base.what, errorCode: 'AccessDenied' } })).toBe('the call was denied (AccessDenied): a probe is not a use');
    expect(weakEvidence({ ...instance, from: { sourceIp: '198.51.100.7', vpcEndpointId: 'vpce-0fedcba9876543210' } })).toBe('the call came through a VPC endpoint, inside AWS');
    expect(weakEvidence({ ...instance, from: { sourceIp: 'ec2.amazonaws.com' } })).toBe('the call did not come from an address outside AWS');
    expect(weakEvidence({ ...instance, from: {} })).toBe('the call did not come from an address outside AWS');
    expect(weakEvidence({ ...base, rule: 'bucket-enumeration' })).toBe('enumeration is not evidence of stolen credentials');
  });
});
