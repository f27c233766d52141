import { policyDocument } from '../common/policy-document';
import { type GuardrailPolicy, principalArns } from './guardrail-policy';

/** The detector's resources by name, the same in every account and region (names come from the configuration). */
export interface DetectorResourceNames {
  /** The forwarding rule on each owning account's default bus; more rules of the same region add "-2", "-3"... */
  readonly forwardingRuleName: string;
  readonly eventBusName: string;
  readonly detectorRuleName: string;
  /** Forwarder, response and function roles. */
  readonly roleNames: readonly string[];
  readonly functionName: string;
  readonly topicName: string;
  /** Dead-letter and failure queues. */
  readonly queueNames: readonly string[];
  /** The account of the detector's bus. */
  readonly securityAccountId: string;
  /** The stateful rules' table and its key's alias, when the mass-download rule is on. */
  readonly stateTable?: { readonly tableName: string; readonly keyAlias: string; readonly writerRoleArn: string };
  /** The detection drill's roles, runner function, schedule and heartbeat alarms, when it is deployed. */
  readonly drill?: {
    readonly roleNames: readonly string[];
    readonly functionName: string;
    readonly scheduleName: string;
    readonly alarmPrefix: string;
  };
}

/**
 * The calls that would switch the detector off or blind it, on the detector's resources only: disabling or editing a
 * forwarding rule (read, then re-enable), its target or the bus policy, rewriting the forwarder, response or function
 * role, changing the function, its topic, queues (their attributes, encryption included, and policies) or alarms. Actions and resource types from the Service Authorization
 * Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html,
 * .../list_awsidentityandaccessmanagementiam.html, .../list_awslambda.html, .../list_amazonsns.html,
 * .../list_amazonsqs.html, .../list_amazoncloudwatch.html.
 */
export function protectDetector(name: string, deploymentRoleArnPatterns: readonly string[], names: DetectorResourceNames): GuardrailPolicy {
  const deploymentRoleArnPattern = principalArns(deploymentRoleArnPatterns);
  return {
    id: 'ProtectDetector',
    name,
    description:
      'Denies disabling, rewriting or deleting the S3 access detector (forwarding rules, bus, roles, function, topic, queues, alarms), except by the deployment role.',
    type: 'SERVICE_CONTROL_POLICY',
    // One statement: each action applies only to resources of its own service, so listing them together denies no
    // more than one statement per service would, in half the characters the five-per-target packing has to spare.
    document: policyDocument([
      {
        Sid: 'ProtectS3AccessDetector',
        Effect: 'Deny',
        Action: [
          'cloudwatch:DeleteAlarms',
          'cloudwatch:DisableAlarmActions',
          'cloudwatch:PutMetricAlarm',
          'events:DeleteEventBus',
          'events:DeleteRule',
          'events:DisableRule',
          'events:PutRule',
          'events:PutTargets',
          'events:RemoveTargets',
          'iam:AttachRolePolicy',
          'iam:CreateRole',
          'iam:DeleteRole*',
          'iam:DetachRolePolicy',
          'iam:PutRole*',
          'iam:UpdateAssumeRolePolicy',
          'lambda:AddPermission',
          'lambda:DeleteFunction*',
          'lambda:PutFunction*',
          'lambda:RemovePermission',
          'lambda:UpdateFunction*',
          'sns:DeleteTopic',
          'sns:SetTopicAttributes',
          // AddPermission and RemovePermission edit the queue policy as SetQueueAttributes does; the forwarding queues
          // have no key of their own, so their policy is the only thing that says who may send or read.
          'sqs:AddPermission',
          'sqs:DeleteQueue',
          'sqs:PurgeQueue',
          'sqs:RemovePermission',
          'sqs:SetQueueAttributes',
          ...(names.drill ? ['scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'] : []),
          ...(names.stateTable
            ? ['dynamodb:BatchWriteItem', 'dynamodb:Delete*', 'dynamodb:PartiQL*', 'dynamodb:PutItem', 'dynamodb:Update*', 'kms:DeleteAlias', 'kms:UpdateAlias']
            : []),
        ],
        Resource: [
          // The forwarding rules of every owning account and region ("<name>", "<name>-2"...), and the detector's.
          `arn:aws:events:*:*:rule/${names.forwardingRuleName}*`,
          `arn:aws:events:*:*:rule/${names.eventBusName}/${names.detectorRuleName}`,
          `arn:aws:events:*:*:event-bus/${names.eventBusName}`,
          ...[...names.roleNames].sort().map((role) => `arn:aws:iam::*:role/${role}`),
          `arn:aws:lambda:*:*:function:${names.functionName}`,
          `arn:aws:sns:*:*:${names.topicName}`,
          ...[...names.queueNames].sort().map((queue) => `arn:aws:sqs:*:*:${queue}`),
          `arn:aws:cloudwatch:*:*:alarm:${names.functionName}-*`,
          // A silenced drill would hide a broken chain: its roles, runner, schedule and heartbeat alarms too.
          // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html
          ...(names.drill
            ? [
                ...[...names.drill.roleNames].sort().map((role) => `arn:aws:iam::*:role/${role}`),
                `arn:aws:lambda:*:*:function:${names.drill.functionName}`,
                `arn:aws:scheduler:*:*:schedule/default/${names.drill.scheduleName}`,
                `arn:aws:cloudwatch:*:*:alarm:${names.drill.alarmPrefix}*`,
              ]
            : []),
          // The windows of the mass-download rule: dropping the table, its recovery or its TTL, moving its key's alias,
          // or writing its items (an incident put by anyone but the detector could hide a principal's sync for as long
          // as its window claims). https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
          // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
          ...(names.stateTable
            ? [`arn:aws:dynamodb:*:*:table/${names.stateTable.tableName}`, `arn:aws:kms:*:*:alias/${names.stateTable.keyAlias}`]
            : []),
        ],
        // The detector's own role writes its state; exempting it grants nothing its identity policy does not.
        Condition: { ArnNotLike: { 'aws:PrincipalArn': names.stateTable ? [...deploymentRoleArnPatterns, names.stateTable.writerRoleArn] : deploymentRoleArnPattern } },
      },
      {
        // The bus policy is changed through PutPermission and RemovePermission, which take no resource: they are
        // denied in the security account as a whole, where the detector's bus is the baseline's only one.
        Sid: 'ProtectS3AccessDetectorBusPolicy',
        Effect: 'Deny',
        Action: ['events:PutPermission', 'events:RemovePermission'],
        Resource: '*',
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': deploymentRoleArnPattern },
          StringEquals: { 'aws:PrincipalAccount': names.securityAccountId },
        },
      },
    ]),
  };
}
