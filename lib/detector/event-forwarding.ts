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
import { networkActivityBranch } from './network-activity-forwarding';

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

/**
 * The most characters EventBridge accepts in an event pattern by default ("Event pattern size", an adjustable quota:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). PutRule fails beyond it, so every pattern
 * is measured at synth and the buckets of one account and region are spread over as many rules as it takes.
 */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;

/** One forwarding rule's pattern, and whether it must see read-only management events. */
export interface ForwardedEventPattern {
  readonly pattern: Record<string, unknown>;
  readonly readOnlyManagementEvents: boolean;
}

/** The rule toggles forwarding depends on; a toggle left out is off. */
export type ForwardingRules = Pick<BaselineConfig['detector']['rules'], 'sensitiveObjectAccess' | 'instanceCredentialsOutsideAws' | 'bucketEnumeration' | 'vpcEndpointAccess'> & {
  readonly massDownload?: boolean;
};

/**
 * The event pattern of one forwarding rule, or undefined when no detector rule needs events from there. Every branch
 * accepts only events AWS delivered for this account: a source in the "aws." namespace, which EventBridge reserves
 * for AWS services (anyone with events:PutEvents on the default bus may write any other source, and any
 * detail-type), and the account CloudTrail wrote the record for. Object reads are matched on the object ARNs CloudTrail
 * lists in `resources` (as the trail's own data-event selectors are), so reads through an access point or its alias
 * are matched on the bucket they reach; copies also on their copy-source header.
 */
export function forwardedEventPattern(
  accountId: string,
  buckets: readonly string[],
  rules: ForwardingRules,
  withAccountWideBranches = true,
): ForwardedEventPattern | undefined {
  const branches: Record<string, unknown>[] = [];
  const fromCloudTrail = (source: unknown, detail: Record<string, unknown>) => ({
    source,
    account: [accountId],
    detail: { recipientAccountId: [accountId], ...detail },
  });
  // Without monitored buckets, a location forwards only its VPC endpoints' network activity (network-activity-forwarding.ts).
  const s3Rules = buckets.length > 0;
  // Every object read of a monitored bucket: sensitive keys, instance credentials, and the mass-download counts.
  if ((rules.sensitiveObjectAccess || rules.instanceCredentialsOutsideAws || rules.massDownload) && s3Rules) {
    const bucketNames = [...buckets].sort();
    branches.push(
      fromCloudTrail(['aws.s3'], {
        eventSource: ['s3.amazonaws.com'],
        eventName: [...OBJECT_READ_EVENT_NAMES],
        resources: { ARN: bucketNames.map((bucket) => ({ prefix: `arn:aws:s3:::${bucket}/` })) },
      }),
    );
    // A copy names its destination in the request; one whose source is a monitored bucket's object is matched on
    // the copy-source header too, in case CloudTrail lists only the destination.
    branches.push(
      fromCloudTrail(['aws.s3'], {
        eventSource: ['s3.amazonaws.com'],
        eventName: [...COPY_EVENT_NAMES],
        requestParameters: {
          'x-amz-copy-source': bucketNames.flatMap((bucket) => [{ prefix: `${bucket}/` }, { prefix: `/${bucket}/` }]),
        },
      }),
    );
  }
  if (withAccountWideBranches && s3Rules && rules.bucketEnumeration) {
    // Any caller; the enumeration rule itself decides who is expected to list buckets.
    branches.push(fromCloudTrail(['aws.s3'], { eventSource: ['s3.amazonaws.com'], eventName: [...BUCKET_ENUMERATION_EVENT_NAMES] }));
  }
  if (withAccountWideBranches && s3Rules && rules.instanceCredentialsOutsideAws) {
    // Any API call made with instance credentials, except by an AWS service on the instance role's behalf. Calls
    // through VPC endpoints are forwarded too: an endpoint of another account is outside, and the rule decides.
    branches.push(
      fromCloudTrail([{ prefix: 'aws.' }], {
        userIdentity: { type: ['AssumedRole'], principalId: [{ wildcard: INSTANCE_SESSION_PRINCIPAL_ID }] },
        sourceIPAddress: [{ 'anything-but': { suffix: '.amazonaws.com' } }],
      }),
    );
  }
  const networkActivity = withAccountWideBranches && rules.vpcEndpointAccess;
  if (networkActivity) branches.push(networkActivityBranch(accountId));
  if (branches.length === 0) return undefined;
  return {
    pattern: { 'detail-type': ['AWS API Call via CloudTrail'], ...(branches.length === 1 ? branches[0] : { $or: branches }) },
    // ListBuckets and instance calls such as Describe* are read-only management events; network activity events are
    // not management events, but nothing AWS documents says which rule state matches them, so the state that matches
    // every CloudTrail event is used (it costs nothing here: the branch matches only network activity).
    readOnlyManagementEvents: withAccountWideBranches && ((s3Rules && (rules.bucketEnumeration || rules.instanceCredentialsOutsideAws)) || networkActivity),
  };
}

/** The size EventBridge counts: the pattern as sent, compact JSON. */
export function eventPatternSize(pattern: Record<string, unknown>): number {
  return JSON.stringify(pattern).length;
}

/**
 * The forwarding rules of one account and region: the first carries the account-wide branches (ListBuckets, instance
 * credentials) and as many buckets as fit; each further one as many of the rest as fit. Throws, naming the bucket,
 * when one bucket alone would not fit.
 */
export function forwardedEventPatterns(
  accountId: string,
  buckets: readonly string[],
  rules: ForwardingRules,
  maxCharacters = EVENT_PATTERN_MAX_CHARACTERS,
): ForwardedEventPattern[] {
  const sorted = [...buckets].sort();
  const result: ForwardedEventPattern[] = [];
  let chunk: string[] = [];
  const build = (names: string[]) => forwardedEventPattern(accountId, names, rules, result.length === 0);
  for (const bucket of sorted) {
    const candidate = build([...chunk, bucket]);
    if (candidate && eventPatternSize(candidate.pattern) <= maxCharacters) {
      chunk.push(bucket);
      continue;
    }
    if (chunk.length === 0) {
      throw new Error(
        `detector.monitoredBuckets: "${bucket}": the forwarding rule's event pattern would be ${eventPatternSize(candidate!.pattern)} ` +
          `characters; EventBridge accepts at most ${maxCharacters}`,
      );
    }
    result.push(build(chunk)!);
    chunk = [];
    const alone = build([bucket])!;
    if (eventPatternSize(alone.pattern) > maxCharacters) {
      throw new Error(
        `detector.monitoredBuckets: "${bucket}": the forwarding rule's event pattern would be ${eventPatternSize(alone.pattern)} ` +
          `characters; EventBridge accepts at most ${maxCharacters}`,
      );
    }
    chunk = [bucket];
  }
  const last = build(chunk);
  if (last) result.push(last);
  return result;
}

/** The name of the n-th forwarding rule of a region (0-based): the base name, then "-2", "-3"... */
export function forwardingRuleName(baseName: string, index: number): string {
  return index === 0 ? baseName : `${baseName}-${index + 1}`;
}

/**
 * Why the forwarding dead-letter queues use SQS-managed encryption (SSE-SQS) rather than a key each. They run in every
 * account and region when network activity is forwarded: at $1 a month a key (https://aws.amazon.com/kms/pricing/),
 * about $3,000 a month for 1,000 accounts in 3 regions; one key per account is no cheaper, as a key serves its own
 * region and a multi-Region key reaches others through replicas billed as keys each
 * (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html, and the pricing page). A
 * key would protect nothing SSE-SQS does not: the queue holds only CloudTrail events of its own account, and the
 * key's policy would hand use of it to the account's IAM principals, the same ones IAM lets read the queue. It would add a way to blind the detector: an account
 * administrator could disable the key or rewrite its policy, and every undelivered event would then be dropped, while
 * the queue's encryption changes only through sqs:SetQueueAttributes, which the protect-detector guardrail denies.
 */
export const FORWARDING_QUEUE_ENCRYPTION_REASON =
  'Holds only CloudTrail events of its own account; a key per account and region would cost $1 a month each, give ' +
  "decryption to the same IAM principals the queue policy and IAM already govern, and be one more thing an account's " +
  'administrator could disable to drop undelivered events (the protect-detector guardrail covers the queue, not keys).';

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
 * deliver in a dead-letter queue encrypted with SQS-managed keys (FORWARDING_QUEUE_ENCRYPTION_REASON).
 */
export class S3DataEventForwarding extends Construct {
  readonly role: IamRole;
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: S3DataEventForwardingProps) {
    super(scope, id);
    const regions = [...new Set(props.locations.map((location) => location.region))].sort();
    const patternsOf = (region: string) =>
      forwardedEventPatterns(
        props.accountId,
        props.locations.filter((location) => location.region === region).flatMap((location) => location.buckets),
        props.rules,
      );
    const ruleArnOf = (region: string, index: number) =>
      `arn:aws:events:${region}:${props.accountId}:rule/${forwardingRuleName(props.ruleName, index)}`;
    const ruleArns = regions.flatMap((region) => patternsOf(region).map((_, index) => ruleArnOf(region, index)));

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
      const patterns = patternsOf(region);
      const deadLetters = new DeadLetterQueue(this, `Undelivered-${region}`, {
        name: props.deadLetterQueueName,
        accountId: props.accountId,
        region,
        // EventBridge writes to the queue with sqs:SendMessage, allowed by the queue policy for this account's
        // forwarding rules only (aws:SourceArn and aws:SourceAccount, as EventBridge's guide shows:
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html); a dead-letter queue must be a
        // standard queue in the rule's region, and nothing more is asked of its encryption.
        senders: patterns.map((_, index) => ({
          service: 'events.amazonaws.com',
          sourceArnLike: ruleArnOf(region, index),
          label: `ForwardingRule${index === 0 ? '' : index + 1}`,
        })),
        sqsManagedEncryption: { reason: FORWARDING_QUEUE_ENCRYPTION_REASON },
      });

      patterns.forEach((forwarded, index) => {
        const suffix = index === 0 ? region : `${region}-${index + 1}`;
        const rule = new CloudwatchEventRule(this, `Rule-${suffix}`, {
          name: forwardingRuleName(props.ruleName, index),
          description: 'Forwards CloudTrail events on monitored S3 buckets to the S3 access detector',
          eventPattern: JSON.stringify(forwarded.pattern),
          state: forwarded.readOnlyManagementEvents ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
          region,
        });
        this.rules.push(rule);

        new CloudwatchEventTarget(this, `Target-${suffix}`, {
          rule: rule.name,
          targetId: 'detector-bus',
          arn: props.eventBusArn,
          roleArn: this.role.arn,
          retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
          deadLetterConfig: { arn: deadLetters.queue.arn },
          region,
        });
      });
    }
  }
}
