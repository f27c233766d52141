import type { UserIdentity } from '../../functions/detector/cloudtrail';
import { PrincipalMatcher, segmentGlob } from '../../functions/detector/principals';
import { identities, MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT } from './records';

/* Which form a principal pattern is read as, and which identity fields a role name is taken from. */

const matcher = (...patterns: string[]) => new PrincipalMatcher(patterns, [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT]);

const sessionOf = (roleName: string): UserIdentity => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/${roleName}/s`,
  accountId: WORKLOAD_ACCOUNT,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${roleName}`, userName: roleName } },
});

describe('pattern forms', () => {
  it('match a whole segment: a pattern is not a suffix or a prefix of a name', () => {
    expect(segmentGlob('records-api')('acme-records-api')).toBe(false);
    expect(segmentGlob('acme')('acme-records-api')).toBe(false);
    expect(matcher('records-api').matchesIdentity(sessionOf('acme-records-api'))).toBe(false);
  });

  it('read a role name that begins with digits as a role name, not an account', () => {
    expect(matcher('2024-reports').matchesIdentity(sessionOf('2024-reports'))).toBe(true);
    expect(matcher('444444444444-app').matchesIdentity(sessionOf('444444444444-app'))).toBe(true);
  });

  it('read a role name that only contains ".amazonaws.com" as a role name, not a service', () => {
    expect(matcher('reader.amazonaws.com-copy').matchesIdentity(sessionOf('reader.amazonaws.com-copy'))).toBe(true);
  });
});

describe('role names', () => {
  it('come from the session issuer, also when the record has no session ARN', () => {
    const { arn: _, ...withoutArn } = sessionOf('acme-records-api');
    expect(matcher('acme-records-api').matchesIdentity(withoutArn)).toBe(true);
  });

  it('are matched for role sessions only, whatever ARN or issuer another identity type carries', () => {
    const unknownType: UserIdentity = { ...sessionOf('acme-records-api'), type: 'Directory', sessionContext: undefined };
    expect(matcher('acme-records-api').matchesIdentity(unknownType)).toBe(false);
    // A federated user's issuer is the IAM user that federated it: that user's patterns do not cover the federated user.
    const federated: UserIdentity = {
      ...identities.federatedUser,
      sessionContext: { sessionIssuer: { type: 'IAMUser', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/federation-broker`, userName: 'federation-broker' } },
    };
    expect(matcher(`arn:aws:iam::${WORKLOAD_ACCOUNT}:user/federation-broker`).matchesIdentity(federated)).toBe(false);
    expect(matcher('federation-broker').matchesIdentity(federated)).toBe(false);
  });

  it('read only string account ids, never failing on another type', () => {
    const numeric = { ...identities.iamUser, accountId: 444444444444 } as unknown as UserIdentity;
    expect(matcher(WORKLOAD_ACCOUNT).matchesIdentity(numeric)).toBe(false);
  });
});
