import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile, parseConfig } from '../../config/load';
import type { ConfigProblem } from '../../config/problems';
import { exampleInput, rejectionsOf as problemsOf, rejectionsWith as problemsWith } from './example-input';


const pathOf = (problem: ConfigProblem) => problem.path.join('.');

describe('the shipped example configuration', () => {
  it('is valid and fills every default with the hardened choice', () => {
    const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
    expect(config.regions.enabled.length).toBeGreaterThanOrEqual(3);
    expect(config.accounts.members).toHaveLength(2);
    expect(config.notifications.emails.length).toBeGreaterThan(0);
    expect(config.detector.monitoredBuckets).toHaveLength(1);
    expect(config.guardrails.protectBaseline).toBe(true);
    expect(config.guardrails.dataPerimeter.enabled).toBe(false);
    expect(config.trail.cloudWatchLogsRetentionDays).toBeGreaterThanOrEqual(365);
    expect(config.accountBaseline.passwordPolicy).toEqual({ minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 });
    expect(config.deployment.backend).toEqual({ type: 'local' });
  });
});

describe('configuration errors', () => {
  it('reports a missing file with its path', () => {
    const file = path.join(os.tmpdir(), 'no-such-baseline.json');
    expect(problemsOf(() => loadConfigFile(file))).toEqual([{ path: [], value: file, expected: 'expected a readable JSON file (no such file)' }]);
  });

  it('reports invalid JSON', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "prefix": "acme", }');
    const problems = problemsOf(() => loadConfigFile(file));
    expect(problems).toHaveLength(1);
    expect(problems[0].expected).toMatch(/^expected valid JSON/);
  });

  it('rejects a 13-digit account id, naming the path and the value', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[0].id = '4444444444445';
    });
    expect(problems).toEqual([
      { path: ['accounts', 'members', 0, 'id'], value: '4444444444445', expected: 'expected exactly 12 digits' },
    ]);
  });

  it('rejects duplicate account ids', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[1].id = input.accounts.members[0].id;
    });
    expect(problems.map(pathOf)).toEqual(['accounts.members.1.id']);
    expect(problems[0].expected).toMatch(/no other account has/);
  });

  it('rejects an unknown region and suggests the closest', () => {
    const problems = problemsWith((input) => {
      input.regions.enabled[1] = 'eu-centrl-1';
    });
    expect(problems.map(pathOf)).toEqual(['regions.enabled.1']);
    expect(problems[0].value).toBe('eu-centrl-1');
    expect(problems[0].expected).toMatch(/did you mean "eu-central-1"/);
  });

  it('rejects a home region that is not enabled', () => {
    const problems = problemsWith((input) => {
      input.regions.home = 'us-west-2';
    });
    expect(problems.map(pathOf)).toEqual(['regions.home']);
    expect(problems[0].expected).toMatch(/one of the enabled regions/);
  });

  it('rejects an unknown key with "did you mean"', () => {
    const problems = problemsWith((input) => {
      input.regions.enabeld = input.regions.enabled;
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['regions', 'enabeld'], expected: 'unknown key; did you mean "enabled"?' }),
    ]);
  });

  it('reports every problem at once, shape and cross-field rules together', () => {
    const problems = problemsWith((input) => {
      input.prefix = 'Acme';
      input.accounts.security.id = input.accounts.logArchive.id;
      input.regions.home = 'ap-south-1';
      input.notifications.emails = ['not-an-email'];
      input.detector.authorizedCidrs = ['10.0.0.0/33'];
      input.detector.monitoredBuckets[0].account = 'nobody';
    });
    expect(problems.map(pathOf).sort()).toEqual(
      [
        'prefix',
        'accounts.security.id',
        'regions.home',
        'notifications.emails.0',
        'detector.authorizedCidrs.0',
        'detector.monitoredBuckets.0.account',
      ].sort(),
    );
  });

  it('rejects names that the AWS resources they name would refuse', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[0].name = 'Workload_Prod';
      input.detector.monitoredBuckets[0].name = 'Bad..Bucket';
    });
    expect(problems.map(pathOf).sort()).toEqual(['accounts.members.0.name', 'detector.monitoredBuckets.0.name']);
  });

  it('formats each problem as path, value and expectation', () => {
    const input = exampleInput() as Record<string, any>;
    input.accounts.members[0].id = '12345';
    expect(() => parseConfig(input, 'my.json')).toThrow(
      'Configuration my.json has 1 problem:\n  - accounts.members[0].id: got "12345"; expected exactly 12 digits',
    );
  });
});

describe('account baseline settings', () => {
  it('rejects a region enabled twice, naming the repeated entry', () => {
    const problems = problemsWith((input) => {
      input.regions.enabled = ['eu-west-1', 'eu-central-1', 'eu-west-1'];
    });
    expect(problems).toEqual([{ path: ['regions', 'enabled', 2], value: 'eu-west-1', expected: 'expected each region once' }]);
  });

  it.each([0, 65, 2.5])('rejects an IMDS hop limit of %p (1 to 64)', (hopLimit) => {
    const problems = problemsWith((input) => {
      input.accountBaseline = { imdsHopLimit: hopLimit };
    });
    expect(problems.map(pathOf)).toEqual(['accountBaseline.imdsHopLimit']);
    expect(problems[0].value).toBe(hopLimit);
  });

  it('rejects a recording frequency AWS Config does not know, and suggests the closest', () => {
    const problems = problemsWith((input) => {
      input.config = { recordingFrequency: 'DAILLY' };
    });
    expect(problems.map(pathOf)).toEqual(['config.recordingFrequency']);
    expect(problems[0].expected).toMatch(/did you mean "DAILY"/);
  });

  it.each([
    ['configRecorderName', '', /existing Config recorder/],
    ['deliveryChannelName', '   ', /existing delivery channel/],
    ['accessAnalyzerName', '', /existing access analyzer/],
  ])('rejects an adopted %s of %p', (key, name, expected) => {
    const problems = problemsWith((input) => {
      input.accounts.members[0].adopt = { [key]: name };
    });
    expect(problems).toEqual([{ path: ['accounts', 'members', 0, 'adopt', key], value: name, expected: expect.stringMatching(expected) }]);
  });

  it('rejects a password policy weaker than CIS', () => {
    const problems = problemsWith((input) => {
      input.accountBaseline = { passwordPolicy: { minimumLength: 8, reusePrevention: 5, maxAgeDays: 365 } };
    });
    expect(problems.map(pathOf).sort()).toEqual([
      'accountBaseline.passwordPolicy.maxAgeDays',
      'accountBaseline.passwordPolicy.minimumLength',
      'accountBaseline.passwordPolicy.reusePrevention',
    ]);
  });

  it('rejects an EBS key of a region that is not enabled', () => {
    const key = 'arn:aws:kms:ap-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const problems = problemsWith((input) => {
      input.accountBaseline = { ebsDefaultKmsKeyArn: key };
    });
    expect(problems).toEqual([
      { path: ['accountBaseline', 'ebsDefaultKmsKeyArn'], value: key, expected: expect.stringMatching(/enabled region/) },
    ]);
  });

  it('accepts an adopt section that names what Control Tower created', () => {
    const input = exampleInput() as Record<string, any>;
    input.accounts.members[0].adopt = {
      configRecorderName: 'aws-controltower-BaselineConfigRecorder',
      deliveryChannelName: 'aws-controltower-BaselineConfigDeliveryChannel',
      configServiceLinkedRole: true,
    };
    expect(parseConfig(input).accounts.members[0].adopt?.configRecorderName).toBe('aws-controltower-BaselineConfigRecorder');
  });
});

describe('log archive settings', () => {
  it('rejects logs that expire before they are archived', () => {
    const problems = problemsWith((input) => {
      input.logArchive.lifecycle = { glacierAfterDays: 365, expireAfterDays: 300 };
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['logArchive', 'lifecycle', 'expireAfterDays'], value: 300, expected: expect.stringMatching(/more than the transition days/) }),
    ]);
  });

  it('rejects a move to GLACIER less than 30 days after the move to STANDARD_IA, which S3 refuses', () => {
    const problems = problemsWith((input) => {
      input.logArchive.lifecycle = { infrequentAccessAfterDays: 90, glacierAfterDays: 100 };
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['logArchive', 'lifecycle', 'glacierAfterDays'], value: 100, expected: expect.stringMatching(/at least 30 days more/) }),
    ]);
  });

  it('rejects an Object Lock retention longer than the expiry', () => {
    const problems = problemsWith((input) => {
      input.logArchive.objectLock = { mode: 'GOVERNANCE', retentionDays: 3000 };
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['logArchive', 'objectLock', 'retentionDays'], value: 3000, expected: expect.stringMatching(/at most lifecycle.expireAfterDays \(2557\)/) }),
    ]);
  });

  it('rejects a break-glass role or reader role that is not a role ARN', () => {
    const problems = problemsWith((input) => {
      input.logArchive.breakGlassRoleArn = 'acme-log-break-glass';
      input.logArchive.readerRoleArns = ['arn:aws:iam::333333333333:user/alice'];
    });
    expect(problems.map(pathOf).sort()).toEqual(['logArchive.breakGlassRoleArn', 'logArchive.readerRoleArns.0']);
    expect(problems[0].expected).toMatch(/IAM role ARN/);
  });

  it('names the path, the value and the expectation for a bad break-glass role', () => {
    const input = exampleInput() as Record<string, any>;
    input.logArchive.breakGlassRoleArn = 'break-glass';
    expect(() => parseConfig(input, 'my.json')).toThrow(/logArchive\.breakGlassRoleArn: got "break-glass"; expected an IAM role ARN/);
  });
});

describe('organization trail and CIS alarm settings', () => {
  it('rejects a monitored bucket that is not a valid bucket name, naming the path and the value', () => {
    const problems = problemsWith((input) => {
      input.detector.monitoredBuckets[0].name = 'Customer_Records';
      input.detector.monitoredBuckets.push({ ...input.detector.monitoredBuckets[0], name: '192.168.1.10' });
    });
    expect(problems.map(pathOf).sort()).toEqual(['detector.monitoredBuckets.0.name', 'detector.monitoredBuckets.1.name']);
    expect(problems.find((problem) => pathOf(problem) === 'detector.monitoredBuckets.0.name')).toMatchObject({
      value: 'Customer_Records',
      expected: expect.stringMatching(/lower-case letters, digits, dots and hyphens/),
    });
    expect(problems.find((problem) => pathOf(problem) === 'detector.monitoredBuckets.1.name')!.expected).toMatch(/IP address/);
  });

  it('rejects an alarm that does not exist, suggesting the closest', () => {
    const problems = problemsWith((input) => {
      input.monitoring = { alarms: { 'root-acount-usage': { enabled: false } } };
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['monitoring', 'alarms', 'root-acount-usage'], expected: 'unknown key; did you mean "root-account-usage"?' }),
    ]);
  });

  it('rejects an alarm exclusion whose selector is not a CloudTrail field', () => {
    const problems = problemsWith((input) => {
      input.monitoring = { alarms: { 'unauthorized-api-calls': { exclude: [{ selector: 'userIdentity.arn', value: 'x' }] } } };
    });
    expect(problems.map(pathOf)).toEqual(['monitoring.alarms.unauthorized-api-calls.exclude.0.selector']);
    expect(problems[0].expected).toMatch(/CloudTrail field selector/);
  });

  it('rejects an exclusion value that would break out of the pattern', () => {
    const problems = problemsWith((input) => {
      input.monitoring = { alarms: { 'root-account-usage': { exclude: [{ selector: '$.sourceIPAddress', value: 'x") || ("y' }] } } };
    });
    expect(problems.map(pathOf)).toEqual(['monitoring.alarms.root-account-usage.exclude.0.value']);
  });

  it('rejects exclusions that would make a pattern longer than CloudWatch Logs accepts', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({
      selector: '$.userIdentity.sessionContext.sessionIssuer.arn',
      value: `arn:aws:iam::444444444444:role/acme-automation-${index}`,
    }));
    const problems = problemsWith((input) => {
      input.monitoring = { alarms: { 'organizations-changes': { exclude } } };
    });
    expect(problems.map(pathOf)).toEqual(['monitoring.alarms.organizations-changes.exclude']);
    expect(problems[0].expected).toMatch(/at most 1024/);
  });

  it('rejects an email address that is not one', () => {
    const problems = problemsWith((input) => {
      input.notifications.emails = ['security-alerts@example.com', 'security team'];
    });
    expect(problems).toEqual([{ path: ['notifications', 'emails', 1], value: 'security team', expected: 'expected an email address' }]);
  });

  it('rejects a log retention CloudWatch Logs does not accept, listing those it does', () => {
    const problems = problemsWith((input) => {
      input.trail = { cloudWatchLogsRetentionDays: 366 };
    });
    expect(problems.map(pathOf)).toEqual(['trail.cloudWatchLogsRetentionDays']);
    expect(problems[0].value).toBe(366);
    expect(problems[0].expected).toMatch(/365, 400, 545, 731/);
  });

  it('rejects Insights and an empty trail in data-events-only mode', () => {
    const problems = problemsWith((input) => {
      input.trail = { mode: 'data-events-only', insights: true };
      input.detector.monitoredBuckets = [];
    });
    expect(problems.map(pathOf).sort()).toEqual(['trail.insights', 'trail.mode']);
    expect(problems.find((problem) => pathOf(problem) === 'trail.insights')!.expected).toMatch(/needs the trail to log management events/);
    expect(problems.find((problem) => pathOf(problem) === 'trail.mode')!.expected).toMatch(/logs nothing/);
  });

  it('rejects a CIS log group of another trail unless the mode is data-events-only, and a bad group name', () => {
    const problems = problemsWith((input) => {
      input.monitoring = { logGroupName: 'aws-controltower/CloudTrailLogs' };
    });
    expect(problems.map(pathOf)).toEqual(['monitoring.logGroupName']);
    expect(problems[0].expected).toMatch(/unless trail.mode is "data-events-only"/);
    const badName = problemsWith((input) => {
      input.trail = { mode: 'data-events-only' };
      input.monitoring = { logGroupName: 'cloudtrail logs' };
    });
    expect(badName).toEqual([
      expect.objectContaining({ path: ['monitoring', 'logGroupName'], expected: expect.stringMatching(/CloudWatch Logs group name/) }),
    ]);
  });

  it('accepts data-events-only mode with monitored buckets', () => {
    const input = exampleInput() as Record<string, any>;
    input.trail = { mode: 'data-events-only' };
    expect(parseConfig(input).trail.mode).toBe('data-events-only');
  });
});

describe('guardrail and security service settings', () => {
  it('rejects allowed regions that leave out an enabled region', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { regionDeny: { enabled: true, allowedRegions: ['eu-west-1', 'eu-central-1'] } };
    });
    expect(problems.map(pathOf)).toEqual(['guardrails.regionDeny.allowedRegions']);
    expect(problems[0].expected).toMatch(/us-east-1 is missing/);
  });

  it('rejects a repeated guardrail target and a root other than the organization root', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { targets: ['ou-a1b2-workload1', 'ou-a1b2-workload1', 'r-zz99'] };
    });
    expect(problems.map(pathOf).sort()).toEqual(['guardrails.targets.1', 'guardrails.targets.2']);
    expect(problems.find((problem) => pathOf(problem) === 'guardrails.targets.2')?.expected).toMatch(/organization root \(r-a1b2\)/);
  });

  it('rejects a guardrail target that is neither a root nor an organizational unit', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { targets: ['111111111111'] };
    });
    expect(problems.map(pathOf)).toEqual(['guardrails.targets.0']);
  });

  it('rejects a data perimeter with monitored buckets but no allowed network, which would lock everyone out', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { dataPerimeter: { enabled: true } };
    });
    expect(problems.map(pathOf)).toEqual(['guardrails.dataPerimeter']);
    expect(problems[0].expected).toMatch(/allowedCidrs or allowedVpcIds/);
  });

  it('rejects a data perimeter too large for a resource control policy, naming the limit', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { dataPerimeter: { enabled: true, allowedCidrs: ['203.0.113.0/24'] } };
      input.detector.monitoredBuckets = Array.from({ length: 60 }, (_, index) => ({
        name: `acme-monitored-bucket-number-${index}`,
        account: 'workload-prod',
        region: 'eu-west-1',
        keyPatterns: ['*'],
      }));
    });
    expect(problems.map(pathOf)).toEqual(['guardrails.dataPerimeter']);
    expect(problems[0].expected).toMatch(/would be \d+ characters, and AWS Organizations accepts at most 5120/);
  });

  it('rejects an unknown severity threshold', () => {
    const problems = problemsWith((input) => {
      input.securityServices = { findingsSeverityThreshold: 'SEVERE' };
    });
    expect(problems.map(pathOf)).toEqual(['securityServices.findingsSeverityThreshold']);
  });
});

describe('the home region', () => {
  it('must be a region where AWS Config can record the global IAM types', () => {
    const problems = problemsWith((input) => {
      input.regions = { home: 'eu-south-2', enabled: ['eu-south-2', 'eu-west-1'] };
    });
    expect(problems.map(pathOf)).toContain('regions.home');
    expect(problems.find((problem) => pathOf(problem) === 'regions.home')!.expected).toMatch(/records IAM users/);
  });
});
