import { createHash } from 'node:crypto';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AssetType, type ITerraformDependable, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { NETWORK_ACTIVITY_CATEGORY } from '../../functions/detector/rules/vpc-endpoint-access';
import type { DetectorSettings } from '../../functions/detector/settings';
import { DeadLetterQueue } from '../common/dead-letter-queue';
import { EncryptedLogGroup } from '../common/encrypted-log-group';
import { NotificationTopic } from '../common/notification-topic';
import { type PolicyStatement, policyJson } from '../common/policy-document';
import { DetectorAlarms } from './detector-alarms';
import { buildDetectorPackage, packageFile } from './package';

/**
 * The pattern of the rule that invokes the function: only AWS events ("aws." sources are reserved to AWS services) of
 * the owning accounts, delivered in the account CloudTrail wrote them for, and, when forwarded, network activity events
 * of any account (listing every account would outgrow the pattern quota; the bus policy admits the organization's
 * forwarding rules only, and the function checks the account against the organization and the record).
 */
export function detectorRulePattern(sourceAccountIds: readonly string[], networkActivity: boolean): Record<string, unknown> {
  const owners = [...sourceAccountIds].sort();
  const fromOwners = { account: owners, detail: { recipientAccountId: owners } };
  const branches = [
    ...(owners.length > 0 ? [fromOwners] : []),
    ...(networkActivity ? [{ detail: { eventCategory: [NETWORK_ACTIVITY_CATEGORY] } }] : []),
  ];
  return {
    source: [{ prefix: 'aws.' }],
    'detail-type': ['AWS API Call via CloudTrail'],
    ...(branches.length === 1 ? branches[0] : { $or: branches }),
  };
}

/** How long the function's logs are kept (CIS and most audit regimes ask for a year). */
export const DETECTOR_LOG_RETENTION_DAYS = 365;

export interface S3AccessDetectorProps {
  /** Function, role and log group name. */
  readonly functionName: string;
  /** The topic findings are published to. */
  readonly topicName: string;
  /** The security account. */
  readonly accountId: string;
  /** The home region, where the bus, function and topic live. */
  readonly region: string;
  /** The detector's bus, by name, and the resource that creates it. */
  readonly eventBus: { readonly name: string; readonly resource: ITerraformDependable };
  /** The rule on the bus that invokes the function. */
  readonly ruleName: string;
  /** The accounts whose forwarded events the rule accepts. */
  readonly sourceAccountIds: readonly string[];
  /**
   * Whether the rule also accepts network activity events, which every account of the organization forwards (the bus
   * policy admits only its principals; the function checks the account against the organization again).
   * @default false
   */
  readonly networkActivity?: boolean;
  /** What the function is told at run time; packaged into the deployment zip. */
  readonly settings: DetectorSettings;
  /** Concurrent executions kept for the function, and its ceiling. */
  readonly reservedConcurrency: number;
  /** People and systems that receive the findings. */
  readonly subscribers: BaselineConfig['notifications'];
  /**
   * The role, of the same name in every account that gets one, the function may assume to revoke a flagged role's
   * sessions. Unset unless the response mode acts. @default - none
   */
  readonly responseRoles?: DetectorResponseRoles;
  /** The stateful rules' table (mass download), which the function reads and writes. @default - none */
  readonly stateTable?: { readonly name: string; readonly arn: string };
}

/** Where the detector may assume its response role: in the organization's accounts, but never in those excepted. */
export interface DetectorResponseRoles {
  readonly roleName: string;
  readonly organizationId: string;
  /** Accounts that never get a response role (management, log archive); the function may not assume one there. */
  readonly exceptAccountIds: readonly string[];
}

/**
 * The S3 access detector in the security account: a rule on the detector's bus invokes the function, which publishes
 * findings to an encrypted topic. Every hop has retries and a dead-letter queue; the function has reserved
 * concurrency, its own encrypted log group, and a role that can do only what the function does.
 */
export class S3AccessDetector extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly topic: NotificationTopic;
  readonly logGroup: EncryptedLogGroup;
  readonly rule: CloudwatchEventRule;
  readonly ruleDeadLetterQueue: DeadLetterQueue;
  readonly failureQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: S3AccessDetectorProps) {
    super(scope, id);
    const { accountId, region, functionName } = props;
    const ruleArn = `arn:aws:events:${region}:${accountId}:rule/${props.eventBus.name}/${props.ruleName}`;
    const topicArn = `arn:aws:sns:${region}:${accountId}:${props.topicName}`;
    const logGroupName = `/aws/lambda/${functionName}`;
    const functionArn = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;

    this.topic = new NotificationTopic(this, 'Findings', {
      name: props.topicName,
      accountId,
      region,
      // The function publishes through its role's identity policy; its own alarms through CloudWatch.
      publishers: [
        {
          service: 'cloudwatch.amazonaws.com',
          sourceArnLike: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${functionName}-*`,
          label: 'DetectorAlarms',
        },
      ],
      subscribers: props.subscribers,
    });

    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      name: logGroupName,
      retentionInDays: DETECTOR_LOG_RETENTION_DAYS,
      accountId,
      region,
      keyAlias: `${functionName}-logs`,
    });

    // Invocations that fail after Lambda's own retries, with the event and the error.
    this.failureQueue = new DeadLetterQueue(this, 'FailedInvocations', {
      name: `${functionName}-failed-invocations`,
      accountId,
      region,
      senders: [],
    });

    this.role = new IamRole(this, 'Role', {
      name: functionName,
      description: 'The S3 access detector: writes its logs, publishes findings, reports failed invocations',
      assumeRolePolicy: policyJson([
        {
          Sid: 'LambdaRunsTheDetector',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Lambda documents aws:SourceArn only for policies on a function, not for assuming its execution role: a
          // condition on it could make the role unassumable. Only functions of this account can use the role.
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });

    const viaService = (service: string) => ({ StringEquals: { 'kms:ViaService': `${service}.${region}.amazonaws.com` } });
    const responseRoles = props.responseRoles;
    const statements: PolicyStatement[] = [
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:log-stream:*`,
      },
      { Sid: 'PublishFindings', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
      {
        Sid: 'EncryptFindings',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: this.topic.key.key.arn,
        Condition: viaService('sns'),
      },
      { Sid: 'ReportFailedInvocations', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.failureQueue.queue.arn },
      // X-Ray has no resource-level permissions for sending traces.
      { Sid: 'SendTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Sid: 'EncryptFailedInvocations',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        // The failure queue has a key of its own (created without sqsManagedEncryption).
        Resource: this.failureQueue.key!.key.arn,
        Condition: viaService('sqs'),
      },
      ...(props.stateTable
        ? [
            {
              // The calls of functions/detector/mass-download/dynamodb-windows.ts, on this table only. A transaction
              // needs the permission of each action inside it (PutItem, UpdateItem), and no TransactWriteItems action
              // exists: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
              // Never DeleteItem, Scan or table changes: the function adds to its state, it never erases it.
              Sid: 'KeepWindowState',
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
              Resource: props.stateTable.arn,
            } satisfies PolicyStatement,
          ]
        : []),
      /*
       * The response role of any account of the organization, by organization rather than by a list of role ARNs:
       * 70 characters an account would pass the 10,240 characters of a role's inline policies at about 140 accounts.
       * aws:ResourceOrgID is the organization of the account that owns the role being assumed; STS sets it on
       * AssumeRole (the resource perimeter applies to STS with no exception):
       * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
       * https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/service_specific_guidance/sts-specific-guidance.md
       * Each response role trusts only this function's role (ResponseRole), so a role of that name elsewhere in the
       * organization, which only that account's administrators could create, lets the function act in that account alone.
       */
      ...(responseRoles
        ? [
            {
              Sid: 'AssumeResponseRoles',
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: `arn:aws:iam::*:role/${responseRoles.roleName}`,
              // Only the detector's code, not another function given this role: Lambda puts the calling function's
              // ARN into its execution role's credentials, and identity policies may test it (not trust policies):
              // https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
              Condition: {
                ArnEquals: { 'lambda:SourceFunctionArn': functionArn },
                StringEquals: { 'aws:ResourceOrgID': responseRoles.organizationId },
              },
            } satisfies PolicyStatement,
            // Never into the organization's root of trust or the logs' guardians, whatever role is created there.
            {
              Sid: 'NoResponseInExceptedAccounts',
              Effect: 'Deny',
              Action: 'sts:AssumeRole',
              Resource: [...new Set(responseRoles.exceptAccountIds)].sort().map((account) => `arn:aws:iam::${account}:role/*`),
            } satisfies PolicyStatement,
          ]
        : []),
    ];
    const policy = new IamRolePolicy(this, 'Policy', {
      name: 'detector',
      role: this.role.name,
      policy: policyJson(statements),
    });

    const zipPackage = buildDetectorPackage(props.settings);
    const asset = new TerraformAsset(this, 'Package', {
      path: packageFile(zipPackage.zip, `${functionName}.zip`),
      type: AssetType.FILE,
      // The content decides the asset's directory, never the place or time it was built.
      assetHash: createHash('sha256').update(zipPackage.zip).digest('hex'),
    });

    this.function = new LambdaFunction(this, 'Function', {
      functionName,
      description: 'Flags reads of sensitive keys in monitored S3 buckets, leaked instance credentials, bucket enumeration and VPC endpoint access',
      filename: asset.path,
      sourceCodeHash: zipPackage.sourceCodeHash,
      handler: zipPackage.handler,
      runtime: zipPackage.runtime,
      architectures: ['arm64'],
      memorySize: 256,
      timeout: 30,
      role: this.role.arn,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        variables: {
          FINDINGS_TOPIC_ARN: topicArn,
          ...(props.stateTable ? { STATE_TABLE_NAME: props.stateTable.name } : {}),
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroupName },
      // Each invocation's timing and its SNS, IAM and STS calls, for when a finding arrives late or not at all.
      tracingConfig: { mode: 'Active' },
      region,
      // The group exists, encrypted and retained, before the function could create a plain one; the role can write.
      dependsOn: [this.logGroup.logGroup, policy],
    });

    new LambdaFunctionEventInvokeConfig(this, 'AsyncInvocation', {
      functionName: this.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 21600,
      destinationConfig: { onFailure: { destination: this.failureQueue.queue.arn } },
      region,
    });

    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: props.ruleName,
      description: 'Invokes the S3 access detector for every forwarded CloudTrail event',
      eventBusName: props.eventBus.name,
      // Only AWS events ("aws." sources are reserved to AWS services) of the owning accounts, delivered in the account
      // CloudTrail wrote them for; the function checks the pairing and the source against the record again.
      eventPattern: JSON.stringify(detectorRulePattern(props.sourceAccountIds, props.networkActivity ?? false)),
      // Forwarded read-only management calls (ListBuckets) are matched only in this state.
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      region,
      dependsOn: [props.eventBus.resource],
    });

    this.ruleDeadLetterQueue = new DeadLetterQueue(this, 'UndeliveredEvents', {
      name: `${props.ruleName}-undelivered`,
      accountId,
      region,
      senders: [{ service: 'events.amazonaws.com', sourceArnLike: ruleArn, label: 'DetectorRule' }],
    });

    new LambdaPermission(this, 'InvokedByRule', {
      statementId: 'DetectorRuleInvokes',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
      sourceAccount: accountId,
      region,
    });

    new DetectorAlarms(this, 'Alarms', { functionName, region, topicArn: this.topic.topic.arn });

    new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      eventBusName: props.eventBus.name,
      targetId: 'detector',
      arn: this.function.arn,
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: this.ruleDeadLetterQueue.queue.arn },
      region,
    });
  }
}
