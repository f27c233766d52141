import type { ConfigProblem } from '../../config/problems';
import { dataPerimeter } from '../../lib/guardrails/data-perimeter';
import { POLICY_MAX_CHARACTERS, policySize } from '../../lib/guardrails/guardrail-policy';
import { cisPattern, MAX_FILTER_PATTERN_LENGTH, withExclusions } from '../../lib/monitoring/cis-filters';
import { managementWorkloadPatterns } from '../../lib/monitoring/management-account-workloads';
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

describe('a section that is itself wrong', () => {
  it('leaves the rules that read it out, instead of judging the rest against it', () => {
    expect(
      summary(
        problemsWith((input) => {
          input.organization.id = 'bad';
          input.guardrails = { targets: ['r-zz99'], dataPerimeter: { enabled: true, allowedCidrs: ['203.0.113.0/24'] } };
        }),
      ),
    ).toEqual(['organization.id: "bad": expected an organization id such as "o-a1b2c3d4e5"']);
    expect(
      summary(
        problemsWith((input) => {
          input.accounts.security.id = 'x';
          input.detector.monitoredBuckets[0].account = 'nobody';
          input.deployment = { profiles: { nobody: 'profile-nobody' } };
          input.costGuardrails = { budgets: { accountLimitsUsd: { nobody: 5 } } };
        }),
      ),
    ).toEqual(['accounts.security.id: "x": expected exactly 12 digits']);
    expect(
      summary(
        problemsWith((input) => {
          input.regions.home = 'eu-wst-1';
          input.detector.monitoredBuckets[0].region = 'ap-south-1';
          input.guardrails = { regionDeny: { allowedRegions: ['ap-south-1'] } };
          input.accountBaseline = { ebsDefaultKmsKeyArn: 'arn:aws:kms:ap-south-1:111111111111:key/abc' };
        }),
      ),
    ).toEqual(['regions.home: "eu-wst-1": expected an AWS region code such as "eu-west-1"; did you mean "eu-west-1"?']);
    expect(
      problemsWith((input) => {
        input.trail = { cloudWatchLogsRetentionDays: 366 };
        input.monitoring = { logGroupName: 'aws-controltower/CloudTrailLogs' };
      }).map((problem) => problem.path.join('.')),
    ).toEqual(['trail.cloudWatchLogsRetentionDays']);
  });

  it('still applies the rules of a section with an unknown key, however deep', () => {
    expect(
      problemsWith((input) => {
        input.regions.enabeld = [];
        input.regions.home = 'us-west-2';
        input.guardrails = { regionDeny: { allowedRegions: ['eu-west-1', 'eu-central-1'], alowed: true }, targets: ['r-zz99'], typo: 1 };
      }).map((problem) => `${problem.path.join('.')}: ${problem.expected}`),
    ).toEqual([
      'regions.enabeld: unknown key; did you mean "enabled"?',
      'guardrails.regionDeny.alowed: unknown key; expected one of: enabled, allowedRegions',
      'guardrails.typo: unknown key; expected one of: targets, denyLeaveOrganization, protectBaseline, denyRootUser, requireImdsv2, denyPublicEcr, regionDeny, ec2DeclarativePolicy, rootAccess, dataPerimeter',
      'regions.home: expected one of the enabled regions (eu-west-1, eu-central-1, us-east-1)',
      'guardrails.regionDeny.allowedRegions: expected every enabled region to be allowed; us-east-1 is missing',
      'guardrails.targets.0: expected the organization root (r-a1b2) or an organizational unit ("ou-…")',
    ]);
  });

  it('leaves out a section with an unknown key beside a wrong value', () => {
    expect(
      problemsWith((input) => {
        input.regions = { home: 'us-west-2', enabled: ['eu-west-1', 'eu-wst-9'], extra: true };
        input.guardrails = { regionDeny: { allowedRegions: ['eu-west-1'], enabled: 'yes' } };
      }).map((problem) => problem.path.join('.')),
    ).toEqual(['regions.enabled.1', 'regions.extra', 'guardrails.regionDeny.enabled']);
  });
});

describe('the data perimeter', () => {
  const perimeter = (dataPerimeter: Record<string, unknown>, buckets?: unknown[]) => (input: Record<string, any>) => {
    input.guardrails = { dataPerimeter };
    if (buckets) input.detector.monitoredBuckets = buckets;
  };

  it('names both empty lists when the monitored buckets would be closed to everyone', () => {
    expect(summary(problemsWith(perimeter({ enabled: true })))).toEqual([
      'guardrails.dataPerimeter: {"allowedCidrs":[],"allowedVpcIds":[]}: expected at least one allowedCidrs or allowedVpcIds entry: with none, the data perimeter would deny every request to the monitored buckets',
    ]);
  });

  it('accepts a VPC alone, a network alone, or both, and no networks while no bucket is monitored or the perimeter is off', () => {
    expect(problemsWith(perimeter({ enabled: true, allowedVpcIds: ['vpc-0a1b2c3d'] }))).toEqual([]);
    expect(problemsWith(perimeter({ enabled: true, allowedCidrs: ['203.0.113.0/24'] }))).toEqual([]);
    expect(problemsWith(perimeter({ enabled: true, allowedCidrs: ['203.0.113.0/24'], allowedVpcIds: ['vpc-0a1b2c3d'] }))).toEqual([]);
    expect(problemsWith(perimeter({ enabled: true }, []))).toEqual([]);
    expect(problemsWith(perimeter({ enabled: false }))).toEqual([]);
  });

  it('counts what made the policy too large', () => {
    const buckets = Array.from({ length: 60 }, (_, index) => ({ name: `acme-monitored-bucket-number-${index}`, account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['*'] }));
    const [problem] = problemsWith(perimeter({ enabled: true, allowedCidrs: ['203.0.113.0/24'], allowedVpcIds: ['vpc-0a1b2c3d', 'vpc-0a1b2c3e'] }, buckets));
    expect(problem.value).toEqual({ allowedCidrs: 1, allowedVpcIds: 2, monitoredBuckets: 60 });
  });
});

describe('CIS alarm exclusions', () => {
  const exclude = Array.from({ length: 12 }, (_, index) => ({
    selector: '$.userIdentity.sessionContext.sessionIssuer.arn',
    value: `arn:aws:iam::444444444444:role/acme-automation-${index}`,
  }));

  it('are not measured on a disabled alarm, which has no filter', () => {
    expect(problemsWith((input) => (input.monitoring = { alarms: { 'organizations-changes': { enabled: false, exclude } } }))).toEqual([]);
  });

  it('name the alarm, the exclusions and the length', () => {
    const problems = problemsWith((input) => (input.monitoring = { alarms: { 'vpc-changes': { exclude } } }));
    expect(problems).toEqual([
      {
        path: ['monitoring', 'alarms', 'vpc-changes', 'exclude'],
        value: exclude,
        expected: expect.stringMatching(/^expected fewer or shorter exclusions: the filter pattern would be \d{4} characters, and CloudWatch Logs accepts at most 1024$/),
      },
    ]);
  });
});

describe('the management account workload alarm', () => {
  it('says which pattern is too long, in the configuration\'s terms', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({ selector: '$.userIdentity.arn', value: `x${index}${'y'.repeat(60)}` }));
    const problems = problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude } }));
    expect(problems).toHaveLength(1);
    expect(problems[0].value).toEqual(exclude);
    expect(problems[0].expected).toMatch(/^expected fewer or shorter exclusions: the filter pattern for [a-z0-9.]+\.amazonaws\.com would be \d+ characters; CloudWatch Logs accepts at most 1024$/);
  });
});

describe('the compute launch deny', () => {
  it('is accepted with the budgets it acts through, and names the setting without them', () => {
    expect(problemsWith((input) => (input.costGuardrails = { computeLaunchDeny: { enabled: true } }))).toEqual([]);
    expect(summary(problemsWith((input) => (input.costGuardrails = { budgets: { enabled: false }, computeLaunchDeny: { enabled: true } })))).toEqual([
      'costGuardrails.computeLaunchDeny.enabled: true: expected costGuardrails.budgets.enabled: the deny is a budget action, so it needs the budgets',
    ]);
  });

  it('names an unknown account of a per-account budget with its amount', () => {
    expect(summary(problemsWith((input) => (input.costGuardrails = { budgets: { accountLimitsUsd: { 'workload-prod': 10, nobody: 5 } } })))).toEqual([
      'costGuardrails.budgets.accountLimitsUsd.nobody: 5: expected keys that are account names (management, log-archive, security, workload-prod, workload-dev)',
    ]);
  });
});

describe('the detection drill', () => {
  const unreadable = (input: Record<string, any>) => (input.detector.monitoredBuckets[0].keyPatterns = ['$*']);

  it('needs a canary key for each monitored bucket while the detector runs', () => {
    expect(problemsWith(unreadable).map((problem) => problem.path.join('.'))).toEqual(['detector.monitoredBuckets.0.keyPatterns']);
  });

  it('is not checked while the detector is off', () => {
    expect(
      problemsWith((input) => {
        unreadable(input);
        input.detector.enabled = false;
      }),
    ).toEqual([]);
  });

  it('skips the buckets of the management account, where no drill runs', () => {
    expect(
      problemsWith((input) => {
        unreadable(input);
        input.detector.monitoredBuckets[0].account = 'management';
      }),
    ).toEqual([]);
  });
});

describe('the data-events-only trail without a detector section', () => {
  it('has no monitored buckets, so logs nothing', () => {
    expect(
      problemsWith((input) => {
        delete input.detector;
        input.trail = { mode: 'data-events-only' };
      }).map((problem) => problem.path.join('.')),
    ).toEqual(['trail.mode']);
  });
});

describe('account names and ids', () => {
  it('rejects a name two accounts share, naming the second', () => {
    expect(summary(problemsWith((input) => (input.accounts.members[1].name = 'log-archive')))).toEqual([
      'accounts.members.1.name: "log-archive": expected an account name no other account has',
    ]);
  });
});

describe('monitored buckets that are themselves wrong', () => {
  it('leave the data-events-only rule out rather than count as none', () => {
    expect(
      summary(
        problemsWith((input) => {
          input.trail = { mode: 'data-events-only' };
          input.detector.monitoredBuckets[0].region = 'eu-wst-1';
        }),
      ),
    ).toEqual(['detector.monitoredBuckets.0.region: "eu-wst-1": expected an AWS region code such as "eu-west-1"; did you mean "eu-west-1"?']);
  });
});

describe('limits at their exact value', () => {
  it('accepts a CIS filter pattern of exactly the length CloudWatch Logs allows, and refuses one character more', () => {
    const selector = '$.userIdentity.arn';
    const base = withExclusions(cisPattern('root-account-usage'), [{ selector, value: '' }]).length;
    const exclusion = (length: number) => (input: Record<string, any>) => {
      input.monitoring = { alarms: { 'root-account-usage': { exclude: [{ selector, value: 'v'.repeat(length) }] } } };
    };
    expect(problemsWith(exclusion(MAX_FILTER_PATTERN_LENGTH - base))).toEqual([]);
    expect(problemsWith(exclusion(MAX_FILTER_PATTERN_LENGTH - base + 1)).map((problem) => problem.expected)).toEqual([
      `expected fewer or shorter exclusions: the filter pattern would be ${MAX_FILTER_PATTERN_LENGTH + 1} characters, and CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}`,
    ]);
  });

  it('measures the workload alarm\'s patterns with a real 12-digit account id: one character over is refused', () => {
    const selector = '$.userIdentity.arn';
    const refused = (length: number) => {
      try {
        managementWorkloadPatterns('444444444444', [{ selector, value: 'v'.repeat(length) }]);
        return false;
      } catch {
        return true;
      }
    };
    let longest = 0;
    while (!refused(longest + 1)) longest++;
    const exclusion = (length: number) => (input: Record<string, any>) => {
      input.monitoring = { managementAccountWorkloads: { exclude: [{ selector, value: 'v'.repeat(length) }] } };
    };
    expect(problemsWith(exclusion(longest))).toEqual([]);
    expect(problemsWith(exclusion(longest + 1)).map((problem) => problem.expected)).toEqual([
      expect.stringMatching(new RegExp(`would be ${MAX_FILTER_PATTERN_LENGTH + 1} characters; CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}$`)),
    ]);
  });

  it('accepts a data perimeter of exactly the size AWS Organizations allows, and refuses one character more', () => {
    const name = (index: number, extra: number) => `acme-perimeter-${String(index).padStart(5, '0')}${'x'.repeat(extra)}`;
    const sizeOf = (names: string[], cidr: string) =>
      policySize(dataPerimeter('', { organizationId: 'o-a1b2c3d4e5', monitoredBucketNames: names, allowedCidrs: [cidr], allowedVpcIds: [] }).document);
    // A bucket name counts twice in the policy (the bucket and its objects), a network once: the network sets the parity.
    const perimeterOfSize = (target: number) => {
      for (const cidr of ['10.0.0.0/8', '10.0.0.0/16']) {
        const names: string[] = [];
        while (sizeOf([...names, name(names.length, 0)], cidr) <= target) names.push(name(names.length, 0));
        for (let extra = 0; extra <= 43; extra++) {
          const longer = [...names.slice(0, -1), name(names.length - 1, extra)];
          if (sizeOf(longer, cidr) === target) return { names: longer, cidr };
        }
      }
      throw new Error(`no perimeter of ${target} characters`);
    };
    const perimeter = ({ names, cidr }: { names: string[]; cidr: string }) => (input: Record<string, any>) => {
      input.guardrails = { dataPerimeter: { enabled: true, allowedCidrs: [cidr] } };
      input.detector.monitoredBuckets = names.map((bucket) => ({ name: bucket, account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['*'] }));
    };
    expect(problemsWith(perimeter(perimeterOfSize(POLICY_MAX_CHARACTERS)))).toEqual([]);
    expect(problemsWith(perimeter(perimeterOfSize(POLICY_MAX_CHARACTERS + 1))).map((problem) => problem.expected)).toEqual([
      `expected fewer CIDRs, VPCs or monitored buckets: the resource control policy would be ${POLICY_MAX_CHARACTERS + 1} characters, and AWS Organizations accepts at most ${POLICY_MAX_CHARACTERS}`,
    ]);
  });
});

describe('messages of the cross-checks, word for word', () => {
  it('names a repeated guardrail target, an EBS key\'s enabled regions and Insights turned on', () => {
    expect(summary(problemsWith((input) => (input.guardrails = { targets: ['ou-a1b2-workload1', 'ou-a1b2-workload1'] })))).toEqual([
      'guardrails.targets.1: "ou-a1b2-workload1": expected each target once',
    ]);
    const key = 'arn:aws:kms:ap-south-1:444444444444:key/1234abcd';
    expect(summary(problemsWith((input) => (input.accountBaseline = { ebsDefaultKmsKeyArn: key })))).toEqual([
      `accountBaseline.ebsDefaultKmsKeyArn: "${key}": expected a key in an enabled region (eu-west-1, eu-central-1, us-east-1)`,
    ]);
    expect(summary(problemsWith((input) => (input.trail = { mode: 'data-events-only', insights: true })))).toEqual([
      'trail.insights: true: expected false when trail.mode is "data-events-only": CloudTrail Insights needs the trail to log management events',
    ]);
  });

  it('names the log archive account when its id is the management account\'s', () => {
    expect(summary(problemsWith((input) => (input.accounts.logArchive.id = input.accounts.management.id)))).toEqual([
      'accounts.logArchive.id: "111111111111": expected an account id no other account has',
    ]);
  });

  it('accepts an email and an HTTPS endpoint together', () => {
    expect(problemsWith((input) => (input.notifications = { emails: ['soc@example.com'], httpsEndpoints: ['https://hooks.example.com/soc'] }))).toEqual([]);
  });
});
