import { canaryKeyProblem, deriveCanaryKey, isSensitiveKey } from '../../lib/detector/drill/canary-key';
import { drillTargets, heartbeatEvaluationPeriods } from '../../lib/detector/drill/drill-plan';
import { drillScheduleExpression } from '../../lib/detector/drill/detection-drill';
import { rejectionsWith as problemsWith } from '../config/example-input';
import { configWith } from '../helpers';

describe('the canary key', () => {
  it.each<[string[], string]>([
    [['customers/*', '*.csv', 'keyword:ssn'], 'customers/detector-drill-canary'],
    [['*.csv'], 'detector-drill-canary.csv'],
    [['keyword:ssn'], 'detector-drill-canary/ssn'],
    [['exports/????/*.parquet'], 'exports/xxxx/detector-drill-canary.parquet'],
    [['*'], 'detector-drill-canary'],
    // A pattern that yields no usable key is passed over for the next one.
    [['reports/$latest', 'keyword:secret'], 'detector-drill-canary/secret'],
  ])('for %j is %s, which the detector calls sensitive', (patterns, key) => {
    expect(deriveCanaryKey(patterns)).toBe(key);
    expect(isSensitiveKey(key, patterns)).toBe(true);
  });

  it('cannot be derived from patterns that yield no key IAM can name exactly', () => {
    expect(deriveCanaryKey(['reports/$latest', 'a\u0001b'])).toBeUndefined();
  });

  it('when given, must be one the detector calls sensitive, and hold no IAM wildcard', () => {
    expect(canaryKeyProblem('customers/canary.txt', ['customers/*'])).toBeUndefined();
    expect(canaryKeyProblem('public/canary.txt', ['customers/*'])).toMatch(/matching the bucket's keyPatterns \(customers\/\*\)/);
    expect(canaryKeyProblem('customers/*', ['customers/*'])).toMatch(/without control characters, "\*", "\?" or "\$"/);
    expect(canaryKeyProblem('x'.repeat(1025), ['*'])).toMatch(/1 to 1024 bytes/);
  });
});

describe('the detector.drill configuration', () => {
  it('is on by default: daily, an hour of delivery allowance, keys derived from the patterns', () => {
    const config = configWith(() => undefined);
    expect(config.detector.drill).toEqual({ enabled: true, intervalHours: 24, deliveryAllowanceHours: 1, canaryKeys: {}, kmsKeyArns: {} });
    expect(drillTargets(config).map((target) => [target.bucket, target.key, target.accountId, target.region])).toEqual([
      ['acme-customer-records', 'customers/detector-drill-canary', '444444444444', 'eu-west-1'],
    ]);
  });

  it('takes a given canary key', () => {
    const config = configWith((input) => void (input.detector!.drill = { canaryKeys: { 'acme-customer-records': 'exports/canary.csv' } }));
    expect(drillTargets(config)[0].key).toBe('exports/canary.csv');
  });

  it('runs in no management account: it runs no workloads, so its buckets get no drill (nor a key check)', () => {
    const config = configWith((input) => {
      input.detector!.monitoredBuckets!.push({ name: 'acme-management-exports', account: 'management', region: 'eu-west-1', keyPatterns: ['reports/$latest'] });
    });
    expect(drillTargets(config).map((target) => target.bucket)).toEqual(['acme-customer-records']);
  });

  it('is not deployed without the rule it proves', () => {
    const config = configWith((input) => void (input.detector!.rules = { sensitiveObjectAccess: false }));
    expect(drillTargets(config)).toEqual([]);
  });

  it('rejects a canary key the detector would not call sensitive, naming the path, value and expectation', () => {
    expect(problemsWith((input) => (input.detector.drill = { canaryKeys: { 'acme-customer-records': 'public/canary.txt' } })))
      .toEqual([
        {
          path: ['detector', 'drill', 'canaryKeys', 'acme-customer-records'],
          value: 'public/canary.txt',
          expected: expect.stringMatching(/^expected a key matching the bucket's keyPatterns \(customers\/\*, \*\.csv, keyword:ssn\)/),
        },
      ]);
  });

  it('rejects patterns from which no canary key can be made, unless a key is given or the drill is off', () => {
    const patterns = (input: Record<string, any>) => (input.detector.monitoredBuckets[0].keyPatterns = ['reports/$latest']);
    expect(problemsWith(patterns)).toEqual([
      { path: ['detector', 'monitoredBuckets', 0, 'keyPatterns'], value: ['reports/$latest'], expected: expect.stringMatching(/from which the drill can make a canary key/) },
    ]);
    expect(() => configWith((input: Record<string, any>) => (patterns(input), (input.detector.drill = { enabled: false })))).not.toThrow();
  });

  it('rejects settings for buckets that are not monitored, and a KMS key outside the bucket\'s region', () => {
    const problems = problemsWith(
      (input) =>
        (input.detector.drill = {
          canaryKeys: { 'acme-unknown': 'x' },
          kmsKeyArns: { 'acme-customer-records': 'arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
        }),
    );
    expect(problems.map((problem) => [problem.path.join('.'), problem.expected])).toEqual([
      ['detector.drill.canaryKeys.acme-unknown', "expected a monitored bucket's name (acme-customer-records)"],
      ['detector.drill.kmsKeyArns.acme-customer-records', expect.stringMatching(/^expected a key in the bucket's region \(eu-west-1\)/)],
    ]);
  });

  it('rejects intervals and allowances outside their ranges', () => {
    const problems = problemsWith((input) => (input.detector.drill = { intervalHours: 25, deliveryAllowanceHours: 0 }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['detector.drill.intervalHours', 'detector.drill.deliveryAllowanceHours']);
  });
});

describe('the drill timing', () => {
  it('runs the schedule at the interval', () => {
    expect(drillScheduleExpression(24)).toBe('rate(24 hours)');
    expect(drillScheduleExpression(1)).toBe('rate(1 hour)');
  });

  it('alarms after the interval, the allowance and one period boundary, within CloudWatch\'s seven days', () => {
    expect(heartbeatEvaluationPeriods(24, 1)).toBe(26);
    expect(heartbeatEvaluationPeriods(1, 1)).toBe(3);
    expect(heartbeatEvaluationPeriods(24, 12)).toBe(37);
    expect(() => heartbeatEvaluationPeriods(160, 8)).toThrow(/seven days/);
  });
});
