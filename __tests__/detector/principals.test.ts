import type { UserIdentity } from '../../functions/detector/cloudtrail';
import { accountOfArn, PrincipalMatcher, segmentGlob } from '../../functions/detector/principals';
import { identities, MANAGEMENT_ACCOUNT, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from './records';

/* Principal lists, form by form: which callers each pattern admits, and which it must not. */

const ORGANIZATION = [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT];

const matcher = (...patterns: string[]) => new PrincipalMatcher(patterns, ORGANIZATION);

function roleSession(account: string, roleName: string, path = '', session = 'task-1'): UserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
    accountId: account,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${path}${roleName}`, accountId: account, userName: roleName } },
  };
}

describe('segment globs', () => {
  it.each<[string, string, boolean]>([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['abc', 'abcd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a*c', 'ac', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abcd', false],
    ['a*bc', 'abxbc', true],
    ['a*b?', 'abxbc', true],
    ['*b', 'aab', true],
    ['*', '', true],
    ['ab**', 'ab', true],
    ['ab*?', 'ab', false],
    ['ABC', 'abc', true],
    ['abc', 'ABC', true],
    ['a*', 'a/b', false],
    ['a*', 'a:b', false],
    ['a:*', 'a:b', true],
    ['a:*', 'a/b', false],
    ['a/*', 'a/b/c', false],
    ['a/*/c', 'a/b/c', true],
    ['a/*/c', 'a/b/d', false],
    ['a:b/c', 'a/b:c', false],
  ])('%s against %s: %s', (glob, text, expected) => {
    expect(segmentGlob(glob)(text)).toBe(expected);
  });
});

describe('the account of an ARN', () => {
  it('is its fifth field when that is twelve digits', () => {
    expect(accountOfArn(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/x`)).toBe(WORKLOAD_ACCOUNT);
    expect(accountOfArn('arn:aws:iam::*:role/x')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::44444444444:role/x')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::4444444444444:role/x')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::x444444444444:role/x')).toBeUndefined();
    expect(accountOfArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(accountOfArn('acme-records-api')).toBeUndefined();
  });
});

describe('principal lists', () => {
  it('match an account id literally, for every caller of that account, inside the organization or not', () => {
    expect(matcher(OUTSIDE_ACCOUNT).matchesIdentity(identities.otherAccount)).toBe(true);
    expect(matcher(WORKLOAD_ACCOUNT).matchesIdentity(identities.iamUser)).toBe(true);
    expect(matcher(WORKLOAD_ACCOUNT).matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'anything'))).toBe(true);
    expect(matcher(MANAGEMENT_ACCOUNT).matchesIdentity(identities.iamUser)).toBe(false);
  });

  it('match an account pattern with wildcards in organization accounts only', () => {
    expect(matcher('4444*').matchesIdentity(identities.iamUser)).toBe(true);
    expect(matcher('44444444444?').matchesIdentity(identities.iamUser)).toBe(true);
    expect(matcher('9999*').matchesIdentity(identities.otherAccount)).toBe(false);
    expect(matcher('9999*').matchesIdentity(roleSession(OUTSIDE_ACCOUNT, 'x'))).toBe(false);
  });

  it('do not read thirteen digits, or an account id CloudTrail wrote wrongly, as an account', () => {
    expect(matcher(`${WORKLOAD_ACCOUNT}4`).matchesIdentity(identities.iamUser)).toBe(false);
    expect(matcher('4444*').matchesIdentity({ ...identities.iamUser, accountId: `${WORKLOAD_ACCOUNT}4`, arn: undefined })).toBe(false);
    expect(matcher('4444*').matchesIdentity({ ...identities.iamUser, accountId: '4444', arn: undefined })).toBe(false);
  });

  it('match a user ARN, and nothing of another user or account', () => {
    const alice = matcher(`arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice`);
    expect(alice.matchesIdentity(identities.iamUser)).toBe(true);
    expect(alice.matchesIdentity({ ...identities.iamUser, arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/mallory` })).toBe(false);
    expect(alice.matchesIdentity({ ...identities.iamUser, arn: `arn:aws:iam::${OUTSIDE_ACCOUNT}:user/alice`, accountId: OUTSIDE_ACCOUNT })).toBe(false);
  });

  it('match a role ARN for its sessions, and a session ARN pattern for the sessions it names', () => {
    expect(matcher(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`).matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-web'))).toBe(true);
    expect(matcher(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`).matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-web2'))).toBe(false);
    const sessions = matcher(`arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/batch-*`);
    expect(sessions.matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-web', '', 'batch-7'))).toBe(true);
    expect(sessions.matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-web', '', 'console'))).toBe(false);
  });

  it('match an ARN pattern with a wildcard account in organization accounts only, through the session ARN as through the role ARN', () => {
    const anyAccount = matcher('arn:aws:sts::*:assumed-role/reporting/*');
    expect(anyAccount.matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'reporting'))).toBe(true);
    expect(anyAccount.matchesIdentity(roleSession(OUTSIDE_ACCOUNT, 'reporting'))).toBe(false);
    const anyUser = matcher('arn:aws:iam::*:user/alice');
    expect(anyUser.matchesIdentity(identities.iamUser)).toBe(true);
    expect(anyUser.matchesIdentity({ ...identities.iamUser, arn: `arn:aws:iam::${OUTSIDE_ACCOUNT}:user/alice`, accountId: WORKLOAD_ACCOUNT })).toBe(false);
  });

  it('match a bare role name for role sessions of organization accounts only, never for a user of that name', () => {
    const api = matcher('acme-records-api');
    expect(api.matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-records-api'))).toBe(true);
    expect(api.matchesIdentity(roleSession(OUTSIDE_ACCOUNT, 'acme-records-api'))).toBe(false);
    expect(api.matchesIdentity({ ...identities.iamUser, userName: 'acme-records-api', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/acme-records-api` })).toBe(false);
    expect(matcher('ACME-*').matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-records-api'))).toBe(true);
  });

  it('take the role name and its account from the session ARN when CloudTrail gives no session issuer', () => {
    const withoutIssuer = (account: string): UserIdentity => ({ ...roleSession(account, 'acme-records-api'), sessionContext: {} });
    expect(matcher('acme-records-api').matchesIdentity(withoutIssuer(WORKLOAD_ACCOUNT))).toBe(true);
    expect(matcher('acme-records-api').matchesIdentity(withoutIssuer(OUTSIDE_ACCOUNT))).toBe(false);
    expect(matcher('acme-records-api').matchesIdentity({ type: 'AssumedRole', accountId: WORKLOAD_ACCOUNT })).toBe(false);
    expect(matcher('*').matchesIdentity({ type: 'AssumedRole', accountId: WORKLOAD_ACCOUNT, arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role` })).toBe(false);
  });

  it('judge a role name by the account of its role, not the account CloudTrail says the caller is in', () => {
    const crossAccount: UserIdentity = { ...roleSession(OUTSIDE_ACCOUNT, 'acme-records-api'), accountId: WORKLOAD_ACCOUNT };
    expect(matcher('acme-records-api').matchesIdentity(crossAccount)).toBe(false);
    const issuerOnly: UserIdentity = { ...roleSession(WORKLOAD_ACCOUNT, 'acme-records-api'), arn: `arn:aws:sts::${OUTSIDE_ACCOUNT}:assumed-role/acme-records-api/task-1` };
    expect(matcher('acme-records-api').matchesIdentity(issuerOnly)).toBe(true);
  });

  it('match an AWS service principal for that service and its service-linked roles only', () => {
    expect(matcher('backup.amazonaws.com').matchesIdentity(identities.awsService)).toBe(true);
    expect(matcher('macie.amazonaws.com').matchesIdentity(identities.awsService)).toBe(false);
    expect(matcher('macie.amazonaws.com').matchesIdentity(identities.serviceLinkedRole)).toBe(true);
    expect(matcher('backup.amazonaws.com').matchesIdentity(identities.serviceLinkedRole)).toBe(false);
    expect(matcher('*.amazonaws.com').matchesIdentity({ type: 'AWSService' })).toBe(false);
    expect(matcher('backup.amazonaws.com.cn').matchesIdentity({ type: 'AWSService', invokedBy: 'backup.amazonaws.com.cn' })).toBe(true);
    // A service principal is not a role name: a role called after a service is not the service.
    expect(matcher('backup.amazonaws.com').matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'backup.amazonaws.com'))).toBe(false);
  });

  it('match the role of a service-linked role session by the other forms too', () => {
    expect(matcher('AWSServiceRoleForAmazonMacie').matchesIdentity(identities.serviceLinkedRole)).toBe(true);
    expect(matcher(WORKLOAD_ACCOUNT).matchesIdentity(identities.serviceLinkedRole)).toBe(true);
  });

  it('never match an anonymous caller, whatever else the record says', () => {
    const everything = matcher('*', '*.amazonaws.com', 'arn:aws:iam::*:user/*', WORKLOAD_ACCOUNT, '4444*');
    expect(everything.matchesIdentity(identities.anonymous)).toBe(false);
    expect(everything.matchesIdentity({ ...identities.anonymous, arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice` })).toBe(false);
    expect(everything.matchesIdentity({ type: 'AWSAccount', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice` })).toBe(false);
    expect(everything.matchesIdentity({ type: 'AWSAccount', principalId: 'AIDA', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice` })).toBe(true);
    expect(everything.matchesIdentity({ type: 'AWSAccount', accountId: WORKLOAD_ACCOUNT })).toBe(true);
  });

  it('match nothing when empty', () => {
    expect(matcher().matchesIdentity(roleSession(WORKLOAD_ACCOUNT, 'acme-records-api'))).toBe(false);
  });
});
