import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { BUCKET_ENUMERATION_EVENT_NAMES, COPY_EVENT_NAMES, OBJECT_READ_EVENT_NAMES } from '../../functions/detector/event-names';
import { DeadLetterQueue } from '../common/dead-letter-queue';
import { policyJson } from '../common/policy-document';
import type { BucketLocation } from './monitored-buckets';

/*
 * Where the events come from. The organization trail (management account) logs S3 data events for the monitored
 * buckets only. AWS documents that CloudTrail delivers "AWS API Call via CloudTrail" events to EventBridge when a
 * trail with logging enabled records them, that S3 object calls need a trail logging data events, and that besides
 * the caller, the resource owner receives cross-account calls on its buckets (EventBridge User Guide, "AWS service
 * events delivered via AWS CloudTrail"). The organization trail is such a trail for every member account, so the
 * account owning a bucket sees the bucket's data events on its default bus, in the bucket's region; the
 * documentation does not spell out organization trails, so verify once after deploying by reading a monitored key
 * and looking for the event on the detector's bus (see docs/detector.md).
 */

/** Principal ids of EC2 instance-profile sessions: `<role id>:<instance id>`. */
const INSTANCE_SESSION_PRINCIPAL_ID = '*:i-*';

/** The event pattern of one forwarding rule, or undefined when no detector rule needs events from there. */
export function forwardedEventPattern(
  buckets: readonly string[],
  rules: BaselineConfig['detector']['rules'],
): { pattern: Record<string, unknown>; readOnlyManagementEvents: boolean } | undefined {
  const branches: Record<string, unknown>[] = [];
  if (rules.sensitiveObjectAccess || rules.instanceCredentialsOutsideAws) {
    const bucketNames = [...buckets].sort();
    branches.push({
      source: ['aws.s3'],
      detail: {
        eventSource: ['s3.amazonaws.com'],
        eventName: [...OBJECT_READ_EVENT_NAMES],
        requestParameters: { bucketName: bucketNames },
      },
    });
    // A copy names its destination in bucketName; a copy out of a monitored bucket into another one of this
    // account and region is matched on its source.
    branches.push({
      source: ['aws.s3'],
      detail: {
        eventSource: ['s3.amazonaws.com'],
        eventName: [...COPY_EVENT_NAMES],
        requestParameters: {
          'x-amz-copy-source': bucketNames.flatMap((bucket) => [{ prefix: `${bucket}/` }, { prefix: `/${bucket}/` }]),
        },
      },
    });
  }
  if (rules.bucketEnumeration) {
    // Any caller; the enumeration rule itself decides who is expected to list buckets.
    branches.push({ source: ['aws.s3'], detail: { eventSource: ['s3.amazonaws.com'], eventName: [...BUCKET_ENUMERATION_EVENT_NAMES] } });
  }
  if (rules.instanceCredentialsOutsideAws) {
    // Any API call made with instance credentials, except by an AWS service on the instance role's behalf. Calls
    // through VPC endpoints are forwarded too: an endpoint of another account is outside, and the rule decides.
    branches.push({
      detail: {
        userIdentity: { type: ['AssumedRole'], principalId: [{ wildcard: INSTANCE_SESSION_PRINCIPAL_ID }] },
        sourceIPAddress: [{ 'anything-but': { suffix: '.amazonaws.com' } }],
      },
    });
  }
  if (branches.length === 0) return undefined;
  return {
    pattern: { 'detail-type': ['AWS API Call via CloudTrail'], ...(branches.length === 1 ? branches[0] : { $or: branches }) },
    // ListBuckets and instance calls such as Describe* are read-only management events.
    readOnlyManagementEvents: rules.bucketEnumeration || rules.instanceCredentialsOutsideAws,
  };
}

export interface S3DataEventForwardingProps {
  /** The monitored buckets of this account, by region. */
  readonly locations: readonly BucketLocation[];
  /** The account owning them, where the rules run. */
  readonly accountId: string;
  /** The detector rules turned on; they decide which events are worth forwarding. */
  readonly rules: BaselineConfig['detector']['rules'];
  /** Name of the forwarding rule, the same in every region (the bus policy names it). */
  readonly ruleName: string;
  /** Name of the role EventBridge assumes to put events on the detector's bus. */
  readonly roleName: string;
  /** The detector's bus in the security account's home region. */
  readonly eventBusArn: string;
  /** Name of the dead-letter queue in each region. */
  readonly deadLetterQueueName: string;
}

/**
 * Forwards the CloudTrail events the detector needs, from the default bus of each region where this account owns a
 * monitored bucket, to the detector's bus in the security account. Cross-account and cross-region bus targets need
 * a role that EventBridge assumes to call PutEvents; each target retries for a day and keeps what it could not
 * deliver in an encrypted dead-letter queue.
 */
export class S3DataEventForwarding extends Construct {
  readonly role: IamRole;
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: S3DataEventForwardingProps) {
    super(scope, id);
    const regions = [...new Set(props.locations.map((location) => location.region))].sort();
    const ruleArns = regions.map((region) => `arn:aws:events:${region}:${props.accountId}:rule/${props.ruleName}`);

    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'EventBridge forwards S3 data events on monitored buckets to the S3 access detector',
      assumeRolePolicy: policyJson([
        {
          Sid: 'ForwardingRulesOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnEquals: { 'aws:SourceArn': ruleArns } },
        },
      ]),
    });
    new IamRolePolicy(this, 'Policy', {
      name: 'put-events-on-detector-bus',
      role: this.role.name,
      policy: policyJson([{ Sid: 'PutEventsOnDetectorBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.eventBusArn }]),
    });

    for (const region of regions) {
      const buckets = props.locations.filter((location) => location.region === region).flatMap((location) => location.buckets);
      // Defined whenever a rule is on, which deploying the detector requires (detectorDeployed).
      const forwarded = forwardedEventPattern(buckets, props.rules)!;
      const ruleArn = `arn:aws:events:${region}:${props.accountId}:rule/${props.ruleName}`;

      const rule = new CloudwatchEventRule(this, `Rule-${region}`, {
        name: props.ruleName,
        description: 'Forwards CloudTrail events on monitored S3 buckets to the S3 access detector',
        eventPattern: JSON.stringify(forwarded.pattern),
        state: forwarded.readOnlyManagementEvents ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
        region,
      });
      this.rules.push(rule);

      const deadLetters = new DeadLetterQueue(this, `Undelivered-${region}`, {
        name: props.deadLetterQueueName,
        accountId: props.accountId,
        region,
        senders: [{ service: 'events.amazonaws.com', sourceArnLike: ruleArn, label: 'ForwardingRule' }],
      });

      new CloudwatchEventTarget(this, `Target-${region}`, {
        rule: rule.name,
        targetId: 'detector-bus',
        arn: props.eventBusArn,
        roleArn: this.role.arn,
        retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: deadLetters.queue.arn },
        region,
      });
    }
  }
}
