import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

/** An account and the forwarding rules in it that may put events on the bus. */
export interface BusSender {
  readonly accountId: string;
  /** ARNs of the rules that forward, one per region. */
  readonly ruleArns: readonly string[];
}

export interface DetectorEventBusProps {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  /** Accounts owning monitored buckets; nobody else may put events. */
  readonly senders: readonly BusSender[];
}

/**
 * The event bus in the security account that receives S3 data events forwarded from the accounts owning monitored
 * buckets. Only those accounts, while in the organization, and only through their forwarding rules, may put events.
 */
export class DetectorEventBus extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DetectorEventBusProps) {
    super(scope, id);
    this.arn = `arn:aws:events:${props.region}:${props.accountId}:event-bus/${props.name}`;
    this.bus = new CloudwatchEventBus(this, 'Bus', {
      name: props.name,
      description: 'S3 data events on monitored buckets, forwarded from the accounts that own them',
      region: props.region,
    });

    new CloudwatchEventBusPolicy(this, 'Policy', {
      eventBusName: this.bus.name,
      region: props.region,
      policy: policyJson([
        {
          Sid: 'BucketOwnersForwardS3DataEvents',
          Effect: 'Allow',
          Principal: { AWS: props.senders.map((sender) => `arn:aws:iam::${sender.accountId}:root`) },
          Action: 'events:PutEvents',
          Resource: this.arn,
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
            // The rule a forwarded event comes from; nothing else in those accounts may write to the bus.
            ArnEquals: { 'aws:SourceArn': props.senders.flatMap((sender) => sender.ruleArns) },
          },
        },
      ]),
    });
  }
}
