import { CloudwatchEventPermission } from '@cdktf/provider-aws/lib/cloudwatch-event-permission';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget, type CloudwatchEventTargetRetryPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { DeadLetterQueue } from '../common/dead-letter-queue';
import { detectorDeployed } from '../detector/monitored-buckets';
import { forwardingLocations, networkActivityForwarded } from '../detector/network-activity-forwarding';
import { NotificationTopic } from '../common/notification-topic';
import { policyJson } from '../common/policy-document';
import type { BaselineNames } from '../naming';
import {
  type FindingMessage,
  GUARDDUTY_MESSAGE,
  guardDutyFindingPattern,
  securityHubFindingPattern,
  securityHubMessage,
  UNDELIVERED_FINDINGS_MESSAGE,
  undeliveredFindingsPattern,
} from './finding-events';

/** EventBridge's longest persistence: a target that is down for up to a day still gets the finding. */
export const FINDINGS_RETRY_POLICY: CloudwatchEventTargetRetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 };

export interface FindingsRoutingProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  /** The security account, where the services' findings of every account arrive. */
  readonly accountId: string;
}

/**
 * Sends GuardDuty and Security Hub findings at or above the configured severity to people, through one encrypted SNS
 * topic in the home region. GuardDuty findings are regional: every other region forwards them to the home region's
 * default event bus. Security Hub findings are already aggregated to the home region. Every delivery is retried for
 * a day and, if it still fails, kept in an encrypted dead-letter queue of its region, whose alarm is routed the same
 * way: no finding is dropped silently.
 */
export class FindingsRouting extends Construct {
  readonly topic: NotificationTopic;
  readonly deadLetterQueues: Record<string, DeadLetterQueue> = {};
  private readonly props: FindingsRoutingProps;
  private readonly homeBusArn: string;
  private forwarder?: IamRole;

  constructor(scope: Construct, id: string, props: FindingsRoutingProps) {
    super(scope, id);
    this.props = props;
    const { config, names, accountId } = props;
    const home = config.regions.home;
    const threshold = config.securityServices.findingsSeverityThreshold;
    const regions = [...config.regions.enabled].sort();
    const ruleArnLike = (region: string) => `arn:aws:events:${region}:${accountId}:rule/${names.findingsRuleName('*')}`;
    this.homeBusArn = `arn:aws:events:${home}:${accountId}:event-bus/default`;

    this.topic = new NotificationTopic(this, 'Topic', {
      name: names.findingsTopicName,
      accountId,
      region: home,
      publishers: [{ service: 'events.amazonaws.com', sourceArnLike: ruleArnLike(home), label: 'FindingRules' }],
      subscribers: config.notifications,
    });

    const alarmPrefix = names.findingsDeadLetterQueueName('');
    // The detector's queues of this account hold failures too; their alarms are named like them.
    const deadLetterAlarms = detectorDeployed(config)
      ? [names.detectorFailedInvocationsQueueName, names.detectorUndeliveredQueueName, names.detectorForwardingDeadLetterQueueName]
      : [];
    // Accounts running forwarding rules (monitored buckets, VPC endpoint network activity) send their forwarding queues' alarms here (UndeliveredAlarmForwarding): only
    // those accounts. No source condition: an event AWS produced keeps its aws.* source when a rule forwards it, and no
    // one can put an aws.* source with PutEvents, so what these accounts can add is their own AWS events, which the
    // rules here match only by alarm name or finding source.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
    const senders = [...new Set(forwardingLocations(config).map((location) => location.accountId))].filter((id) => id !== accountId).sort();
    // One permission per sending account (PutPermission), which adds to the default bus's policy instead of replacing
    // statements the organization may already have there.
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html
    // When every account forwards (VPC endpoint network activity), one permission for the organization instead: a
    // statement per account would outgrow the bus policy. PutPermission takes Principal "*" with an
    // aws:PrincipalOrgID condition for that (same page).
    if (networkActivityForwarded(config)) {
      new CloudwatchEventPermission(this, 'DeadLetterAlarmsFromOrganization', {
        eventBusName: 'default',
        principal: '*',
        action: 'events:PutEvents',
        statementId: `${names.undeliveredAlarmForwardingRuleName}-organization`,
        condition: { key: 'aws:PrincipalOrgID', type: 'StringEquals', value: config.organization.id },
        region: home,
      });
    }
    for (const sender of networkActivityForwarded(config) ? [] : senders) {
      new CloudwatchEventPermission(this, `DeadLetterAlarmsFrom-${sender}`, {
        eventBusName: 'default',
        principal: sender,
        action: 'events:PutEvents',
        statementId: `${names.undeliveredAlarmForwardingRuleName}-${sender}`,
        region: home,
      });
    }
    for (const region of regions) {
      const queue = new DeadLetterQueue(this, `DeadLetters-${region}`, {
        name: names.findingsDeadLetterQueueName(region),
        accountId,
        region,
        senders: [{ service: 'events.amazonaws.com', sourceArnLike: ruleArnLike(region), label: 'FindingRules' }],
      });
      this.deadLetterQueues[region] = queue;
      // Its alarm (DeadLetterQueue) is an event, routed to people like a finding (alarm actions reach only their own region).
    }

    this.notify(
      'GuardDuty',
      'guardduty',
      `GuardDuty findings of severity ${threshold} or above, from every region, to ${names.findingsTopicName}`,
      guardDutyFindingPattern(threshold),
      GUARDDUTY_MESSAGE,
    );
    this.notify(
      'SecurityHub',
      'securityhub',
      `Security Hub findings (other than GuardDuty) of severity ${threshold} or above, aggregated from every region, to ${names.findingsTopicName}`,
      securityHubFindingPattern(threshold),
      securityHubMessage(home),
    );
    this.notify(
      'Undelivered',
      'undelivered',
      `Dead-letter queue alarms of findings routing, from every region, to ${names.findingsTopicName}`,
      undeliveredFindingsPattern(alarmPrefix, deadLetterAlarms),
      UNDELIVERED_FINDINGS_MESSAGE,
    );

    for (const region of regions.filter((candidate) => candidate !== home)) {
      this.forwardToHome(`GuardDutyForward-${region}`, 'guardduty-forward', region, guardDutyFindingPattern(threshold));
      this.forwardToHome(`UndeliveredForward-${region}`, 'undelivered-forward', region, undeliveredFindingsPattern(alarmPrefix, deadLetterAlarms));
    }
  }

  /** A rule on the home region's default bus that sends matching events, as a message, to the topic. */
  private notify(id: string, source: string, description: string, pattern: Record<string, unknown>, message: FindingMessage): void {
    const home = this.props.config.regions.home;
    const rule = new CloudwatchEventRule(this, id, {
      name: this.props.names.findingsRuleName(source),
      description,
      eventPattern: JSON.stringify(pattern),
      region: home,
    });
    new CloudwatchEventTarget(this, `${id}-Topic`, {
      rule: rule.name,
      targetId: 'findings-topic',
      arn: this.topic.topic.arn,
      inputTransformer: { inputPaths: message.inputPaths, inputTemplate: message.inputTemplate },
      retryPolicy: FINDINGS_RETRY_POLICY,
      deadLetterConfig: { arn: this.deadLetterQueues[home].queue.arn },
      region: home,
    });
  }

  /** A rule in another region that forwards matching events unchanged to the home region's default bus. */
  private forwardToHome(id: string, source: string, region: string, pattern: Record<string, unknown>): void {
    const { names } = this.props;
    const rule = new CloudwatchEventRule(this, id, {
      name: names.findingsRuleName(source),
      description: `Forwards to the default event bus of ${this.props.config.regions.home}, where the findings rules send it on`,
      eventPattern: JSON.stringify(pattern),
      region,
    });
    new CloudwatchEventTarget(this, `${id}-Target`, {
      rule: rule.name,
      targetId: 'home-region-bus',
      arn: this.homeBusArn,
      roleArn: this.forwarderRole().arn,
      retryPolicy: FINDINGS_RETRY_POLICY,
      deadLetterConfig: { arn: this.deadLetterQueues[region].queue.arn },
      region,
    });
  }

  /** The role EventBridge uses to put events on the home bus, created with the first forwarding rule. */
  private forwarderRole(): IamRole {
    if (this.forwarder) return this.forwarder;
    const { names, accountId, config } = this.props;
    this.forwarder = new IamRole(this, 'ForwarderRole', {
      name: names.findingsForwarderRoleName,
      description: `Lets EventBridge forward findings to the default event bus of ${config.regions.home}.`,
      assumeRolePolicy: policyJson([
        {
          Sid: 'EventBridgeForwardsForThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, 'ForwarderPolicy', {
      role: this.forwarder.name,
      name: 'put-events-home-region',
      policy: policyJson([{ Sid: 'PutEventsOnHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: this.homeBusArn }]),
    });
    return this.forwarder;
  }
}
