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
  /**
   * The name of the forwarding rule every account of the organization runs in every enabled region to forward its
   * VPC endpoints' network activity, when it does. @default - only the senders
   */
  readonly organizationForwardingRuleName?: string;
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
        // Every account may own VPC endpoints: listing each account's rule in each region would outgrow the policy,
        // so any principal of the organization, through a rule of that name in any of its accounts and regions (the
        // name the protect-detector SCP keeps to the deployment role). The organization condition is the one AWS's
        // example for organizations uses: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
        ...(props.organizationForwardingRuleName
          ? [
              {
                Sid: 'OrganizationAccountsForwardNetworkActivity',
                Effect: 'Allow' as const,
                Principal: { AWS: '*' },
                Action: 'events:PutEvents',
                Resource: this.arn,
                Condition: {
                  StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
                  ArnLike: { 'aws:SourceArn': `arn:aws:events:*:*:rule/${props.organizationForwardingRuleName}` },
                },
              },
            ]
          : []),
      ]),
    });
  }
}
