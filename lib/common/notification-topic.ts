import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { EncryptionKey } from './encryption-key';
import { denyInsecureTransport, type PolicyStatement, policyJson } from './policy-document';

/** An AWS service allowed to publish, only on behalf of the given source resources of this account. */
export interface TopicPublisher {
  /** Service principal, e.g. `cloudwatch.amazonaws.com`. */
  readonly service: string;
  /**
   * ARN patterns of the resources that publish, e.g. `arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*` (any of
   * several). Left out only for a service that documents `aws:SourceAccount` alone for the topic it publishes to.
   */
  readonly sourceArnLike?: string | readonly string[];
  /** Statement id fragment, e.g. `CloudWatchAlarms`. */
  readonly label: string;
}

export interface NotificationTopicProps {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly publishers: readonly TopicPublisher[];
  /** People and systems to notify. */
  readonly subscribers: BaselineConfig['notifications'];
}

/**
 * An SNS topic that reaches people: encrypted with a key of its own, publishable only by the named services on behalf
 * of this account's resources (and by IAM principals of the account), over TLS, with email and HTTPS subscribers.
 */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    const topicArn = `arn:aws:sns:${props.region}:${props.accountId}:${props.name}`;
    const scoped = (publisher: TopicPublisher) => ({
      ...(publisher.sourceArnLike !== undefined ? { ArnLike: { 'aws:SourceArn': publisher.sourceArnLike } } : {}),
      StringEquals: { 'aws:SourceAccount': props.accountId },
    });

    this.key = new EncryptionKey(this, 'Key', {
      description: `Encrypts the SNS topic ${props.name}`,
      alias: `${props.name}-topic`,
      accountId: props.accountId,
      region: props.region,
      statements: props.publishers.map(
        (publisher): PolicyStatement => ({
          Sid: `${publisher.label}PublishEncrypted`,
          Effect: 'Allow',
          Principal: { Service: publisher.service },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: scoped(publisher),
        }),
      ),
    });

    this.topic = new SnsTopic(this, 'Topic', {
      name: props.name,
      kmsMasterKeyId: this.key.key.arn,
      region: props.region,
    });

    new SnsTopicPolicy(this, 'Policy', {
      arn: this.topic.arn,
      region: props.region,
      policy: policyJson([
        denyInsecureTransport('sns:Publish', topicArn),
        ...props.publishers.map(
          (publisher): PolicyStatement => ({
            Sid: `${publisher.label}Publish`,
            Effect: 'Allow',
            Principal: { Service: publisher.service },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: scoped(publisher),
          }),
        ),
      ]),
    });

    props.subscribers.emails.forEach((address, index) => {
      new SnsTopicSubscription(this, `Email${index}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: address,
        region: props.region,
      });
    });
    props.subscribers.httpsEndpoints.forEach((url, index) => {
      new SnsTopicSubscription(this, `Https${index}`, {
        topicArn: this.topic.arn,
        protocol: 'https',
        endpoint: url,
        endpointAutoConfirms: false,
        region: props.region,
      });
    });
  }
}
