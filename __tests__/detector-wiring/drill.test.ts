import { unzipSync } from 'fflate';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { buildRunnerPackage } from '../../lib/detector/drill/runner-package';
import { exampleConfig, configWith, resourcesOf, synthStack } from '../helpers';
import { evaluate } from '../policy/simulate';
import { matches } from './event-pattern';
import { only, resolvedPolicy } from './wiring';

/*
 * The detection drill as synthesized for the example configuration: one monitored bucket, acme-customer-records,
 * owned by workload-prod (444444444444) in eu-west-1, with keyPatterns ["customers/*", "*.csv", "keyword:ssn"]; the
 * security account is 333333333333, home region eu-west-1.
 */

const OWNER = '444444444444';
const SECURITY = '333333333333';
const BUCKET = 'acme-customer-records';
const CANARY_KEY = 'customers/detector-drill-canary';
const DRILL_ROLE = `arn:aws:iam::${OWNER}:role/acme-detector-drill`;
const DRILL_SESSION = `arn:aws:sts::${OWNER}:assumed-role/acme-detector-drill/detection-drill`;
const RUNNER_SESSION = `arn:aws:sts::${OWNER}:assumed-role/acme-detector-drill-runner/acme-detector-drill-runner`;

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' }],
};

const config = exampleConfig();
const account = synthStack('account-workload-prod', config);
const security = synthStack('security', config);

const rolePolicy = (roleName: string) =>
  resolvedPolicy(account, only(account, 'aws_iam_role_policy', { role: `\${aws_iam_role.${logicalId('aws_iam_role', roleName)}.name}` }).policy, OWNER);
const trustOf = (roleName: string) => resolvedPolicy(account, only(account, 'aws_iam_role', { name: roleName }).assume_role_policy, OWNER);

function logicalId(type: string, name: string): string {
  return Object.entries(resourcesOf(account, type)).find(([, resource]) => resource.name === name)![0];
}

describe('detection drill: the bucket owner\'s account', () => {
  it('writes a canary object whose key the detector calls sensitive, in the bucket\'s region', () => {
    const canary = only(account, 'aws_s3_object', { bucket: BUCKET });
    expect(canary).toMatchObject({ key: CANARY_KEY, region: 'eu-west-1', content_type: 'text/plain; charset=utf-8' });
    expect(canary.content).toMatch(/holds no data/);
  });

  describe('the drill role', () => {
    const read = (action: string, resource: string, principal = DRILL_SESSION) =>
      evaluate({ principal, action, resource, resourceAccount: OWNER }, { identityPolicies: [rolePolicy('acme-detector-drill')] });

    it('may read the canary object', async () => {
      await expect(read('s3:GetObject', `arn:aws:s3:::${BUCKET}/${CANARY_KEY}`)).resolves.toBe('Allowed');
    });

    it.each([
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/customers/2026/accounts.json`],
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/${CANARY_KEY}-2`],
      ['s3:GetObject', `arn:aws:s3:::acme-other-bucket/${CANARY_KEY}`],
      ['s3:GetObjectVersion', `arn:aws:s3:::${BUCKET}/${CANARY_KEY}`],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/${CANARY_KEY}`],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`],
      ['s3:ListAllMyBuckets', '*'],
      ['kms:Decrypt', `arn:aws:kms:eu-west-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      ['sts:AssumeRole', `arn:aws:iam::${OWNER}:role/acme-records-api`],
    ])('may not %s %s', async (action, resource) => {
      await expect(read(action, resource)).resolves.toBe('ImplicitlyDenied');
      if (action === 'kms:Decrypt') {
        await expect(
          evaluate(
            { principal: DRILL_SESSION, action, resource, resourceAccount: OWNER, context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
            { identityPolicies: [rolePolicy('acme-detector-drill')], resourcePolicy: DEFAULT_KEY_POLICY },
          ),
        ).resolves.toBe('ImplicitlyDenied');
      }
    });

    it('can be assumed by the runner\'s role only', async () => {
      const assume = (principal: string) =>
        evaluate({ principal, action: 'sts:AssumeRole', resource: DRILL_ROLE, resourceAccount: OWNER }, { resourcePolicy: trustOf('acme-detector-drill') });
      await expect(assume(RUNNER_SESSION)).resolves.toBe('Allowed');
      await expect(assume(`arn:aws:sts::${OWNER}:assumed-role/acme-records-api/task-1`)).resolves.toBe('ImplicitlyDenied');
      await expect(assume('lambda.amazonaws.com')).resolves.toBe('ImplicitlyDenied');
    });

    it('decrypts through S3 only, and only when the bucket\'s key is configured', async () => {
      const keyArn = `arn:aws:kms:eu-west-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const withKey = synthStack(
        'account-workload-prod',
        configWith((input) => {
          input.detector!.drill = { kmsKeyArns: { [BUCKET]: keyArn } };
        }),
      );
      const id = Object.entries(resourcesOf(withKey, 'aws_iam_role')).find(([, role]) => role.name === 'acme-detector-drill')![0];
      const policy = resolvedPolicy(withKey, only(withKey, 'aws_iam_role_policy', { role: `\${aws_iam_role.${id}.name}` }).policy, OWNER);
      const decrypt = (viaService: string, resource = keyArn) =>
        evaluate(
          { principal: DRILL_SESSION, action: 'kms:Decrypt', resource, resourceAccount: OWNER, context: { 'kms:ViaService': viaService } },
          // The bucket's key with KMS's default key policy, which lets IAM policies of its account grant its use.
          { identityPolicies: [policy], resourcePolicy: DEFAULT_KEY_POLICY },
        );
      await expect(decrypt('s3.eu-west-1.amazonaws.com')).resolves.toBe('Allowed');
      await expect(decrypt('sqs.eu-west-1.amazonaws.com')).resolves.toBe('ImplicitlyDenied');
      await expect(decrypt('s3.eu-west-1.amazonaws.com', `arn:aws:kms:eu-west-1:${OWNER}:key/other`)).resolves.toBe('ImplicitlyDenied');
    });
  });

  describe('the runner', () => {
    const runner = () => only(account, 'aws_lambda_function', { function_name: 'acme-detector-drill-runner' });

    it('may assume the drill role and nothing that reads data', async () => {
      const can = (action: string, resource: string) =>
        evaluate({ principal: RUNNER_SESSION, action, resource, resourceAccount: OWNER }, { identityPolicies: [rolePolicy('acme-detector-drill-runner')] });
      await expect(can('sts:AssumeRole', DRILL_ROLE)).resolves.toBe('Allowed');
      await expect(can('sts:AssumeRole', `arn:aws:iam::${OWNER}:role/acme-records-api`)).resolves.toBe('ImplicitlyDenied');
      await expect(can('s3:GetObject', `arn:aws:s3:::${BUCKET}/${CANARY_KEY}`)).resolves.toBe('ImplicitlyDenied');
    });

    it('is told the drill role and the canaries of its region, and runs the packaged runner', () => {
      expect(runner()).toMatchObject({
        region: 'eu-west-1',
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        source_code_hash: buildRunnerPackage().sourceCodeHash,
        environment: { variables: { DRILL_ROLE_ARN: DRILL_ROLE, DRILL_CANARIES: JSON.stringify([{ bucket: BUCKET, key: CANARY_KEY }]) } },
        logging_config: { log_format: 'JSON', log_group: '/aws/lambda/acme-detector-drill-runner' },
      });
      expect(Object.keys(unzipSync(buildRunnerPackage().zip))).toEqual(['index.js']);
    });

    it('is invoked daily by EventBridge Scheduler with a role only schedules of this account can use', async () => {
      const schedule = only(account, 'aws_scheduler_schedule', { name: 'acme-detector-drill' });
      expect(schedule).toMatchObject({
        schedule_expression: 'rate(24 hours)',
        flexible_time_window: { mode: 'OFF' },
        state: 'ENABLED',
        region: 'eu-west-1',
        target: { input: '{}', retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 } },
      });
      expect((schedule.target as { arn: string }).arn).toMatch(/^\$\{aws_lambda_function\.DetectionDrill_Runner-eu-west-1_[A-Z0-9]+\.arn\}$/);
      const assume = (sourceAccount: string) =>
        evaluate(
          {
            principal: 'scheduler.amazonaws.com',
            action: 'sts:AssumeRole',
            resource: `arn:aws:iam::${OWNER}:role/acme-detector-drill-scheduler`,
            resourceAccount: OWNER,
            context: { 'aws:SourceAccount': sourceAccount },
          },
          { resourcePolicy: trustOf('acme-detector-drill-scheduler') },
        );
      await expect(assume(OWNER)).resolves.toBe('Allowed');
      await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');
      const invoke = (resource: string) =>
        evaluate(
          { principal: `arn:aws:sts::${OWNER}:assumed-role/acme-detector-drill-scheduler/s`, action: 'lambda:InvokeFunction', resource, resourceAccount: OWNER },
          { identityPolicies: [rolePolicy('acme-detector-drill-scheduler')] },
        );
      await expect(invoke(`arn:aws:lambda:eu-west-1:${OWNER}:function:acme-detector-drill-runner`)).resolves.toBe('Allowed');
      await expect(invoke(`arn:aws:lambda:eu-west-1:${OWNER}:function:other`)).resolves.toBe('ImplicitlyDenied');
    });

    it('runs on the configured interval', () => {
      const hourly = synthStack('account-workload-prod', configWith((input) => void (input.detector!.drill = { intervalHours: 1 })));
      expect(only(hourly, 'aws_scheduler_schedule').schedule_expression).toBe('rate(1 hour)');
    });
  });

  it('puts nothing in accounts that own no monitored bucket, nor anywhere when the drill is off', () => {
    const other = synthStack('account-security', config);
    expect(resourcesOf(other, 'aws_scheduler_schedule')).toEqual({});
    expect(resourcesOf(other, 'aws_s3_object')).toEqual({});
    const off = configWith((input) => void (input.detector!.drill = { enabled: false }));
    const owner = synthStack('account-workload-prod', off);
    expect(resourcesOf(owner, 'aws_scheduler_schedule')).toEqual({});
    expect(resourcesOf(owner, 'aws_s3_object')).toEqual({});
    expect(Object.values(resourcesOf(owner, 'aws_iam_role')).map((role) => role.name)).not.toContain('acme-detector-drill');
    expect(detectorSettingsFrom(off)).not.toHaveProperty('drill');
  });
});

describe('detection drill: the detector\'s settings', () => {
  it('recognize the canary read by the drill role, and add the role to no allow-list', () => {
    const settings = detectorSettingsFrom(config);
    expect(settings.drill).toEqual({ canaries: [{ bucket: BUCKET, key: CANARY_KEY, accountId: OWNER, region: 'eu-west-1', roleArn: DRILL_ROLE }] });
    expect(JSON.stringify([settings.authorizedPrincipals, settings.enumerationPrincipals])).not.toMatch(/drill/);
  });
});

describe('detection drill: the heartbeat alarm in the security account', () => {
  const alarm = () => only(security, 'aws_cloudwatch_metric_alarm', { alarm_name: `acme-detector-drill-${BUCKET}` });

  it('fires when no drill finding arrived within the interval plus the delivery allowance (missing data breaches)', () => {
    expect(alarm()).toMatchObject({
      namespace: 'S3AccessDetector',
      metric_name: 'DrillHeartbeat',
      dimensions: { Bucket: BUCKET },
      statistic: 'Sum',
      period: 3600,
      // 24 hours between drills + 1 hour of delivery allowance + 1 period boundary.
      evaluation_periods: 26,
      datapoints_to_alarm: 26,
      threshold: 1,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
      region: 'eu-west-1',
    });
  });

  it('follows the configured schedule and allowance', () => {
    const tuned = synthStack('security', configWith((input) => void (input.detector!.drill = { intervalHours: 6, deliveryAllowanceHours: 2 })));
    expect(only(tuned, 'aws_cloudwatch_metric_alarm', { alarm_name: `acme-detector-drill-${BUCKET}` })).toMatchObject({
      period: 3600,
      evaluation_periods: 9,
      datapoints_to_alarm: 9,
      treat_missing_data: 'breaching',
    });
  });

  it('names the bucket and every hop to check, within the 1024 characters CloudWatch accepts', () => {
    const description = alarm().alarm_description as string;
    expect(description.length).toBeLessThanOrEqual(1024);
    expect(description).toContain(`s3://${BUCKET} (account ${OWNER}, eu-west-1)`);
    for (const hop of [
      'acme-detector-drill-runner',
      'acme-organization-trail',
      'acme-forward-s3-data-events',
      'acme-s3-data-events',
      'acme-s3-access-detector',
    ]) {
      expect(description).toContain(hop);
    }
  });

  it('reaches the security findings topic when it fires, and only then', async () => {
    const rule = only(security, 'aws_cloudwatch_event_rule', { name: 'acme-detector-drill-findings' });
    const pattern = JSON.parse(rule.event_pattern as string);
    const stateChange = (alarmName: string, state: string) => ({
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      account: SECURITY,
      region: 'eu-west-1',
      detail: { alarmName, state: { value: state }, configuration: { description: 'x' } },
    });
    expect(matches(pattern, stateChange(`acme-detector-drill-${BUCKET}`, 'ALARM'))).toBe(true);
    expect(matches(pattern, stateChange(`acme-detector-drill-${BUCKET}`, 'OK'))).toBe(false);
    expect(matches(pattern, stateChange('acme-cis-root-account-usage', 'ALARM'))).toBe(false);

    const target = only(security, 'aws_cloudwatch_event_target', { rule: `\${aws_cloudwatch_event_rule.${Object.entries(resourcesOf(security, 'aws_cloudwatch_event_rule')).find(([, r]) => r.name === 'acme-detector-drill-findings')![0]}.name}` });
    const refOf = (type: string, name: string) =>
      `\${${type}.${Object.entries(resourcesOf(security, type)).find(([, resource]) => resource.name === name)![0]}.arn}`;
    expect(target.arn).toBe(refOf('aws_sns_topic', 'acme-security-findings'));
    expect(target.dead_letter_config).toEqual({ arn: refOf('aws_sqs_queue', 'acme-findings-dlq-eu-west-1') });
    expect((target.input_transformer as { input_paths: Record<string, string> }).input_paths).toEqual({
      alarm: '$.detail.alarmName',
      description: '$.detail.configuration.description',
      reason: '$.detail.state.reason',
    });

    // The findings topic's own policy lets this rule publish.
    const topicPolicy = Object.values(resourcesOf(security, 'aws_sns_topic_policy')).find((policy) => (policy.policy as string).includes('-findings'))!;
    const publish = (ruleName: string) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sns:Publish',
          resource: `arn:aws:sns:eu-west-1:${SECURITY}:acme-security-findings`,
          resourceAccount: SECURITY,
          context: { 'aws:SourceArn': `arn:aws:events:eu-west-1:${SECURITY}:rule/${ruleName}`, 'aws:SourceAccount': SECURITY },
        },
        { resourcePolicy: JSON.parse(topicPolicy.policy as string) },
      );
    await expect(publish('acme-detector-drill-findings')).resolves.toBe('Allowed');
  });
});
