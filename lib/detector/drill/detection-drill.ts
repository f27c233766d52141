import { createHash } from 'node:crypto';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../../config/schema';
import { EncryptedLogGroup } from '../../common/encrypted-log-group';
import { type PolicyStatement, policyJson } from '../../common/policy-document';
import type { OrganizationAccount } from '../../naming';
import { acknowledgeRule } from '../../rules/acknowledgement';
import { DETECTOR_LOG_RETENTION_DAYS } from '../detector-function';
import { type DrillTarget, drillNames, drillTargets } from './drill-plan';
import { buildRunnerPackage } from './runner-package';
import { packageFile } from '../package';

/** What the canary object says to whoever finds it. */
export const CANARY_CONTENT =
  'Canary object of the S3 access detector\'s detection drill. It holds no data. The drill role reads it on a schedule to prove that reads of this bucket reach the detector; a read by anyone else is reported like any other sensitive read.\n';

export interface DetectionDrillProps {
  readonly config: BaselineConfig;
  /** The account this stack deploys into; the drill runs only where it owns monitored buckets. */
  readonly account: OrganizationAccount;
}

/** EventBridge Scheduler's rate expression: `rate(1 hour)`, `rate(24 hours)`. */
export function drillScheduleExpression(intervalHours: number): string {
  return `rate(${intervalHours} ${intervalHours === 1 ? 'hour' : 'hours'})`;
}

/**
 * The detection drill in one account: for each monitored bucket it owns, a canary object whose key the detector calls
 * sensitive; a drill role that may only read those objects and is in no allow-list; and in each region a runner
 * function that EventBridge Scheduler invokes every `detector.drill.intervalHours` to read them as the drill role.
 *
 * Why a function and not a Scheduler universal target calling s3:GetObject: Scheduler does not support read-only
 * actions (those beginning with "get", "list", ...) as universal targets
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html), and a call made by a
 * service for the role would be recorded with the service as its source, which the detector judges differently from
 * a client's read. The runner calls S3 as a client, from its address, as a role session: the path of a harvest.
 */
export class DetectionDrill extends Construct {
  readonly targets: readonly DrillTarget[];
  readonly drillRole?: IamRole;
  readonly runnerRole?: IamRole;
  readonly schedulerRole?: IamRole;
  readonly canaries: S3Object[] = [];
  readonly runners: LambdaFunction[] = [];
  readonly schedules: SchedulerSchedule[] = [];

  constructor(scope: Construct, id: string, props: DetectionDrillProps) {
    super(scope, id);
    const { config, account } = props;
    this.targets = drillTargets(config).filter((target) => target.accountId === account.id);
    if (this.targets.length === 0) return;
    const names = drillNames(config);
    const accountId = account.id;
    const regions = [...new Set(this.targets.map((target) => target.region))].sort();
    const runnerArn = (region: string) => `arn:aws:lambda:${region}:${accountId}:function:${names.runnerName}`;
    const runnerLogGroup = `/aws/lambda/${names.runnerName}`;

    for (const target of this.targets) {
      // Written with the bucket's default encryption, so a bucket policy that requires it still accepts the canary.
      this.canaries.push(
        new S3Object(this, `Canary-${target.bucket}`, {
          bucket: target.bucket,
          key: target.key,
          content: CANARY_CONTENT,
          contentType: 'text/plain; charset=utf-8',
          region: target.region,
        }),
      );
    }

    // The runner's own role: it may assume the drill role, write its logs and send traces, nothing else.
    this.runnerRole = new IamRole(this, 'RunnerRole', {
      name: names.runnerName,
      description: 'Runs the S3 access detector drill: assumes the drill role to read the canary objects',
      assumeRolePolicy: policyJson([
        {
          Sid: 'LambdaRunsTheDrill',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // As the detector's role: Lambda documents no aws:SourceArn for execution roles; functions of this account only.
          // https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });

    // The drill role: trusted by the runner's role only; it may read the canary objects of this account and nothing else.
    // A role ARN as principal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
    this.drillRole = new IamRole(this, 'DrillRole', {
      name: names.roleName,
      description: 'The S3 access detector drill reads the canary objects as this role; it is in no allow-list on purpose',
      maxSessionDuration: 3600,
      assumeRolePolicy: policyJson([
        { Sid: 'DrillRunnerOnly', Effect: 'Allow', Principal: { AWS: this.runnerRole.arn }, Action: 'sts:AssumeRole' },
      ]),
    });
    const drillStatements: PolicyStatement[] = [
      {
        // s3:GetObject on the object resource type, one exact ARN per canary (no wildcard: the keys hold none):
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
        Sid: 'ReadCanaryObjectsOnly',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: this.targets.map((target) => `arn:aws:s3:::${target.bucket}/${target.key}`),
      },
    ];
    for (const region of regions) {
      const keys = [...new Set(this.targets.filter((target) => target.region === region && target.kmsKeyArn).map((target) => target.kmsKeyArn!))].sort();
      if (keys.length === 0) continue;
      drillStatements.push({
        // Reading an SSE-KMS object needs kms:Decrypt on its key
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html); only through S3 in the
        // bucket's region (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
        Sid: `DecryptCanaryObjectsThroughS3${region.replace(/-/g, '')}`,
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keys,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      });
    }
    new IamRolePolicy(this, 'DrillPolicy', { name: 'read-canary-objects', role: this.drillRole.name, policy: policyJson(drillStatements) });

    const runnerPolicy = new IamRolePolicy(this, 'RunnerPolicy', {
      name: 'drill-runner',
      role: this.runnerRole.name,
      policy: policyJson([
        { Sid: 'AssumeDrillRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: names.roleArn(accountId) },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: regions.map((region) => `arn:aws:logs:${region}:${accountId}:log-group:${runnerLogGroup}:log-stream:*`),
        },
        // X-Ray has no resource-level permissions for sending traces.
        { Sid: 'SendTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ]),
    });

    // EventBridge Scheduler invokes the runner with this role (no resource policy on the function is needed); the
    // trust is limited to schedules of this account:
    // https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
    this.schedulerRole = new IamRole(this, 'SchedulerRole', {
      name: names.schedulerRoleName,
      description: 'EventBridge Scheduler invokes the S3 access detector drill runner',
      assumeRolePolicy: policyJson([
        {
          Sid: 'SchedulerInvokesTheDrill',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, 'SchedulerPolicy', {
      name: 'invoke-drill-runner',
      role: this.schedulerRole.name,
      policy: policyJson([{ Sid: 'InvokeDrillRunner', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: regions.map(runnerArn) }]),
    });

    const zipPackage = buildRunnerPackage();
    const asset = new TerraformAsset(this, 'Package', {
      path: packageFile(zipPackage.zip, `${names.runnerName}.zip`),
      type: AssetType.FILE,
      assetHash: createHash('sha256').update(zipPackage.zip).digest('hex'),
    });

    for (const region of regions) {
      const logs = new EncryptedLogGroup(this, `Logs-${region}`, {
        name: runnerLogGroup,
        retentionInDays: DETECTOR_LOG_RETENTION_DAYS,
        accountId,
        region,
        keyAlias: `${names.runnerName}-logs`,
      });
      const canaries = this.targets.filter((target) => target.region === region).map(({ bucket, key }) => ({ bucket, key }));
      const runner = new LambdaFunction(this, `Runner-${region}`, {
        functionName: names.runnerName,
        description: 'Detection drill: reads the canary objects of monitored buckets as the drill role, so the S3 access detector proves its chain',
        filename: asset.path,
        sourceCodeHash: zipPackage.sourceCodeHash,
        handler: zipPackage.handler,
        runtime: zipPackage.runtime,
        architectures: ['arm64'],
        memorySize: 128,
        timeout: 30,
        role: this.runnerRole.arn,
        environment: { variables: { DRILL_ROLE_ARN: names.roleArn(accountId), DRILL_CANARIES: JSON.stringify(canaries) } },
        loggingConfig: { logFormat: 'JSON', logGroup: runnerLogGroup },
        tracingConfig: { mode: 'Active' },
        region,
        dependsOn: [logs.logGroup, runnerPolicy],
      });
      acknowledgeRule(runner, {
        ruleId: 'Lambda.ReservedConcurrency',
        reason:
          'invoked once per drill interval by its schedule; a reservation would take from the unreserved concurrency of a workload account, and Lambda refuses one that leaves fewer than 100',
      });
      acknowledgeRule(runner, {
        ruleId: 'Lambda.FailureDestination',
        reason:
          'its input is empty, so a failed run loses nothing; Scheduler and Lambda retry it, and a drill that fails raises the heartbeat alarm in the security account',
      });
      this.runners.push(runner);

      this.schedules.push(
        new SchedulerSchedule(this, `Schedule-${region}`, {
          name: names.scheduleName,
          description: 'Runs the S3 access detector drill',
          scheduleExpression: drillScheduleExpression(config.detector.drill.intervalHours),
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: runner.arn,
            roleArn: this.schedulerRole.arn,
            input: '{}',
            // A run that cannot start within the hour is skipped: the next one is due anyway, and the alarm allows for it.
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
          },
          region,
        }),
      );
    }
  }
}
