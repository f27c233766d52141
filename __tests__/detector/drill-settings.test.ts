import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { settings, WORKLOAD_ACCOUNT } from './records';

/*
 * The drill's part of settings.json decides which reads are taken for the drill and so page nobody: a canary accepted
 * with a wrong field would recognize the wrong reads, and a mistake that crashes the parser names nothing to fix.
 * Every mistake is reported as a problem with its path, value and expectation.
 */

const DRILL_ROLE_ARN = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-drill`;
const canary = { bucket: 'acme-customer-records', key: 'customers/detector-drill-canary', accountId: WORKLOAD_ACCOUNT, region: 'eu-west-1', roleArn: DRILL_ROLE_ARN };

/** The problems settings.json has with this `drill` part; none when it is accepted. */
function problemsOf(drill: unknown): readonly string[] {
  try {
    parseDetectorSettings({ ...JSON.parse(JSON.stringify(settings)), drill });
    return [];
  } catch (error) {
    if (error instanceof DetectorSettingsError) return error.problems;
    throw error;
  }
}

/** The problems with one canary made of the valid one with some fields changed (undefined removes a field). */
function canaryProblems(fields: Record<string, unknown>): readonly string[] {
  const item = Object.fromEntries(Object.entries({ ...canary, ...fields }).filter(([, value]) => value !== undefined));
  return problemsOf({ canaries: [item] });
}

const CANARY_EXPECTED = 'expected an object { bucket, key, accountId, region, roleArn }';

describe('detection drill settings: the shape of the drill', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a word', 'on'],
    ['a list of canaries without the object around it', [canary]],
    ['an object without canaries', { canary }],
  ])('reports a drill that is %s as one problem', (_, drill) => {
    expect(problemsOf(drill)).toEqual([expect.stringMatching(/^settings\.drill: .+: expected an object \{ canaries: \[\{ bucket, key, accountId, region, roleArn \}\] \}$/)]);
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['a bucket name alone', 'acme-customer-records', '"acme-customer-records"'],
    ['a list', ['acme-customer-records'], '["acme-customer-records"]'],
  ])('reports a canary that is %s as one problem with its index', (_, item, shown) => {
    expect(problemsOf({ canaries: [canary, item] })).toEqual([`settings.drill.canaries[1]: ${shown}: ${CANARY_EXPECTED}`]);
  });
});

describe('detection drill settings: the fields of a canary', () => {
  it('accepts a valid canary', () => {
    expect(canaryProblems({})).toEqual([]);
  });

  describe('bucket', () => {
    it.each<[string, unknown, string]>([
      ['missing', undefined, 'missing'],
      ['not a valid S3 bucket name', 'Acme_Customer_Records', '"Acme_Customer_Records"'],
      ['a number', 123, '123'],
    ])('reports a bucket that is %s', (_, bucket, shown) => {
      expect(canaryProblems({ bucket })).toEqual([`settings.drill.canaries[0].bucket: ${shown}: expected an S3 bucket name`]);
    });
  });

  describe('key', () => {
    it('reports a missing key', () => {
      expect(canaryProblems({ key: undefined })).toEqual(['settings.drill.canaries[0].key: missing: expected an S3 key of 1 to 1024 bytes']);
    });

    it('accepts a key of exactly 1024 bytes, the most S3 allows', () => {
      expect(canaryProblems({ key: `customers/${'a'.repeat(1014)}` })).toEqual([]);
    });

    it('counts the key in bytes: fewer than 1024 characters can be too long', () => {
      const key = `customers/${'é'.repeat(508)}`; // 518 characters, 1026 bytes in UTF-8
      expect(canaryProblems({ key })).toEqual([expect.stringMatching(/^settings\.drill\.canaries\[0\]\.key: ".*: expected an S3 key of 1 to 1024 bytes$/)]);
    });
  });

  describe('accountId', () => {
    it('reports an account id written as a number (and the role, which is then in no such account)', () => {
      expect(canaryProblems({ accountId: 444444444444 })).toEqual([
        'settings.drill.canaries[0].accountId: 444444444444: expected a 12-digit account id',
        `settings.drill.canaries[0].roleArn: "${DRILL_ROLE_ARN}": expected the ARN of a role in the bucket's account (accountId)`,
      ]);
    });

    it.each(['4444444444445', '5444444444444'])('reports an account id of 13 digits (%s)', (accountId) => {
      expect(canaryProblems({ accountId })).toContain(`settings.drill.canaries[0].accountId: "${accountId}": expected a 12-digit account id`);
    });
  });

  describe('region', () => {
    it.each<[string, unknown, string]>([
      ['an availability zone', 'eu-west-1a', '"eu-west-1a"'],
      ['a region with a leading space', ' eu-west-1', '" eu-west-1"'],
      ['a list of one region', ['eu-west-1'], '["eu-west-1"]'],
    ])('reports %s', (_, region, shown) => {
      expect(canaryProblems({ region })).toEqual([`settings.drill.canaries[0].region: ${shown}: expected an AWS region such as "eu-west-1"`]);
    });

    it('accepts a region whose name has several parts, such as a GovCloud region', () => {
      expect(canaryProblems({ region: 'us-gov-west-1', roleArn: `arn:aws-us-gov:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-drill` })).toEqual([]);
    });
  });

  describe('roleArn', () => {
    it.each<[string, unknown, string]>([
      ['a role name instead of an ARN', 'acme-detector-drill', '"acme-detector-drill"'],
      ['a list of one ARN', [DRILL_ROLE_ARN], JSON.stringify([DRILL_ROLE_ARN])],
    ])('reports %s', (_, roleArn, shown) => {
      expect(canaryProblems({ roleArn })).toEqual([
        `settings.drill.canaries[0].roleArn: ${shown}: expected the ARN of a role in the bucket's account (accountId)`,
      ]);
    });
  });
});
