import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../rules/acknowledgement';
import { EncryptionKey } from './encryption-key';
import { denyInsecureTransport, type PolicyStatement, policyJson } from './policy-document';

/** The longest retention SQS allows: a failed delivery waits two weeks for someone to look. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** An AWS service allowed to send failed deliveries, only on behalf of the given source resources of this account. */
export interface DeadLetterSender {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /** ARN pattern of the resources that send, e.g. `arn:aws:events:eu-west-1:333333333333:rule/*`. */
  readonly sourceArnLike: string;
  /** Statement id fragment, e.g. `FindingRules`. */
  readonly label: string;
}

export interface DeadLetterQueueProps {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Services that deliver to the queue what their targets refused. */
  readonly senders: readonly DeadLetterSender[];
  /**
   * Encrypt at rest with keys SQS owns (SSE-SQS) instead of a customer-managed key of the queue's own, and say why
   * that is enough here: the reason is recorded against the `SQS.Encrypted` rule and printed in the report. Without a
   * key, the queue policy alone decides who may send (the named services, for their sources in this account).
   * @default - a customer-managed key of its own
   */
  readonly sqsManagedEncryption?: { readonly reason: string };
}

/**
 * An SQS queue that keeps what could not be delivered: encrypted with a key of its own (or, where the caller says why
 * that is enough, with SQS-managed keys), retained 14 days, reachable only over TLS, writable only by the named
 * services on behalf of this account's resources (and IAM principals of the account), and watched by an alarm, named
 * like the queue, that fires as soon as one message waits. The alarm's state change is an EventBridge event of its
 * account and region; findings routing sends those of the security account to the findings topic (alarm actions
 * reach only a topic of their own region).
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  /** The queue's customer-managed key; none with SQS-managed encryption. */
  readonly key?: EncryptionKey;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const queueArn = `arn:aws:sqs:${props.region}:${props.accountId}:${props.name}`;
    const scoped = (sender: DeadLetterSender) => ({
      ArnLike: { 'aws:SourceArn': sender.sourceArnLike },
      StringEquals: { 'aws:SourceAccount': props.accountId },
    });

    // A service sending to a queue encrypted with a customer-managed key needs kms:GenerateDataKey and kms:Decrypt on
    // it ("Configure KMS permissions for AWS services":
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html); with
    // SSE-SQS, SQS encrypts with keys it owns, no KMS call is made on the sender's behalf, and no key is billed
    // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-sqs-sse-queue.html).
    this.key = props.sqsManagedEncryption
      ? undefined
      : new EncryptionKey(this, 'Key', {
          description: `Encrypts the dead-letter queue ${props.name}`,
          alias: `${props.name}-queue`,
          accountId: props.accountId,
          region: props.region,
          statements: props.senders.map(
            (sender): PolicyStatement => ({
              Sid: `${sender.label}SendEncrypted`,
              Effect: 'Allow',
              Principal: { Service: sender.service },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: '*',
              Condition: scoped(sender),
            }),
          ),
        });

    this.queue = new SqsQueue(this, 'Queue', {
      name: props.name,
      ...(this.key ? { kmsMasterKeyId: this.key.key.arn } : { sqsManagedSseEnabled: true }),
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      region: props.region,
    });
    if (props.sqsManagedEncryption) acknowledgeRule(this.queue, { ruleId: 'SQS.Encrypted', reason: props.sqsManagedEncryption.reason });

    // A failed delivery waits here unseen until it expires: alarm on the first one.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    this.alarm = new CloudwatchMetricAlarm(this, 'Alarm', {
      alarmName: props.name,
      alarmDescription: `Failed deliveries wait in the queue ${props.name}; they expire after 14 days`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.name },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      region: props.region,
      dependsOn: [this.queue],
    });

    new SqsQueuePolicy(this, 'Policy', {
      queueUrl: this.queue.url,
      region: props.region,
      policy: policyJson([
        denyInsecureTransport('sqs:*', queueArn),
        ...props.senders.map(
          (sender): PolicyStatement => ({
            Sid: `${sender.label}Send`,
            Effect: 'Allow',
            Principal: { Service: sender.service },
            Action: 'sqs:SendMessage',
            Resource: queueArn,
            Condition: scoped(sender),
          }),
        ),
      ]),
    });
  }
}
