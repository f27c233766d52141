import { AnnotationMetadataEntryType, Testing } from 'cdktf';
import { BaselineNames, LOG_PREFIXES } from '../../lib/naming';
import { evaluatePolicyRules } from '../../lib/rules/evaluate';
import { trailEventSelectors } from '../../lib/trail/organization-trail';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack } from '../helpers';
import { buildManagement, synthManagement } from '../monitoring/management-synth';
import { evaluate } from '../policy/simulate';

const config = exampleConfig();
const names = new BaselineNames(config);
const stack = synthManagement(config);
const only = (synthesized: SynthesizedStack, type: string) => {
  const resources = Object.values(resourcesOf(synthesized, type));
  expect(resources).toHaveLength(1);
  return resources[0];
};
const trail = only(stack, 'aws_cloudtrail');
type Selector = { name: string; field_selector: Array<Record<string, unknown>> };
const selectorsOf = (resource: Record<string, unknown>) => resource.advanced_event_selector as Selector[];
const s3Selector = (resource: Record<string, unknown>) =>
  selectorsOf(resource).find((selector) => selector.field_selector.some((field) => (field.equals as string[] | undefined)?.includes('AWS::S3::Object')));

describe('the organization trail', () => {
  it('logs every account and region, global service events included, with validated log files', () => {
    expect(trail).toMatchObject({
      name: 'acme-organization-trail',
      region: 'eu-west-1',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
  });

  it('delivers to the log-archive bucket under its prefix, encrypted with the log-archive key', () => {
    expect(trail.s3_bucket_name).toBe(names.logBucketName);
    expect(trail.s3_key_prefix).toBe(LOG_PREFIXES.cloudTrail);
    // CloudTrail stores and returns the key ARN; an alias here would show as a change in every plan.
    const lookup = /^\$\{data\.aws_kms_key\.([^.]+)\.arn\}$/.exec(String(trail.kms_key_id))?.[1];
    expect(lookup).toBeDefined();
    expect(stack.data!.aws_kms_key[lookup!]).toMatchObject({ key_id: 'arn:aws:kms:eu-west-1:222222222222:alias/acme-logs', region: 'eu-west-1' });
  });

  it('selects every management event', () => {
    expect(selectorsOf(trail)).toContainEqual({
      name: 'All management events',
      field_selector: [{ field: 'eventCategory', equals: ['Management'] }],
    });
  });

  it('has no Insights and no Lambda data events unless asked (both are billed)', () => {
    expect(trail.insight_selector).toBeUndefined();
    expect(JSON.stringify(trail)).not.toContain('AWS::Lambda::Function');
  });
});

/** One configuration that changes every trail option at once, synthesized once. */
const variantStack = synthManagement(
  configWith((input) => {
    input.detector!.monitoredBuckets!.push({ name: 'acme-payroll', account: 'workload-dev', region: 'eu-central-1', keyPatterns: ['*'] });
    input.trail = { lambdaDataEvents: true, insights: true, cloudWatchLogsRetentionDays: 731 };
  }),
);
const variant = only(variantStack, 'aws_cloudtrail');

describe('S3 data events', () => {
  it('are selected for exactly the monitored buckets, object reads and writes', () => {
    expect(s3Selector(variant)?.field_selector).toEqual([
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::S3::Object'] },
      { field: 'resources.ARN', starts_with: ['arn:aws:s3:::acme-customer-records/', 'arn:aws:s3:::acme-payroll/'] },
    ]);
  });

  it('never select every bucket: none without monitored buckets', () => {
    const none = configWith((input) => {
      input.detector!.monitoredBuckets = [];
    });
    const selectors = trailEventSelectors(none);
    expect(selectors.map((selector) => selector.name)).toEqual([
      'All management events',
      'VPC endpoint policy denials of kms.amazonaws.com',
      'VPC endpoint policy denials of s3.amazonaws.com',
    ]);
    expect(JSON.stringify(selectors)).not.toContain('Data');
  });

  it('select one bucket by its ARN with a slash, so that a longer bucket name is not caught', () => {
    expect(s3Selector(trail)?.field_selector[2]).toEqual({ field: 'resources.ARN', starts_with: ['arn:aws:s3:::acme-customer-records/'] });
  });
});

describe('options', () => {
  it('add Lambda invocations as data events', () => {
    expect(selectorsOf(variant)).toContainEqual({
      name: 'Lambda invocations',
      field_selector: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
      ],
    });
  });

  it('add CloudTrail Insights on call and error rates', () => {
    expect(variant.insight_selector).toEqual([{ insight_type: 'ApiCallRateInsight' }, { insight_type: 'ApiErrorRateInsight' }]);
  });
});

describe('the CloudWatch Logs group', () => {
  const group = only(stack, 'aws_cloudwatch_log_group');
  const keys = resourcesOf(stack, 'aws_kms_key');

  it('receives the trail through the "<group ARN>:*" form CloudTrail requires', () => {
    const [groupId] = Object.keys(resourcesOf(stack, 'aws_cloudwatch_log_group'));
    expect(trail.cloud_watch_logs_group_arn).toBe(`\${aws_cloudwatch_log_group.${groupId}.arn}:*`);
  });

  it('lives in the home region, keeps a year by default and is encrypted with a rotating key of this account', () => {
    expect(group).toMatchObject({ name: names.trailLogGroupName, region: 'eu-west-1', retention_in_days: 365, lifecycle: { prevent_destroy: true } });
    const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(group.kms_key_id))?.[1];
    expect(keys[keyId!]).toMatchObject({ enable_key_rotation: true, region: 'eu-west-1' });
  });

  it('keeps logs as long as configured', () => {
    expect(only(variantStack, 'aws_cloudwatch_log_group').retention_in_days).toBe(731);
  });

  it('reports a retention shorter than a year, configured on purpose, as acknowledged rather than failing the synth', () => {
    const management = buildManagement(configWith((input) => void (input.trail = { cloudWatchLogsRetentionDays: 90 })));
    const retention = evaluatePolicyRules(management).filter((finding) => finding.ruleId === 'Logs.Retention' && finding.address.includes('OrganizationTrail'));
    expect(retention).toEqual([expect.objectContaining({ status: 'acknowledged', reason: expect.stringContaining('trail.cloudWatchLogsRetentionDays is 90') })]);
  });
});

describe('the role CloudTrail delivers with', () => {
  const role = only(stack, 'aws_iam_role');
  const rolePolicy = only(stack, 'aws_iam_role_policy');
  const trustPolicy = JSON.parse(String(role.assume_role_policy));
  const permissions = JSON.parse(String(rolePolicy.policy));
  const roleArn = `arn:aws:iam::111111111111:role/${names.trailLogsRoleName}`;
  const stream = `${names.trailLogGroupArn}:log-stream:111111111111_CloudTrail_eu-west-1`;

  it("is the trail's role, created before the trail", () => {
    const [roleId] = Object.keys(resourcesOf(stack, 'aws_iam_role'));
    const [policyId] = Object.keys(resourcesOf(stack, 'aws_iam_role_policy'));
    expect(trail.cloud_watch_logs_role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(trail.depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
  });

  it('trusts the CloudTrail service with no confused-deputy conditions, which CloudTrail does not send for this role', async () => {
    // CloudTrail sends neither aws:SourceArn nor aws:SourceAccount when it assumes the CloudWatch Logs role.
    expect(trustPolicy.Statement).toEqual([
      { Sid: expect.any(String), Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const assume = (context: Record<string, string>) =>
      evaluate(
        { principal: 'cloudtrail.amazonaws.com', action: 'sts:AssumeRole', resource: roleArn, resourceAccount: '111111111111', context },
        { resourcePolicy: trustPolicy },
      );
    await expect(assume({})).resolves.toBe('Allowed');
    await expect(
      evaluate(
        { principal: 'arn:aws:iam::999999999999:role/intruder', action: 'sts:AssumeRole', resource: roleArn, resourceAccount: '111111111111' },
        { resourcePolicy: trustPolicy },
      ),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it("may only create streams and put events in the trail's group", async () => {
    const call = (action: string, resource: string) =>
      evaluate(
        { principal: `arn:aws:sts::111111111111:assumed-role/${names.trailLogsRoleName}/CloudTrail`, action, resource, resourceAccount: '111111111111' },
        { identityPolicies: [permissions] },
      );
    await expect(call('logs:CreateLogStream', stream)).resolves.toBe('Allowed');
    await expect(call('logs:PutLogEvents', stream)).resolves.toBe('Allowed');
    await expect(call('logs:PutLogEvents', 'arn:aws:logs:eu-west-1:111111111111:log-group:/other/group:log-stream:x')).resolves.toBe('ImplicitlyDenied');
    await expect(call('logs:DeleteLogGroup', names.trailLogGroupArn)).resolves.toBe('ImplicitlyDenied');
    await expect(call('logs:PutRetentionPolicy', names.trailLogGroupArn)).resolves.toBe('ImplicitlyDenied');
  });
});

describe('data-events-only mode (another trail logs management events)', () => {
  const coexisting = configWith((input) => {
    input.trail = { mode: 'data-events-only' };
  });
  const built = buildManagement(coexisting);
  const synthesized = JSON.parse(Testing.synth(built)) as SynthesizedStack;
  const resource = only(synthesized, 'aws_cloudtrail');

  it("selects only the monitored buckets' data events", () => {
    expect(selectorsOf(resource).map((selector) => selector.name)).toEqual([
      'S3 object reads and writes in monitored buckets',
      'VPC endpoint policy denials of kms.amazonaws.com',
      'VPC endpoint policy denials of s3.amazonaws.com',
    ]);
  });

  it('creates no log group, role, CIS filters or alarms, and says why', () => {
    for (const type of ['aws_cloudwatch_log_group', 'aws_iam_role', 'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm']) {
      expect(resourcesOf(synthesized, type)).toEqual({});
    }
    // Only the cost alert topic, which needs no log group.
    expect(Object.values(resourcesOf(synthesized, 'aws_sns_topic')).map((topic) => topic.name)).toEqual(['acme-cost-alerts']);
    expect(resource.cloud_watch_logs_group_arn).toBeUndefined();
    const warnings = built.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === AnnotationMetadataEntryType.WARN)
      .map((entry) => String(entry.data));
    expect(warnings).toEqual([expect.stringMatching(/data-events-only.*monitoring.logGroupName is not set: no CIS metric filters and alarms/)]);
  });

  it('puts the CIS filters on the named group of the trail that logs management events', () => {
    const withControlTower = synthManagement(
      configWith((input) => {
        input.trail = { mode: 'data-events-only' };
        input.monitoring = { logGroupName: 'aws-controltower/CloudTrailLogs' };
      }),
    );
    const filters = Object.values(resourcesOf(withControlTower, 'aws_cloudwatch_log_metric_filter'));
    // The fifteen CIS filters, the management-account workload filters and the detector tampering filters, all on
    // the named group.
    expect(filters.filter((filter) => String(filter.name).startsWith('acme-cis-'))).toHaveLength(15);
    for (const filter of filters) expect(filter.log_group_name).toBe('aws-controltower/CloudTrailLogs');
    expect(Object.values(resourcesOf(withControlTower, 'aws_cloudwatch_metric_alarm'))).toHaveLength(17);
    expect(resourcesOf(withControlTower, 'aws_cloudwatch_log_group')).toEqual({});
  });
});
