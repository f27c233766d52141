import type { ConfigProblem } from '../../config/problems';
import { problemsWith } from './example-input';

/*
 * The rules that relate one section to another, each with input that must pass beside the input that must fail.
 */


const summary = (problems: ConfigProblem[]) => problems.map((problem) => `${problem.path.join('.')}: ${JSON.stringify(problem.value)}: ${problem.expected}`);

describe('notification recipients', () => {
  it('rejects a configuration whose alarms would reach nobody', () => {
    expect(summary(problemsWith((input) => (input.notifications = { emails: [], httpsEndpoints: [] })))).toEqual([
      'notifications: {"emails":[],"httpsEndpoints":[]}: expected at least one email or HTTPS endpoint: alarms must reach somebody',
    ]);
    expect(summary(problemsWith((input) => delete input.notifications))).toEqual([
      'notifications: undefined: expected at least one email or HTTPS endpoint: alarms must reach somebody',
    ]);
  });

  it('accepts an HTTPS endpoint alone, or an email alone', () => {
    expect(problemsWith((input) => (input.notifications = { httpsEndpoints: ['https://hooks.example.com/soc'] }))).toEqual([]);
    expect(problemsWith((input) => (input.notifications = { emails: ['soc@example.com'] }))).toEqual([]);
  });
});

describe('monitored buckets', () => {
  const bucket = (name: string, account: string, region: string) => ({ name, account, region, keyPatterns: ['*'] });

  it('rejects a bucket of an unknown account, in a region not enabled, and a bucket listed twice', () => {
    const problems = problemsWith((input) => {
      input.detector.monitoredBuckets = [
        bucket('acme-data-a', 'workload-prod', 'eu-west-1'),
        bucket('acme-data-b', 'workload-test', 'ap-south-1'),
        bucket('acme-data-a', 'workload-dev', 'us-east-1'),
      ];
    });
    expect(summary(problems)).toEqual([
      'detector.monitoredBuckets.1.account: "workload-test": expected the name of an account (management, log-archive, security, workload-prod, workload-dev)',
      'detector.monitoredBuckets.1.region: "ap-south-1": expected an enabled region (eu-west-1, eu-central-1, us-east-1)',
      'detector.monitoredBuckets.2.name: "acme-data-a": expected each bucket once',
    ]);
  });

  it('accepts buckets of any account in any enabled region', () => {
    expect(
      problemsWith((input) => {
        input.detector.monitoredBuckets = [bucket('acme-data-a', 'workload-prod', 'eu-west-1'), bucket('acme-data-b', 'security', 'us-east-1'), bucket('acme-data-c', 'management', 'eu-central-1')];
      }),
    ).toEqual([]);
  });

  it('still checks buckets when another detector setting is wrong', () => {
    const problems = problemsWith((input) => {
      input.detector.authorizedCidrs = ['10.1/16'];
      input.detector.monitoredBuckets = [bucket('acme-data-a', 'nobody', 'eu-west-1')];
    });
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['detector.authorizedCidrs.0', 'detector.monitoredBuckets.0.account']);
  });
});

describe('deployment profiles', () => {
  const accounts = ['management', 'log-archive', 'security', 'workload-prod', 'workload-dev'];
  const profiles = (names: string[]) => Object.fromEntries(names.map((name) => [name, `profile-${name}`]));

  it('accepts a profile for every account, and no profiles at all', () => {
    expect(problemsWith((input) => (input.deployment = { profiles: profiles(accounts) }))).toEqual([]);
    expect(problemsWith((input) => (input.deployment = {}))).toEqual([]);
  });

  it('rejects a profile for an account that does not exist and an account without a profile', () => {
    const problems = problemsWith((input) => (input.deployment = { profiles: profiles([...accounts.filter((name) => name !== 'workload-dev'), 'workload-qa']) }));
    expect(problems.map((problem) => `${problem.path.join('.')}: ${problem.expected}`)).toEqual([
      'deployment.profiles.workload-qa: expected keys that are account names (management, log-archive, security, workload-prod, workload-dev)',
      'deployment.profiles: expected a profile for every account; "workload-dev" has none',
    ]);
    expect(problems[0].value).toBe('profile-workload-qa');
  });
});

describe('allowed regions of the region deny', () => {
  it('rejects a region allowed twice', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { regionDeny: { enabled: true, allowedRegions: ['eu-west-1', 'eu-central-1', 'us-east-1', 'eu-west-1'] } };
    });
    expect(summary(problems)).toEqual(['guardrails.regionDeny.allowedRegions.3: "eu-west-1": expected each region once']);
  });

  it('accepts every enabled region and more', () => {
    expect(
      problemsWith((input) => {
        input.guardrails = { regionDeny: { enabled: true, allowedRegions: ['us-east-1', 'eu-central-1', 'eu-west-1', 'eu-north-1'] } };
      }),
    ).toEqual([]);
  });

  it('names each enabled region left out', () => {
    const problems = problemsWith((input) => {
      input.guardrails = { regionDeny: { enabled: true, allowedRegions: ['eu-north-1'] } };
    });
    expect(problems.map((problem) => problem.expected)).toEqual([
      'expected every enabled region to be allowed; eu-west-1 is missing',
      'expected every enabled region to be allowed; eu-central-1 is missing',
      'expected every enabled region to be allowed; us-east-1 is missing',
    ]);
  });
});

describe('lifecycle and Object Lock', () => {
  it('accepts the tightest lifecycle S3 allows, and a lock as long as the expiry', () => {
    expect(
      problemsWith((input) => {
        input.logArchive = {
          lifecycle: { infrequentAccessAfterDays: 30, glacierAfterDays: 60, expireAfterDays: 61 },
          objectLock: { mode: 'GOVERNANCE', retentionDays: 61 },
        };
      }),
    ).toEqual([]);
  });

  it('rejects one day less on each', () => {
    const problems = problemsWith((input) => {
      input.logArchive = {
        lifecycle: { infrequentAccessAfterDays: 30, glacierAfterDays: 59, expireAfterDays: 59 },
        objectLock: { mode: 'GOVERNANCE', retentionDays: 60 },
      };
    });
    expect(problems.map((problem) => problem.path.join('.'))).toEqual([
      'logArchive.lifecycle.glacierAfterDays',
      'logArchive.lifecycle.expireAfterDays',
      'logArchive.objectLock.retentionDays',
    ]);
  });
});

describe('the data-events-only trail', () => {
  it('accepts Lambda data events alone, and a CIS log group', () => {
    expect(
      problemsWith((input) => {
        input.trail = { mode: 'data-events-only', lambdaDataEvents: true };
        input.detector.monitoredBuckets = [];
        input.monitoring = { logGroupName: 'aws-controltower/CloudTrailLogs' };
      }),
    ).toEqual([]);
  });

  it('accepts Insights on a full trail', () => {
    expect(problemsWith((input) => (input.trail = { mode: 'full', insights: true }))).toEqual([]);
  });
});

describe('the EBS key', () => {
  it('accepts a key in an enabled region', () => {
    expect(problemsWith((input) => (input.accountBaseline = { ebsDefaultKmsKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/mrk-1234' }))).toEqual([]);
  });
});

describe('guardrail targets', () => {
  it('accepts the organization root and organizational units', () => {
    expect(problemsWith((input) => (input.guardrails = { targets: ['r-a1b2', 'ou-a1b2-workload1'] }))).toEqual([]);
  });
});
