import { TerraformStack, Testing } from 'cdktf';
import { BaselineNames } from '../../lib/naming';
import { S3MalwareProtection } from '../../lib/security-services/s3-malware-protection';
import { configWith, resourcesOf, synthStack } from '../helpers';

const LOG_BUCKET = 'arn:aws:s3:::acme-logs-222222222222-eu-west-1';
const ACCESS_LOG_BUCKET = 'arn:aws:s3:::acme-access-logs-222222222222-eu-west-1';

/** The security stack with internal access findings off and Runtime Monitoring on without EC2 agent management. */
let custom: ReturnType<typeof synthStack> | undefined;
function customSecurity() {
  custom ??= synthStack(
    'security',
    configWith((input) => {
      input.securityServices = { accessAnalyzer: { internalAccess: false }, guardDuty: { runtimeMonitoring: true, runtimeMonitoringAgents: { ec2: false } } };
    }),
  );
  return custom;
}
const example = synthStack('security');

describe('IAM Access Analyzer internal access', () => {
  it('analyzes who in the organization can reach the log archive buckets and the monitored buckets, in their region', () => {
    // Act
    const analyzers = Object.values(resourcesOf(example, 'aws_accessanalyzer_analyzer')).filter(
      (analyzer) => analyzer.type === 'ORGANIZATION_INTERNAL_ACCESS',
    );
    // Assess: all three live in eu-west-1; KMS keys are not a type internal access analyzers support.
    expect(analyzers).toEqual([
      expect.objectContaining({
        analyzer_name: 'acme-internal-access',
        region: 'eu-west-1',
        configuration: {
          internal_access: { analysis_rule: { inclusion: [{ resource_arns: [ACCESS_LOG_BUCKET, 'arn:aws:s3:::acme-customer-records', LOG_BUCKET] }] } },
        },
      }),
    ]);
  });

  it('is not created when turned off', () => {
    const types = Object.values(resourcesOf(customSecurity(), 'aws_accessanalyzer_analyzer')).map((analyzer) => analyzer.type);
    expect(types).not.toContain('ORGANIZATION_INTERNAL_ACCESS');
    expect(types).toContain('ORGANIZATION');
  });
});

describe('GuardDuty Runtime Monitoring agent management', () => {
  const agents = (stack: ReturnType<typeof synthStack>) =>
    Object.values(resourcesOf(stack, 'aws_guardduty_organization_configuration_feature'))
      .filter((feature) => feature.name === 'RUNTIME_MONITORING' && feature.region === 'eu-west-1')
      .flatMap((feature) => feature.additional_configuration as { name: string; auto_enable: string }[]);

  it('manages no agent while Runtime Monitoring is off (the default: it is billed per vCPU)', () => {
    expect(agents(example).map((agent) => agent.auto_enable)).toEqual(['NONE', 'NONE', 'NONE']);
  });

  it('manages the agent where chosen once Runtime Monitoring is on', () => {
    expect(Object.fromEntries(agents(customSecurity()).map((agent) => [agent.name, agent.auto_enable]))).toEqual({
      EKS_ADDON_MANAGEMENT: 'ALL',
      ECS_FARGATE_AGENT_MANAGEMENT: 'ALL',
      EC2_AGENT_MANAGEMENT: 'NONE',
    });
  });
});

describe('GuardDuty Malware Protection for S3', () => {
  const protectedBucket = (change: Record<string, unknown> = {}) =>
    configWith((input) => {
      input.securityServices = {
        guardDuty: {
          s3MalwareProtection: {
            buckets: [
              {
                name: 'acme-uploads',
                account: 'workload-prod',
                region: 'eu-central-1',
                prefixes: ['incoming/'],
                kmsKeyArn: 'arn:aws:kms:eu-central-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab',
              },
            ],
            ...change,
          },
        },
      };
    });

  it('puts a plan and its scanning role in the account that owns the bucket, tagging scanned objects', () => {
    const stack = synthStack('account-workload-prod', protectedBucket());
    const plans = Object.values(resourcesOf(stack, 'aws_guardduty_malware_protection_plan'));
    expect(plans).toEqual([
      expect.objectContaining({
        region: 'eu-central-1',
        protected_resource: [{ s3_bucket: [{ bucket_name: 'acme-uploads', object_prefixes: ['incoming/'] }] }],
        actions: [{ tagging: [{ status: 'ENABLED' }] }],
      }),
    ]);
    const role = Object.values(resourcesOf(stack, 'aws_iam_role')).find((candidate) => String(candidate.name).startsWith('acme-malware-scan-'))!;
    expect(JSON.parse(String(role.assume_role_policy)).Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    const policy = JSON.parse(String(Object.values(resourcesOf(stack, 'aws_iam_role_policy')).find((candidate) => candidate.name === 'malware-scan')!.policy));
    const bySid = Object.fromEntries((policy.Statement as { Sid: string; Resource: unknown }[]).map((statement) => [statement.Sid, statement]));
    expect(bySid.ManageEventBridgeManagedRule.Resource).toBe('arn:aws:events:eu-central-1:444444444444:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*');
    expect(bySid.ReadObjectsToScan.Resource).toBe('arn:aws:s3:::acme-uploads/*');
    expect(bySid.DecryptObjectsToScan).toMatchObject({ Resource: 'arn:aws:kms:eu-central-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    // Another account gets nothing.
    const dev = new TerraformStack(Testing.app(), 'account-workload-dev');
    const config = protectedBucket();
    new S3MalwareProtection(dev, 'S3MalwareProtection', { config, names: new BaselineNames(config), account: config.accounts.members[1] });
    expect(JSON.parse(Testing.synth(dev)).resource).toBeUndefined();
  });

  it('leaves objects untagged when tagObjects is false', () => {
    const config = protectedBucket({ tagObjects: false });
    const stack = new TerraformStack(Testing.app(), 'account-workload-prod');
    new S3MalwareProtection(stack, 'S3MalwareProtection', { config, names: new BaselineNames(config), account: config.accounts.members[0] });
    const plans = JSON.parse(Testing.synth(stack)).resource.aws_guardduty_malware_protection_plan;
    expect(Object.values(plans as Record<string, { actions: unknown }>)[0].actions).toEqual([{ tagging: [{ status: 'DISABLED' }] }]);
  });

  it('rejects a bucket of an account the configuration does not have, naming the path', () => {
    expect(() =>
      configWith((input) => {
        input.securityServices = { guardDuty: { s3MalwareProtection: { buckets: [{ name: 'acme-uploads', account: 'nobody', region: 'eu-west-1' }] } } };
      }),
    ).toThrow(/securityServices\.guardDuty\.s3MalwareProtection\.buckets\[0\]\.account[\s\S]*nobody/);
  });
});
