import { TerraformStack, Testing } from 'cdktf';
import { DeadLetterQueue } from '../../lib/common/dead-letter-queue';
import { evaluatePolicyRules } from '../../lib/rules/evaluate';
import { evaluate } from '../policy/simulate';
import { resourcesOf, synthStack } from '../helpers';

/* Every queue that holds failures raises an alarm as soon as one message waits: events expire unseen after 14 days. */

describe('a dead-letter queue', () => {
  const synthesized = JSON.parse(
    Testing.synthScope((scope) => {
      new DeadLetterQueue(scope, 'Queue', { name: 'acme-some-failures', accountId: '333333333333', region: 'eu-central-1', senders: [] });
    }),
  );

  it('has an alarm on its visible messages, in its own region', () => {
    const alarms = Object.values(synthesized.resource.aws_cloudwatch_metric_alarm ?? {}) as Array<Record<string, unknown>>;
    expect(alarms).toEqual([
      expect.objectContaining({
        alarm_name: 'acme-some-failures',
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: 'acme-some-failures' },
        statistic: 'Maximum',
        threshold: 0,
        comparison_operator: 'GreaterThanThreshold',
        treat_missing_data: 'notBreaching',
        region: 'eu-central-1',
      }),
    ]);
  });
});

describe("a member account's forwarding queue", () => {
  it('has an alarm in each region it forwards from', () => {
    const stack = synthStack('account-workload-prod');
    const queues = Object.values(resourcesOf(stack, 'aws_sqs_queue'));
    const alarms = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm'));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      expect(alarms).toContainEqual(expect.objectContaining({ dimensions: { QueueName: queue.name }, region: queue.region }));
    }
  });
});

describe('a dead-letter queue encrypted with SQS-managed keys', () => {
  const REASON = 'Holds only events of its own account, which the account can read anyway';
  const sender = { service: 'events.amazonaws.com', sourceArnLike: 'arn:aws:events:eu-central-1:333333333333:rule/acme-forward', label: 'ForwardingRule' };
  const synthesized = JSON.parse(
    Testing.synthScope((scope) => {
      new DeadLetterQueue(scope, 'Queue', {
        name: 'acme-forward-undelivered',
        accountId: '333333333333',
        region: 'eu-central-1',
        senders: [sender],
        sqsManagedEncryption: { reason: REASON },
      });
    }),
  );
  const queue = Object.values(synthesized.resource.aws_sqs_queue)[0] as Record<string, unknown>;
  const policy = JSON.parse(String((Object.values(synthesized.resource.aws_sqs_queue_policy)[0] as Record<string, unknown>).policy));
  const queueArn = 'arn:aws:sqs:eu-central-1:333333333333:acme-forward-undelivered';

  it('has no key of its own: SQS encrypts it at rest (SSE-SQS)', () => {
    expect(synthesized.resource.aws_kms_key).toBeUndefined();
    expect(queue).toMatchObject({ name: 'acme-forward-undelivered', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    expect(queue.kms_master_key_id).toBeUndefined();
  });

  it('lets only the named service send, on behalf of its source in this account, and refuses requests without TLS', async () => {
    const send = (context: Record<string, string>, principal = 'events.amazonaws.com', secureTransport = true) =>
      evaluate({ principal, action: 'sqs:SendMessage', resource: queueArn, resourceAccount: '333333333333', context, secureTransport }, { resourcePolicy: policy });
    const fromRule = { 'aws:SourceArn': sender.sourceArnLike, 'aws:SourceAccount': '333333333333' };
    await expect(send(fromRule)).resolves.toBe('Allowed');
    await expect(send({ ...fromRule, 'aws:SourceArn': 'arn:aws:events:eu-central-1:333333333333:rule/other' })).resolves.toBe('ImplicitlyDenied');
    await expect(send({ ...fromRule, 'aws:SourceAccount': '444444444444' })).resolves.toBe('ImplicitlyDenied');
    await expect(send(fromRule, 'sns.amazonaws.com')).resolves.toBe('ImplicitlyDenied');
    await expect(send(fromRule, 'events.amazonaws.com', false)).resolves.toBe('ExplicitlyDenied');
  });

  it('records why the queue breaks the customer-managed-key rule, for the report', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'queue');
    const construct = new DeadLetterQueue(stack, 'Queue', {
      name: 'acme-forward-undelivered',
      accountId: '333333333333',
      region: 'eu-central-1',
      senders: [sender],
      sqsManagedEncryption: { reason: REASON },
    });
    const findings = evaluatePolicyRules(stack).filter((finding) => finding.ruleId === 'SQS.Encrypted');
    expect(findings).toEqual([expect.objectContaining({ status: 'acknowledged', reason: REASON, constructPath: construct.queue.node.path })]);
  });
});
