import { BaselineNames } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf } from '../helpers';
import { evaluate } from '../policy/simulate';
import { synthManagement } from './management-synth';

const config = exampleConfig();
const names = new BaselineNames(config);
const stack = synthManagement(config);
/** The CIS items' filters and alarms; the stack's other alarms are tested beside their own constructs. */
const cisOnly = (resources: Record<string, Record<string, unknown>>, nameKey: string) =>
  Object.values(resources).filter((resource) => String(resource[nameKey]).startsWith('acme-cis-'));
const filters = cisOnly(resourcesOf(stack, 'aws_cloudwatch_log_metric_filter'), 'name');
const alarms = cisOnly(resourcesOf(stack, 'aws_cloudwatch_metric_alarm'), 'alarm_name');
const topicId = Object.keys(resourcesOf(stack, 'aws_sns_topic')).find((id) => id.startsWith('CisAlarms_'))!;
const topic = resourcesOf(stack, 'aws_sns_topic')[topicId];
const topicArn = `arn:aws:sns:eu-west-1:111111111111:${names.alarmTopicName}`;

describe('the CIS metric filters', () => {
  it("are fifteen, on the trail's log group in the home region, one metric each in one namespace", () => {
    const [groupId] = Object.keys(resourcesOf(stack, 'aws_cloudwatch_log_group'));
    expect(filters).toHaveLength(15);
    for (const filter of filters) {
      expect(filter).toMatchObject({
        log_group_name: `\${aws_cloudwatch_log_group.${groupId}.name}`,
        region: 'eu-west-1',
        metric_transformation: { namespace: 'CISBenchmark', value: '1' },
      });
      // Without a default value, quiet periods publish nothing instead of zeros.
      expect((filter.metric_transformation as Record<string, unknown>).default_value).toBeUndefined();
    }
    const metricNames = filters.map((filter) => (filter.metric_transformation as { name: string }).name);
    expect(new Set(metricNames).size).toBe(15);
  });
});

describe('the CIS alarms', () => {
  it('are one per metric: any event in 5 minutes, missing data not breaching, notifying the alarm topic', () => {
    expect(alarms).toHaveLength(15);
    const metrics = filters.map((filter) => filter.metric_transformation as { name: string; namespace: string });
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        statistic: 'Sum',
        period: 300,
        evaluation_periods: 1,
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
        alarm_actions: [`\${aws_sns_topic.${topicId}.arn}`],
        region: 'eu-west-1',
      });
      expect(metrics).toContainEqual({ name: alarm.metric_name, namespace: alarm.namespace, value: '1' });
      expect(String(alarm.alarm_name)).toMatch(/^acme-cis-/);
      expect(String(alarm.alarm_description)).toMatch(/^CIS 5\.\d+: /);
    }
    expect(new Set(alarms.map((alarm) => alarm.metric_name)).size).toBe(15);
  });
});

describe('the alarm topic', () => {
  const policy = JSON.parse(String(Object.entries(resourcesOf(stack, 'aws_sns_topic_policy')).find(([id]) => id.startsWith('CisAlarms_'))![1].policy));
  const publish = (alarm: string, options: { account?: string; secureTransport?: boolean } = {}) =>
    evaluate(
      {
        principal: 'cloudwatch.amazonaws.com',
        action: 'sns:Publish',
        resource: topicArn,
        resourceAccount: '111111111111',
        secureTransport: options.secureTransport,
        context: {
          'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${options.account ?? '111111111111'}:alarm:${alarm}`,
          'aws:SourceAccount': options.account ?? '111111111111',
        },
      },
      { resourcePolicy: policy },
    );

  it('is named from the naming module and KMS-encrypted with a rotating key of its own', () => {
    expect(topic.name).toBe(names.alarmTopicName);
    const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(topic.kms_master_key_id))?.[1];
    expect(resourcesOf(stack, 'aws_kms_key')[keyId!]).toMatchObject({ enable_key_rotation: true });
  });

  it('takes messages from the CIS alarms of this account only, over TLS', async () => {
    await expect(publish('acme-cis-root-account-usage')).resolves.toBe('Allowed');
    await expect(publish('someone-elses-alarm')).resolves.toBe('ImplicitlyDenied');
    await expect(publish('acme-cis-root-account-usage', { account: '999999999999' })).resolves.toBe('ImplicitlyDenied');
    await expect(publish('acme-cis-root-account-usage', { secureTransport: false })).resolves.toBe('ExplicitlyDenied');
  });

  it('lets CloudWatch use its key for the CIS alarms only', async () => {
    const keyPolicy = JSON.parse(
      String(Object.values(resourcesOf(stack, 'aws_kms_key')).find((key) => String(key.description).includes(names.alarmTopicName))!.policy),
    );
    const generate = (alarm: string) =>
      evaluate(
        {
          principal: 'cloudwatch.amazonaws.com',
          action: 'kms:GenerateDataKey',
          resource: 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666',
          resourceAccount: '111111111111',
          context: { 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:111111111111:alarm:${alarm}`, 'aws:SourceAccount': '111111111111' },
        },
        { resourcePolicy: keyPolicy },
      );
    await expect(generate('acme-cis-vpc-changes')).resolves.toBe('Allowed');
    await expect(generate('other')).resolves.toBe('ImplicitlyDenied');
  });

  it('reaches the configured addresses', () => {
    expect(Object.values(resourcesOf(stack, 'aws_sns_topic_subscription')).filter((subscription) => subscription.topic_arn === `\${aws_sns_topic.${topicId}.arn}`)).toEqual([
      expect.objectContaining({ protocol: 'email', endpoint: 'security-alerts@example.com', topic_arn: `\${aws_sns_topic.${topicId}.arn}` }),
    ]);
  });
});

describe('configured toggles and subscribers', () => {
  const changed = synthManagement(
    configWith((input) => {
      input.notifications = { emails: ['soc@example.com', 'cloud-team@example.com'], httpsEndpoints: ['https://events.example.com/aws'] };
      input.monitoring = { metricNamespace: 'Acme/CIS', alarms: { 'nacl-changes': { enabled: false }, 'vpc-changes': { enabled: false } } };
    }),
  );

  it('leave disabled alarms and their filters out', () => {
    const alarmNames = cisOnly(resourcesOf(changed, 'aws_cloudwatch_metric_alarm'), 'alarm_name').map((alarm) => alarm.alarm_name);
    expect(alarmNames).toHaveLength(13);
    expect(alarmNames).not.toContain('acme-cis-nacl-changes');
    expect(alarmNames).not.toContain('acme-cis-vpc-changes');
    expect(cisOnly(resourcesOf(changed, 'aws_cloudwatch_log_metric_filter'), 'name')).toHaveLength(13);
  });

  it('use the configured namespace', () => {
    for (const alarm of Object.values(resourcesOf(changed, 'aws_cloudwatch_metric_alarm'))) expect(alarm.namespace).toBe('Acme/CIS');
  });

  it('subscribe every email address and HTTPS endpoint', () => {
    const subscriptions = Object.entries(resourcesOf(changed, 'aws_sns_topic_subscription'))
      .filter(([id]) => id.startsWith('CisAlarms_'))
      .map(([, subscription]) => [
      subscription.protocol,
      subscription.endpoint,
    ]);
    expect(subscriptions).toEqual([
      ['email', 'soc@example.com'],
      ['email', 'cloud-team@example.com'],
      ['https', 'https://events.example.com/aws'],
    ]);
  });
});
