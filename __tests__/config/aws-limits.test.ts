import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile, parseConfig } from '../../config/load';
import { ConfigError, type ConfigProblem } from '../../config/problems';
import { MAX_DEPLOYMENT_TAGS } from '../../config/tags';
import { exampleInput, problemsWith } from './example-input';

/*
 * Settings that the schema once let through and the synth, Terraform or AWS then refused: each is rejected here with
 * the path and the reason, and the nearest setting AWS does accept passes.
 */


const summary = (problems: ConfigProblem[]) => problems.map((problem) => `${problem.path.join('.')}: ${problem.expected}`);

describe('settings AWS and Terraform refuse', () => {
  it('rejects "keyword:" with no word and an empty key pattern, and accepts a keyword', () => {
    expect(
      summary(
        problemsWith((input) => {
          input.detector.monitoredBuckets[0].keyPatterns = ['keyword:', '', 'keyword:ssn', '*.csv'];
        }),
      ),
    ).toEqual([
      'detector.monitoredBuckets.0.keyPatterns.0: expected a word after "keyword:"',
      'detector.monitoredBuckets.0.keyPatterns.1: expected a glob or "keyword:<word>", not an empty pattern',
    ]);
  });

  it('rejects CIDRs the detector and aws:SourceIp would read differently, in both places, and accepts plain ones', () => {
    const problems = problemsWith((input) => {
      input.detector.authorizedCidrs = ['10.1/16', '010.0.0.0/8', '0x0a000000/8', '203.0.113.0/24', '2001:db8::/32'];
      input.guardrails = { dataPerimeter: { enabled: true, allowedCidrs: ['10.1/16', '198.51.100.0/24'] } };
    });
    expect(problems.map((problem) => [problem.path.join('.'), problem.value])).toEqual([
      ['guardrails.dataPerimeter.allowedCidrs.0', '10.1/16'],
      ['detector.authorizedCidrs.0', '10.1/16'],
      ['detector.authorizedCidrs.1', '010.0.0.0/8'],
      ['detector.authorizedCidrs.2', '0x0a000000/8'],
    ]);
    expect(problems[1].expected).toBe(
      'expected an IPv4 or IPv6 network such as "203.0.113.0/24" or "2001:db8::/32": an IPv4 address has four decimal parts ("10.1.0.0", not "10.1"); this one has 2',
    );
    expect(summary(problemsWith((input) => (input.detector.authorizedCidrs = [42])))).toEqual([
      'detector.authorizedCidrs.0: expected a network in quotes, such as "203.0.113.0/24"',
    ]);
  });

  it('rejects a state key prefix with a leading, trailing or double "/", and accepts nested folders', () => {
    const backend = (keyPrefix: string) => (input: Record<string, any>) => {
      input.deployment = { backend: { type: 's3', bucket: 'acme-terraform-state', region: 'eu-west-1', keyPrefix } };
    };
    for (const bad of ['tfstate/', '/tfstate', 'tf//state', 'tf state']) {
      expect(summary(problemsWith(backend(bad)))).toEqual([
        'deployment.backend.keyPrefix: expected a key prefix of letters, digits, _ . - in "/"-separated parts, without a leading, trailing or double "/" (such as "tfstate/baseline")',
      ]);
    }
    expect(problemsWith(backend('tfstate/org.baseline-1_a'))).toEqual([]);
    expect(parseConfig(exampleInput()).deployment.backend).toEqual({ type: 'local' });
  });

  it(`rejects more than ${MAX_DEPLOYMENT_TAGS} tags, aws: keys and values, the baseline's own keys and characters AWS refuses`, () => {
    const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`team-${index}`, 'x']));
    expect(problemsWith((input) => (input.deployment = { tags: tags(MAX_DEPLOYMENT_TAGS) }))).toEqual([]);
    expect(summary(problemsWith((input) => (input.deployment = { tags: tags(MAX_DEPLOYMENT_TAGS + 1) })))).toEqual([
      'deployment.tags: expected at most 46 tags: AWS allows 50 per resource, and the baseline puts 4 of its own',
    ]);
    const problems = problemsWith((input) => {
      input.deployment = {
        tags: { 'AWS:owner': 'a', ManagedBy: 'me', Name: 'n', 'cost center': 'aws:x', 'a<b': 'v', ok: 'semi;colon', long: 'v'.repeat(257), '': 'e', [`k${'y'.repeat(128)}`]: 'v' },
      };
    });
    expect(problems.map((problem) => [problem.path.join('.'), problem.value, problem.expected])).toEqual([
      ['deployment.tags.AWS:owner', 'AWS:owner', 'expected a tag key that does not start with "aws:" (reserved by AWS)'],
      ['deployment.tags.ManagedBy', 'ManagedBy', "expected a tag key other than the baseline's own (ManagedBy, BaselinePrefix, BaselineStack, Name)"],
      ['deployment.tags.Name', 'Name', "expected a tag key other than the baseline's own (ManagedBy, BaselinePrefix, BaselineStack, Name)"],
      ['deployment.tags.cost center', 'aws:x', 'expected a tag value that does not start with "aws:" (reserved by AWS)'],
      ['deployment.tags.a<b', 'a<b', 'expected a tag key of letters, digits, spaces and _ . : / = + - @'],
      ['deployment.tags.ok', 'semi;colon', 'expected a tag value of letters, digits, spaces and _ . : / = + - @'],
      ['deployment.tags.long', 'v'.repeat(257), 'expected a tag value of at most 256 characters'],
      ['deployment.tags.', '', 'expected a tag key of 1 to 128 characters'],
      [`deployment.tags.k${'y'.repeat(128)}`, `k${'y'.repeat(128)}`, 'expected a tag key of 1 to 128 characters'],
    ]);
    expect(problemsWith((input) => (input.deployment = { tags: { 'cost-center': 'Ünïcode 42 _.:/=+-@', empty: '' } }))).toEqual([]);
    expect(summary(problemsWith((input) => (input.deployment = { tags: ['a'] })))).toEqual(['deployment.tags: expected an object of tag keys and values']);
  });

  it('rejects an analyzer name longer than 255 characters and names of Config resources longer than 256', () => {
    const adopt = (names: Record<string, string>) => (input: Record<string, any>) => {
      input.accounts.members[0].adopt = names;
    };
    expect(problemsWith(adopt({ accessAnalyzerName: `a${'b'.repeat(254)}`, configRecorderName: 'r'.repeat(256), deliveryChannelName: 'd'.repeat(256) }))).toEqual([]);
    expect(summary(problemsWith(adopt({ accessAnalyzerName: 'a'.repeat(256), configRecorderName: 'r'.repeat(257), deliveryChannelName: ' ' })))).toEqual([
      'accounts.members.0.adopt.configRecorderName: expected the name of the existing Config recorder: at most 256 characters',
      'accounts.members.0.adopt.deliveryChannelName: expected the name of the existing delivery channel',
      'accounts.members.0.adopt.accessAnalyzerName: expected the name of the existing access analyzer: 1 to 255 letters, digits, _ . -, starting with a letter',
    ]);
    expect(summary(problemsWith(adopt({ accessAnalyzerName: '1-analyzer' })))).toHaveLength(1);
  });

  it('rejects a prefix that makes bucket names start with a prefix S3 reserves, and such bucket names', () => {
    for (const prefix of ['sthree', 'sthree-x', 'amzn-s3-demo']) {
      expect(summary(problemsWith((input) => (input.prefix = prefix)))).toEqual([
        'prefix: expected a prefix that does not make bucket names start with xn--, sthree-, amzn-s3-demo- (reserved by S3)',
      ]);
    }
    expect(problemsWith((input) => (input.prefix = 'sthreex'))).toEqual([]);
    for (const name of ['sthree-data', 'amzn-s3-demo-data', 'data-s3alias', 'data--ol-s3', 'data.mrap', 'data--x-s3', 'data--table-s3']) {
      expect(summary(problemsWith((input) => (input.detector.monitoredBuckets[0].name = name)))).toEqual([
        'detector.monitoredBuckets.0.name: expected a bucket name that does not start with xn--, sthree-, amzn-s3-demo- or end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)',
      ]);
    }
    expect(summary(problemsWith((input) => (input.detector.monitoredBuckets[0].name = 'xn--data')))).toHaveLength(1);
    for (const name of ['192.168.5.4', '192.168.10.4', 'acme..data']) {
      expect(summary(problemsWith((input) => (input.detector.monitoredBuckets[0].name = name)))).toEqual([
        'detector.monitoredBuckets.0.name: expected a bucket name without "..", not shaped like an IP address',
      ]);
    }
    for (const name of ['acme.10.0.0.1', '10.0.0.1.acme', 'acme.data', 'data-xn--1', 'sthree']) {
      expect(problemsWith((input) => (input.detector.monitoredBuckets[0].name = name))).toEqual([]);
    }
  });

  it('rejects a metric namespace reserved by AWS or with characters metric filters refuse', () => {
    const namespace = (metricNamespace: unknown) => (input: Record<string, any>) => (input.monitoring = { metricNamespace });
    expect(summary(problemsWith(namespace('AWS/CloudTrail')))).toEqual([
      'monitoring.metricNamespace: expected a namespace that does not start with "AWS/" (reserved for AWS services)',
    ]);
    for (const bad of ['', 'a:b', 'a*', '$a', 'n'.repeat(256)]) {
      expect(summary(problemsWith(namespace(bad)))).toEqual([
        'monitoring.metricNamespace: expected a CloudWatch metric namespace: 1 to 255 characters, without ":", "*" or "$"',
      ]);
    }
    expect(problemsWith(namespace('AWSome/CIS'))).toEqual([]);
    expect(problemsWith(namespace('n'.repeat(255)))).toEqual([]);
  });

  it('rejects an external id STS would refuse', () => {
    const externalId = (value: string) => (input: Record<string, any>) => (input.deployment = { externalId: value });
    for (const bad of ['x', 'has space', 'quote"', 'e'.repeat(1225)]) {
      expect(summary(problemsWith(externalId(bad)))).toEqual([
        'deployment.externalId: expected an external id of 2 to 1224 letters, digits or + = , . @ : / _ -',
      ]);
    }
    expect(problemsWith(externalId('Ab1_+=,.@:/-'))).toEqual([]);
    expect(problemsWith(externalId('e'.repeat(1224)))).toEqual([]);
  });
});

describe('messages in the product\'s words', () => {
  it('rewrites the schema library\'s generic messages, keeping the path and the value', () => {
    const problems = problemsWith((input) => {
      input.detector.reservedConcurrency = 0;
      input.accountBaseline = { imdsHopLimit: 65, passwordPolicy: { minimumLength: 'long' } };
      input.notifications = { emails: 'soc@example.com' };
      input.accounts.members[0].adopt = { configServiceLinkedRole: 'yes' };
      input.detector.monitoredBuckets[0].keyPatterns = [];
    });
    expect(summary(problems).sort()).toEqual(
      [
        'accountBaseline.imdsHopLimit: expected at most 64',
        'accountBaseline.passwordPolicy.minimumLength: expected a number',
        'accounts.members.0.adopt.configServiceLinkedRole: expected true or false',
        'detector.monitoredBuckets.0.keyPatterns: expected at least one key pattern ("*" for every key)',
        'detector.reservedConcurrency: expected at least 1',
        'notifications.emails: expected a list [...]',
      ].sort(),
    );
    for (const problem of problems) expect(problem.expected).not.toMatch(/Too (small|big)|Invalid input|received/);
  });

  it('says a missing value is missing', () => {
    expect(summary(problemsWith((input) => delete input.organization.id))).toEqual(['organization.id: missing; expected text in quotes']);
  });
});

describe('duplicate keys in the configuration file', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
    const file = path.join(dir, 'baseline.json');
    writeFileSync(file, text);
    return { dir, file };
  };

  it('rejects a key written twice, naming its path, together with the other problems', () => {
    const input = exampleInput() as Record<string, any>;
    const text = JSON.stringify(input, null, 2)
      .replace('"prefix": "acme",', '"prefix": "acme",\n  "prefix": "acme-two",')
      .replace(/"keyPatterns": \[/, '"keyPatterns": ["*"], "keyPatterns": [');
    const { dir, file } = write(text.replace('"home": "eu-west-1"', '"home": "eu-west-9"'));
    try {
      let problems: readonly ConfigProblem[] = [];
      try {
        loadConfigFile(file);
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems.map((problem) => [problem.path.join('.'), problem.value])).toEqual([
        ['prefix', 'acme-two'],
        ['detector.monitoredBuckets.0.keyPatterns', input.detector.monitoredBuckets[0].keyPatterns],
        ['regions.home', 'eu-west-9'],
      ]);
      expect(problems[0].expected).toBe('expected each key once in its object; this key appears again above (only one of them can be meant)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says a key written three times once', () => {
    const input = exampleInput() as Record<string, any>;
    const { dir, file } = write(JSON.stringify(input).replace('"prefix":"acme",', '"prefix":"acme","prefix":"acme","prefix":"acme",'));
    try {
      let problems: readonly ConfigProblem[] = [];
      try {
        loadConfigFile(file);
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems.map((problem) => [problem.path.join('.'), problem.value])).toEqual([['prefix', 'acme']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the organization\'s account list next to a file with a duplicate key, as next to any other', () => {
    const input = exampleInput() as Record<string, any>;
    input.accounts.members = [];
    input.accounts.fromOrganization = { file: 'accounts.json' };
    const { dir, file } = write(JSON.stringify(input).replace('"prefix":"acme",', '"prefix":"acme","prefix":"acme",'));
    const listed = (Id: string, Name: string) => ({ Id, Arn: `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${Id}`, Email: `aws+${Id}@example.com`, Name, Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: '2024-03-01T10:00:00.000000+00:00' });
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ Accounts: [listed('444444444444', 'workload-prod')] }));
    try {
      let problems: readonly ConfigProblem[] = [];
      try {
        loadConfigFile(file);
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems.map((problem) => problem.path.join('.'))).toEqual(['prefix']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a duplicate key in an otherwise valid file, and accepts equal keys in different objects', () => {
    const input = exampleInput() as Record<string, any>;
    const { dir, file } = write(JSON.stringify(input).replace('"prefix":', '"trail":{"mode":"full"},"prefix":'));
    try {
      expect(() => loadConfigFile(file)).not.toThrow();
      writeFileSync(file, JSON.stringify(input).replace('"prefix":', '"trail":{"mode":"full","mode":"full"},"prefix":'));
      expect(() => loadConfigFile(file)).toThrow('trail.mode: got "full"; expected each key once');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
