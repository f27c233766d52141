import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { settings } from './records';

/* Every problem settings.json can have, each named with its path, value and expectation. */

function problemsOf(overrides: Record<string, unknown>): readonly string[] {
  try {
    parseDetectorSettings({ ...JSON.parse(JSON.stringify(settings)), ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(DetectorSettingsError);
    expect((error as Error).name).toBe('DetectorSettingsError');
    return (error as DetectorSettingsError).problems;
  }
  return [];
}

describe('detector settings problems', () => {
  it('list every problem in the error message, one a line', () => {
    expect(() => parseDetectorSettings({ ...settings, response: 'block', responseRoleName: '' })).toThrow(
      'invalid detector settings:\n  - settings.response: "block": expected one of "off", "dry-run", "enforce"\n  - settings.responseRoleName: "": expected an IAM role name',
    );
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a list that is not an array', { authorizedPrincipals: 'acme' }, ['settings.authorizedPrincipals: "acme": expected an array of strings']],
    ['a missing list', { enumerationPrincipals: undefined }, ['settings.enumerationPrincipals: missing: expected an array of strings']],
    ['an empty or non-string item', { authorizedPrincipals: ['', 7] }, ['settings.authorizedPrincipals[0]: "": expected a non-empty string', 'settings.authorizedPrincipals[1]: 7: expected a non-empty string']],
    ['a service that is not a service principal', { authorizedServices: ['athena', 'athena.amazonaws.com.example'] }, [
      'settings.authorizedServices[0]: "athena": expected an AWS service principal such as "athena.amazonaws.com"',
      'settings.authorizedServices[1]: "athena.amazonaws.com.example": expected an AWS service principal such as "athena.amazonaws.com"',
    ]],
    ['a VPC endpoint id of the wrong form', { authorizedVpcEndpoints: ['vpce-0abc123', 'vpce-0abc1234x', 'xvpce-0abc1234', 'vpce-0ABC1234'] }, [
      'settings.authorizedVpcEndpoints[0]: "vpce-0abc123": expected a VPC endpoint id such as "vpce-0abc1234"',
      'settings.authorizedVpcEndpoints[1]: "vpce-0abc1234x": expected a VPC endpoint id such as "vpce-0abc1234"',
      'settings.authorizedVpcEndpoints[2]: "xvpce-0abc1234": expected a VPC endpoint id such as "vpce-0abc1234"',
      'settings.authorizedVpcEndpoints[3]: "vpce-0ABC1234": expected a VPC endpoint id such as "vpce-0abc1234"',
    ]],
    ['account ids that are not twelve digits', { organizationAccountIds: ['1234', '4444444444445'], responseAccountIds: ['x44444444444'] }, [
      'settings.organizationAccountIds[0]: "1234": expected a 12-digit account id',
      'settings.organizationAccountIds[1]: "4444444444445": expected a 12-digit account id',
      'settings.responseAccountIds[0]: "x44444444444": expected a 12-digit account id',
    ]],
    ['protected roles that are neither a role name nor a role ARN', { protectedRoles: ['bad role', 'arn:aws:iam::4444:role/x', 'arn:aws:iam::444444444444:user/x', `${'r'.repeat(65)}`, 'arn:aws:iam::444444444444:role/'] }, [
      'settings.protectedRoles[0]: "bad role": expected an IAM role name or role ARN',
      'settings.protectedRoles[1]: "arn:aws:iam::4444:role/x": expected an IAM role name or role ARN',
      'settings.protectedRoles[2]: "arn:aws:iam::444444444444:user/x": expected an IAM role name or role ARN',
      `settings.protectedRoles[3]: "${'r'.repeat(56)}...: expected an IAM role name or role ARN`,
      'settings.protectedRoles[4]: "arn:aws:iam::444444444444:role/": expected an IAM role name or role ARN',
    ]],
    ['a response role name that is not a role name', { responseRoleName: 'a b' }, ['settings.responseRoleName: "a b": expected an IAM role name']],
    ['a response role name too long', { responseRoleName: 'r'.repeat(65) }, [`settings.responseRoleName: "${'r'.repeat(56)}...: expected an IAM role name`]],
    ['rules that are not an object', { rules: [] }, ['settings.rules: []: expected an object with booleans sensitiveObjectAccess, instanceCredentialsOutsideAws, bucketEnumeration, vpcEndpointAccess']],
    ['a rule the detector does not have', { rules: { ...settings.rules, massDownload: true } }, [
      'settings.rules.massDownload: true: expected one of sensitiveObjectAccess, instanceCredentialsOutsideAws, bucketEnumeration, vpcEndpointAccess',
    ]],
    ['a missing rule toggle', { rules: { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, vpcEndpointAccess: true } }, ['settings.rules.bucketEnumeration: missing: expected true or false']],
    ['monitored buckets that are not an array', { monitoredBuckets: {} }, ['settings.monitoredBuckets: {}: expected an array of { name, keyPatterns }']],
    ['a monitored bucket that is not an object', { monitoredBuckets: ['acme'] }, ['settings.monitoredBuckets[0]: "acme": expected an object { name, keyPatterns }']],
    ['key patterns that are empty, not strings, or a bare keyword prefix', { monitoredBuckets: [{ name: 'acme', keyPatterns: ['', 3, 'keyword:', 'keyword:x'] }] }, [
      'settings.monitoredBuckets[0].keyPatterns[0]: "": expected a glob such as "customers/*" or "keyword:<word>"',
      'settings.monitoredBuckets[0].keyPatterns[1]: 3: expected a glob such as "customers/*" or "keyword:<word>"',
      'settings.monitoredBuckets[0].keyPatterns[2]: "keyword:": expected a glob such as "customers/*" or "keyword:<word>"',
    ]],
    ['bucket names S3 refuses', { monitoredBuckets: [{ name: 'ab', keyPatterns: ['*'] }, { name: '-acme', keyPatterns: ['*'] }, { name: 7, keyPatterns: ['*'] }] }, [
      'settings.monitoredBuckets[0].name: "ab": expected an S3 bucket name',
      'settings.monitoredBuckets[1].name: "-acme": expected an S3 bucket name',
      'settings.monitoredBuckets[2].name: 7: expected an S3 bucket name',
    ]],
    ['an access point that is not a string', { monitoredBuckets: [{ name: 'acme', keyPatterns: ['*'], accessPoints: [7] }] }, [
      expect.stringMatching(/^settings\.monitoredBuckets\[0\]\.accessPoints\[0\]: 7: expected an access point ARN/) as unknown as string,
    ]],
  ])('names %s', (_, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expected);
  });

  it('accept valid values at their limits and keep access points only where given', () => {
    const parsed = parseDetectorSettings({
      ...JSON.parse(JSON.stringify(settings)),
      monitoredBuckets: [
        { name: 'abc', keyPatterns: ['*'] },
        { name: `a${'b'.repeat(61)}c`, keyPatterns: ['keyword:x'], accessPoints: ['records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias'] },
      ],
      responseRoleName: 'r'.repeat(64),
      protectedRoles: ['arn:aws-us-gov:iam::444444444444:role/path/to/r+=,.@-', 'r'.repeat(64)],
      authorizedServices: ['s3.eu-west-1.amazonaws.com'],
      authorizedVpcEndpoints: ['vpce-0abc1234', 'vpce-0123456789abcdef0'],
    });
    expect(parsed.monitoredBuckets).toEqual([
      { name: 'abc', keyPatterns: ['*'] },
      { name: `a${'b'.repeat(61)}c`, keyPatterns: ['keyword:x'], accessPoints: ['records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias'] },
    ]);
    expect(parsed).not.toHaveProperty('drill');
    expect(problemsOf({ monitoredBuckets: [{ name: `a${'b'.repeat(62)}c`, keyPatterns: ['*'] }] })).toHaveLength(1);
  });

  it('accept the same access point listed twice for one bucket', () => {
    const alias = 'records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias';
    expect(problemsOf({ monitoredBuckets: [{ name: 'acme', keyPatterns: ['*'], accessPoints: [alias, alias.toUpperCase().replace('-S3ALIAS', '-s3alias')] }] })).toEqual([
      expect.stringMatching(/accessPoints\[1\]/),
    ]);
    expect(problemsOf({ monitoredBuckets: [{ name: 'acme', keyPatterns: ['*'], accessPoints: [alias, alias] }] })).toEqual([]);
  });
});
