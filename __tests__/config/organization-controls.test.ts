import type { ConfigProblem } from '../../config/problems';
import { problemsWith } from './example-input';

/*
 * The organization controls against the rest of the configuration: the accounts they name exist, and the detector
 * does not watch the log archive's own buckets.
 */

const summary = (problems: ConfigProblem[]) => problems.map((problem) => `${problem.path.join('.')}: ${JSON.stringify(problem.value)}: ${problem.expected}`);
const ACCOUNTS = 'management, log-archive, security, workload-prod, workload-dev';

describe('VPC block public access exclusions', () => {
  const exclusion = (account: string) => ({ account, region: 'eu-west-1', vpcId: 'vpc-0a1b2c3d', reason: 'central egress' });
  const withExclusions = (...accounts: string[]) => (input: Record<string, any>) => {
    input.guardrails = { ec2DeclarativePolicy: { vpcBlockPublicAccess: { exclusions: accounts.map(exclusion) } } };
  };

  it('accepts a VPC of any account of the configuration', () => {
    expect(problemsWith(withExclusions('management', 'workload-dev'))).toEqual([]);
  });

  it('names exactly one of a VPC or a subnet', () => {
    const exclusions = (...entries: Record<string, string>[]) => (input: Record<string, any>) => {
      input.guardrails = { ec2DeclarativePolicy: { vpcBlockPublicAccess: { exclusions: entries.map((entry) => ({ account: 'workload-prod', region: 'eu-west-1', reason: 'egress', ...entry })) } } };
    };
    expect(problemsWith(exclusions({ subnetId: 'subnet-0a1b2c3d' }))).toEqual([]);
    expect(problemsWith(exclusions({ vpcId: 'vpc-0a1b2c3d', subnetId: 'subnet-0a1b2c3d' }, {}, { vpcId: 'vpc-0a1b2c3d' })).map((problem) => `${problem.path.join('.')}: ${problem.expected}`)).toEqual([
      'guardrails.ec2DeclarativePolicy.vpcBlockPublicAccess.exclusions.0: expected exactly one of vpcId or subnetId',
      'guardrails.ec2DeclarativePolicy.vpcBlockPublicAccess.exclusions.1: expected exactly one of vpcId or subnetId',
    ]);
  });

  it('rejects a VPC of an account the configuration does not have', () => {
    expect(summary(problemsWith(withExclusions('workload-prod', 'network')))).toEqual([
      `guardrails.ec2DeclarativePolicy.vpcBlockPublicAccess.exclusions.1.account: "network": expected the name of an account of the configuration (${ACCOUNTS})`,
    ]);
  });
});

describe('GuardDuty malware protection buckets', () => {
  const withBuckets = (...accounts: string[]) => (input: Record<string, any>) => {
    input.securityServices = {
      guardDuty: { s3MalwareProtection: { buckets: accounts.map((account, index) => ({ name: `acme-uploads-${index}`, account, region: 'eu-west-1' })) } },
    };
  };

  it('accepts a bucket of any account of the configuration', () => {
    expect(problemsWith(withBuckets('security', 'workload-prod'))).toEqual([]);
  });

  it('rejects a bucket of an account the configuration does not have', () => {
    expect(summary(problemsWith(withBuckets('uploads', 'workload-prod')))).toEqual([
      `securityServices.guardDuty.s3MalwareProtection.buckets.0.account: "uploads": expected the name of an account of the configuration (${ACCOUNTS})`,
    ]);
  });
});

describe('monitored buckets and the log archive', () => {
  const monitoring = (name: string) => (input: Record<string, any>) => {
    input.detector.monitoredBuckets.push({ name, account: 'log-archive', region: 'eu-west-1', keyPatterns: ['*'] });
  };
  const loop = 'expected a bucket that is not one of the log archive\'s own buckets: the trail would log data events of its own log delivery, in a loop';

  it('rejects the log bucket and its access-log bucket, whose data events would log their own delivery', () => {
    expect(summary(problemsWith(monitoring('acme-logs-222222222222-eu-west-1')))).toEqual([`detector.monitoredBuckets.1.name: "acme-logs-222222222222-eu-west-1": ${loop}`]);
    expect(summary(problemsWith(monitoring('acme-access-logs-222222222222-eu-west-1')))).toEqual([
      `detector.monitoredBuckets.1.name: "acme-access-logs-222222222222-eu-west-1": ${loop}`,
    ]);
  });

  it('accepts another bucket of the log archive account', () => {
    expect(problemsWith(monitoring('acme-logs-222222222222-eu-central-1'))).toEqual([]);
  });
});
