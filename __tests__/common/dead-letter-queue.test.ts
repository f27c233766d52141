import { Testing } from 'cdktf';
import { DeadLetterQueue } from '../../lib/common/dead-letter-queue';
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
