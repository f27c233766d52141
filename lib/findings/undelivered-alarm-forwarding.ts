import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface UndeliveredAlarmForwardingProps {
  readonly accountId: string;
  /** The regions where the account keeps queues that hold failures. */
  readonly regions: readonly string[];
  /** The alarms (named like their queues, see DeadLetterQueue) whose state changes are sent. */
  readonly alarmNames: readonly string[];
  /** The security account's default event bus in the home region, where findings routing sends them to people. */
  readonly homeBusArn: string;
  readonly ruleName: string;
  readonly roleName: string;
}

/**
 * Sends the alarms of an account's dead-letter queues to the security account, where findings routing notifies
 * people: an alarm action reaches only an SNS topic of its own region and account, and the findings topic lives in
 * the security account's home region. EventBridge delivers to an event bus of another account and region through a
 * role of the sending account: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 */
export class UndeliveredAlarmForwarding extends Construct {
  constructor(scope: Construct, id: string, props: UndeliveredAlarmForwardingProps) {
    super(scope, id);
    const regions = [...new Set(props.regions)].sort();
    const ruleArns = regions.map((region) => `arn:aws:events:${region}:${props.accountId}:rule/${props.ruleName}`);
    const role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Lets EventBridge send dead-letter queue alarms to the security account',
      assumeRolePolicy: policyJson([
        {
          Sid: 'EventBridgeOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Only these rules, as the detector's forwarding role is scoped; the confused-deputy keys services set when
          // they assume a role: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnEquals: { 'aws:SourceArn': ruleArns } },
        },
      ]),
    });
    new IamRolePolicy(this, 'Policy', {
      name: 'put-alarms-on-security-bus',
      role: role.name,
      policy: policyJson([{ Sid: 'PutEventsOnSecurityBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.homeBusArn }]),
    });
    const pattern = {
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [...props.alarmNames].sort(), state: { value: ['ALARM'] } },
    };
    for (const region of regions) {
      const rule = new CloudwatchEventRule(this, `Rule-${region}`, {
        name: props.ruleName,
        description: 'Sends dead-letter queue alarms to the security account, which notifies people',
        eventPattern: JSON.stringify(pattern),
        region,
      });
      new CloudwatchEventTarget(this, `Target-${region}`, {
        rule: rule.name,
        targetId: 'security-account-bus',
        arn: props.homeBusArn,
        roleArn: role.arn,
        region,
      });
    }
  }
}
