import { type Caller, classifyCaller } from '../../functions/detector/caller';
import type { UserIdentity } from '../../functions/detector/cloudtrail';
import { identities, WORKLOAD_ACCOUNT } from './records';

/* Caller classification field by field: the kind decides which rules and which response apply, the rest is reported. */

const ROLE = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`;

function session(overrides: { principalId?: string; arn?: string; issuer?: object; ec2RoleDelivery?: string } = {}): UserIdentity {
  return {
    type: 'AssumedRole',
    principalId: overrides.principalId ?? 'AROAEXAMPLEWEB000001:worker',
    arn: overrides.arn ?? `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/worker`,
    accountId: WORKLOAD_ACCOUNT,
    sessionContext: {
      sessionIssuer: overrides.issuer ?? { type: 'Role', arn: ROLE, userName: 'acme-web' },
      ...(overrides.ec2RoleDelivery === undefined ? {} : { ec2RoleDelivery: overrides.ec2RoleDelivery }),
    },
  };
}

describe('caller classification', () => {
  it('gives every field of a role session', () => {
    expect(classifyCaller(identities.apiRole)).toEqual<Caller>({
      kind: 'role-session',
      type: 'AssumedRole',
      name: 'acme-records-api',
      arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-records-api/task-1`,
      accountId: WORKLOAD_ACCOUNT,
      principalId: 'AROAEXAMPLEAPI000001:task-1',
      accessKeyId: 'ASIAEXAMPLEAPI000001',
      roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-records-api`,
      roleName: 'acme-records-api',
      sessionName: 'task-1',
      instanceId: undefined,
      service: undefined,
    });
  });

  it('classifies a service-linked role session as its AWS service, with the role kept', () => {
    expect(classifyCaller(identities.serviceLinkedRole)).toMatchObject({
      kind: 'aws-service',
      type: 'AssumedRole',
      name: 'macie.amazonaws.com',
      service: 'macie.amazonaws.com',
      roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
      roleName: 'AWSServiceRoleForAmazonMacie',
      sessionName: 'AmazonMacieSession',
    });
  });

  it('never takes a role outside the aws-service-role/ path for a service-linked role', () => {
    const lookalikes = [
      `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/team/aws-service-role/macie.amazonaws.com/x`,
      `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-service-role-macie.amazonaws.com/x`,
      `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-service-role/macie.amazonaws.com`,
    ];
    for (const arn of lookalikes) expect([arn, classifyCaller(session({ issuer: { arn, userName: 'x' } })).kind]).toEqual([arn, 'role-session']);
  });

  it('finds the instance of an EC2 role session in the principal id, the session ARN or ec2RoleDelivery', () => {
    expect(classifyCaller(identities.instanceRole)).toMatchObject({ kind: 'instance-role-session', name: 'acme-web', instanceId: 'i-0abc1234def567890', sessionName: 'i-0abc1234def567890' });
    const byArn = classifyCaller(session({ principalId: 'AROAEXAMPLEWEB000001', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/i-0123456789abcdef0` }));
    expect(byArn).toMatchObject({ kind: 'instance-role-session', instanceId: 'i-0123456789abcdef0' });
    const byDelivery = classifyCaller(session({ ec2RoleDelivery: '1.0' }));
    expect(byDelivery).toMatchObject({ kind: 'instance-role-session', instanceId: undefined });
  });

  it('reads an instance id only as the whole last segment, eight to seventeen hexadecimal digits', () => {
    const kindOf = (sessionName: string) =>
      classifyCaller(session({ principalId: `AROAEXAMPLEWEB000001:${sessionName}`, arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/${sessionName}` })).kind;
    expect(kindOf('i-0123abcd')).toBe('instance-role-session');
    expect(kindOf('i-0123456789abcdef0')).toBe('instance-role-session');
    for (const name of ['i-0123abc', 'i-0123456789abcdef01', 'i-0123abcg', 'i-0123abcd-x', 'xi-0123abcd', 'worker']) {
      expect([name, kindOf(name)]).toEqual([name, 'role-session']);
    }
  });

  it('classifies Identity Center permission set roles by their AWSReservedSSO_ name, named after the user', () => {
    expect(classifyCaller(identities.identityCenterRole)).toMatchObject({ kind: 'identity-center', name: 'erin@example.com', roleName: 'AWSReservedSSO_Admin_0123456789abcdef' });
    const notReserved = session({ issuer: { arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/Admin_AWSReservedSSO_`, userName: 'Admin_AWSReservedSSO_' } });
    expect(classifyCaller(notReserved).kind).toBe('role-session');
  });

  it('names a role session from its ARN and principal id when CloudTrail gives no session issuer', () => {
    const bare: UserIdentity = { type: 'AssumedRole', principalId: 'AROAEXAMPLE:task-9', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-records-api/task-9` };
    expect(classifyCaller(bare)).toMatchObject({ kind: 'role-session', name: 'acme-records-api', roleName: 'acme-records-api', roleArn: undefined, sessionName: 'task-9' });
    const idOnly: UserIdentity = { type: 'AssumedRole', principalId: 'AROAEXAMPLE:task-9' };
    expect(classifyCaller(idOnly)).toMatchObject({ kind: 'role-session', name: 'role session', roleName: undefined, sessionName: 'task-9' });
    expect(classifyCaller({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:' }).sessionName).toBeUndefined();
    expect(classifyCaller({ type: 'AssumedRole', principalId: 'AROAEXAMPLE' }).sessionName).toBeUndefined();
    expect(classifyCaller({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/x/' }).sessionName).toBeUndefined();
    expect(classifyCaller({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role' }).roleName).toBeUndefined();
    expect(classifyCaller({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:i-0123456789abcdef0' })).toMatchObject({
      kind: 'instance-role-session',
      name: 'instance role',
    });
  });

  it.each<[string, UserIdentity, Partial<Caller>]>([
    ['root', identities.root, { kind: 'root', name: 'root', accountId: WORKLOAD_ACCOUNT, accessKeyId: 'ASIAEXAMPLEROOT00001' }],
    ['an IAM user', identities.iamUser, { kind: 'iam-user', name: 'alice', principalId: 'AIDAEXAMPLEUSER00001' }],
    ['an IAM user without userName', { type: 'IAMUser', arn: 'arn:aws:iam::1:user/ops/bob' }, { kind: 'iam-user', name: 'bob' }],
    ['an IAM user without a name', { type: 'IAMUser', arn: 'arn:aws:iam::1:user/' }, { kind: 'iam-user', name: 'IAM user' }],
    ['an IAM user without an ARN', { type: 'IAMUser', userName: '' }, { kind: 'iam-user', name: 'IAM user', arn: undefined }],
    ['a federated user', identities.federatedUser, { kind: 'federated-user', name: 'bob' }],
    ['a federated user without an ARN', { type: 'FederatedUser' }, { kind: 'federated-user', name: 'federated user' }],
    ['a web identity', identities.webIdentity, { kind: 'web-identity', name: '1234567890' }],
    ['a web identity without a user name', { type: 'WebIdentityUser', identityProvider: 'cognito-identity.amazonaws.com' }, { kind: 'web-identity', name: 'cognito-identity.amazonaws.com' }],
    ['a bare web identity', { type: 'WebIdentityUser' }, { kind: 'web-identity', name: 'web identity' }],
    ['a SAML user', identities.samlUser, { kind: 'saml', name: 'carol' }],
    ['a bare SAML user', { type: 'SAMLUser' }, { kind: 'saml', name: 'SAML user' }],
    ['an Identity Center user', identities.identityCenterUser, { kind: 'identity-center', name: 'd-1234567890/dave', accountId: WORKLOAD_ACCOUNT }],
    ['an Identity Center user by userId', { type: 'IdentityCenterUser', userId: 'u-1' }, { kind: 'identity-center', name: 'u-1' }],
    ['a bare Identity Center user', { type: 'IdentityCenterUser' }, { kind: 'identity-center', name: 'Identity Center user' }],
    ['another account', identities.otherAccount, { kind: 'other-account', name: 'account 999999999999', accountId: '999999999999' }],
    ['another account known by principal id', { type: 'AWSAccount', principalId: 'AIDAOTHER' }, { kind: 'other-account', name: 'account AIDAOTHER' }],
    ['an anonymous caller', identities.anonymous, { kind: 'anonymous', name: 'anonymous', accountId: undefined }],
    ['an AWSAccount caller with nothing', { type: 'AWSAccount' }, { kind: 'anonymous', name: 'anonymous' }],
    ['an anonymous caller with a principal id', { type: 'AWSAccount', accountId: 'anonymous', principalId: 'x' }, { kind: 'anonymous' }],
    ['an AWS service', identities.awsService, { kind: 'aws-service', name: 'backup.amazonaws.com', service: 'backup.amazonaws.com' }],
    ['an AWS service that names none', { type: 'AWSService' }, { kind: 'aws-service', name: 'AWS service', service: 'AWS service' }],
    ['an unknown type', identities.unknownType, { kind: 'unknown', type: 'Directory', name: 'Directory' }],
    ['no type', identities.noType, { kind: 'unknown', type: '', name: 'unknown caller' }],
    ['a type of the wrong JSON type', { type: 7 } as unknown as UserIdentity, { kind: 'unknown', type: '', name: 'unknown caller' }],
  ])('classifies %s', (_, identity, expected) => {
    expect(classifyCaller(identity)).toMatchObject(expected);
  });

  it('keeps only non-empty string fields', () => {
    const caller = classifyCaller({ type: 'IAMUser', arn: '', accountId: '', principalId: '', accessKeyId: '', userName: 'alice' });
    expect(caller).toMatchObject({ arn: undefined, accountId: undefined, principalId: undefined, accessKeyId: undefined });
  });
});
