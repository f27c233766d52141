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
import type { DetectorSettings } from '../../functions/detector/settings';
import { DeadLetterQueue } from '../common/dead-letter-queue';
import { EncryptedLogGroup } from '../common/encrypted-log-group';
import { NotificationTopic } from '../common/notification-topic';
import { type PolicyStatement, policyJson } from '../common/policy-document';
import { DetectorAlarms } from './detector-alarms';
import { buildDetectorPackage, packageFile } from './package';

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
  /** What the function is told at run time; packaged into the deployment zip. */
  readonly settings: DetectorSettings;
  /** Concurrent executions kept for the function, and its ceiling. */
  readonly reservedConcurrency: number;
  /** People and systems that receive the findings. */
  readonly subscribers: BaselineConfig['notifications'];
  /**
   * Roles, one per account, the function may assume to revoke a flagged role's sessions. Empty unless the response
   * mode acts. @default - none
   */
  readonly responseRoleArns?: readonly string[];
  /** The stateful rules' table (mass download), which the function reads and writes. @default - none */
  readonly stateTable?: { readonly name: string; readonly arn: string };
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
    const responseRoleArns = [...(props.responseRoleArns ?? [])].sort();
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
        Resource: this.failureQueue.key.key.arn,
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
      ...(responseRoleArns.length > 0
        ? [
            {
              Sid: 'AssumeResponseRoles',
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: responseRoleArns,
              // Only the detector's code, not another function given this role: Lambda puts the calling function's
              // ARN into its execution role's credentials, and identity policies may test it (not trust policies):
              // https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
              Condition: { ArnEquals: { 'lambda:SourceFunctionArn': functionArn } },
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
      description: 'Flags reads of sensitive keys in monitored S3 buckets, leaked instance credentials and bucket enumeration',
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
      eventPattern: JSON.stringify({
        source: [{ prefix: 'aws.' }],
        account: [...props.sourceAccountIds].sort(),
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { recipientAccountId: [...props.sourceAccountIds].sort() },
      }),
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
