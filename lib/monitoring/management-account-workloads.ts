import { MAX_FILTER_PATTERN_LENGTH } from './cis-filters';

/*
 * The organization's management account is for account management only: workloads there escape every SCP (SCPs never
 * apply to the management account) and run next to the keys of the whole organization. These are the API calls that
 * start, restart or scale up a workload, restore a data store, or mint a long-lived credential, by the CloudTrail
 * `eventSource` that logs them, in one place: the metric filters below, the tests and the documentation all read it.
 *
 * Event names are CloudTrail's, which can differ from the API name: Lambda logs its control-plane calls with the API
 * version appended (`CreateFunction20150331`, `UpdateFunctionCode20150331v2`), hence the trailing wildcards (which
 * also match `CreateFunctionUrlConfig…`: a function made public is a workload change too).
 * https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
 */
export const WATCHED_WORKLOAD_CALLS: Readonly<Record<string, readonly string[]>> = {
  // Compute, new or restarted: starting stopped capacity or scaling it up counts as much as creating it.
  'ec2.amazonaws.com': ['RunInstances', 'StartInstances', 'RequestSpotInstances', 'RequestSpotFleet', 'CreateFleet', 'ModifyFleet', 'ModifySpotFleetRequest'],
  'autoscaling.amazonaws.com': ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'SetDesiredCapacity'],
  'lambda.amazonaws.com': ['CreateFunction*', 'UpdateFunctionCode*'],
  'ecs.amazonaws.com': ['CreateCluster', 'CreateService', 'UpdateService', 'RunTask', 'StartTask'],
  'eks.amazonaws.com': ['CreateCluster', 'CreateNodegroup', 'UpdateNodegroupConfig', 'CreateFargateProfile'],
  'batch.amazonaws.com': ['CreateComputeEnvironment', 'SubmitJob'],
  'lightsail.amazonaws.com': ['CreateInstances', 'CreateInstancesFromSnapshot', 'CreateContainerService'],
  'sagemaker.amazonaws.com': [
    'CreateNotebookInstance',
    'StartNotebookInstance',
    'CreateTrainingJob',
    'CreateProcessingJob',
    'CreateTransformJob',
    'CreateHyperParameterTuningJob',
    'CreateEndpoint',
    'CreateApp',
  ],
  'elasticmapreduce.amazonaws.com': ['RunJobFlow'],
  'emr-serverless.amazonaws.com': ['StartJobRun'],
  'codebuild.amazonaws.com': ['CreateProject', 'StartBuild'],
  'glue.amazonaws.com': ['CreateJob', 'StartJobRun'],
  'apprunner.amazonaws.com': ['CreateService'],
  // Data stores, new or restored from a backup.
  'rds.amazonaws.com': ['CreateDBInstance', 'CreateDBCluster', 'CreateDBInstanceReadReplica', 'RestoreDB*'],
  'dynamodb.amazonaws.com': ['CreateTable', 'RestoreTable*', 'ImportTable'],
  'redshift.amazonaws.com': ['CreateCluster', 'RestoreFromClusterSnapshot'],
  'elasticache.amazonaws.com': ['CreateCacheCluster', 'CreateReplicationGroup', 'CreateServerlessCache'],
  's3.amazonaws.com': ['CreateBucket'],
  // Directory buckets log their creation under their own event source.
  's3express.amazonaws.com': ['CreateBucket'],
  // Long-lived credentials: new users and keys, a key turned back on, console passwords, service credentials.
  'iam.amazonaws.com': ['CreateUser', 'CreateAccessKey', 'UpdateAccessKey', 'CreateLoginProfile', 'CreateServiceSpecificCredential', 'UploadSSHPublicKey'],
};

/**
 * The Terraform resource types whose creation makes one of the watched calls. The baseline itself must never create
 * one in the management account (a test holds every stack deployed there to it), so its own deploys never alert and
 * the alarm needs no exemption that an attacker holding the deployment role could hide behind.
 */
export const WORKLOAD_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_instance: 'ec2.amazonaws.com RunInstances',
  aws_spot_instance_request: 'ec2.amazonaws.com RequestSpotInstances',
  aws_spot_fleet_request: 'ec2.amazonaws.com RequestSpotFleet',
  aws_ec2_fleet: 'ec2.amazonaws.com CreateFleet',
  aws_lambda_function: 'lambda.amazonaws.com CreateFunction*',
  aws_ecs_cluster: 'ecs.amazonaws.com CreateCluster',
  aws_ecs_service: 'ecs.amazonaws.com CreateService',
  aws_eks_cluster: 'eks.amazonaws.com CreateCluster',
  aws_eks_node_group: 'eks.amazonaws.com CreateNodegroup',
  aws_batch_compute_environment: 'batch.amazonaws.com CreateComputeEnvironment',
  aws_autoscaling_group: 'autoscaling.amazonaws.com CreateAutoScalingGroup',
  aws_lightsail_instance: 'lightsail.amazonaws.com CreateInstances',
  aws_sagemaker_notebook_instance: 'sagemaker.amazonaws.com CreateNotebookInstance',
  aws_sagemaker_endpoint: 'sagemaker.amazonaws.com CreateEndpoint',
  aws_emr_cluster: 'elasticmapreduce.amazonaws.com RunJobFlow',
  aws_db_instance: 'rds.amazonaws.com CreateDBInstance',
  aws_rds_cluster: 'rds.amazonaws.com CreateDBCluster',
  aws_dynamodb_table: 'dynamodb.amazonaws.com CreateTable',
  aws_redshift_cluster: 'redshift.amazonaws.com CreateCluster',
  aws_elasticache_cluster: 'elasticache.amazonaws.com CreateCacheCluster',
  aws_elasticache_replication_group: 'elasticache.amazonaws.com CreateReplicationGroup',
  aws_s3_bucket: 's3.amazonaws.com CreateBucket',
  aws_iam_access_key: 'iam.amazonaws.com CreateAccessKey',
  aws_iam_user: 'iam.amazonaws.com CreateUser',
  aws_iam_user_login_profile: 'iam.amazonaws.com CreateLoginProfile',
  aws_iam_service_specific_credential: 'iam.amazonaws.com CreateServiceSpecificCredential',
  aws_codebuild_project: 'codebuild.amazonaws.com CreateProject',
  aws_glue_job: 'glue.amazonaws.com CreateJob',
  aws_apprunner_service: 'apprunner.amazonaws.com CreateService',
  aws_lightsail_container_service: 'lightsail.amazonaws.com CreateContainerService',
  aws_elasticache_serverless_cache: 'elasticache.amazonaws.com CreateServerlessCache',
  aws_eks_fargate_profile: 'eks.amazonaws.com CreateFargateProfile',
  aws_sagemaker_app: 'sagemaker.amazonaws.com CreateApp',
  aws_s3_directory_bucket: 's3express.amazonaws.com CreateBucket',
};

/** A tuning exclusion, as for the CIS alarms: events whose field has this value are left out. */
export interface WorkloadAlarmExclusion {
  readonly selector: string;
  readonly value: string;
}

const quoted = (value: string) => `"${value}"`;

function serviceClause(eventSource: string, eventNames: readonly string[]): string {
  const names = eventNames.map((name) => `($.eventName = ${quoted(name)})`).join(' || ');
  return `(($.eventSource = ${quoted(eventSource)}) && (${names}))`;
}

/**
 * The metric filter patterns that match a successful watched call in the management account: the services are packed,
 * in table order, into as few patterns as fit CloudWatch Logs' limit on a pattern's length. Each pattern counts into the
 * same metric. The organization trail's log group holds every account's events, so the recipient account is part of
 * every pattern; failed calls are left to the CIS unauthorized-calls alarm.
 */
export function managementWorkloadPatterns(managementAccountId: string, exclusions: readonly WorkloadAlarmExclusion[] = []): string[] {
  const conditions = [
    `($.recipientAccountId = ${quoted(managementAccountId)})`,
    '($.errorCode NOT EXISTS)',
    ...exclusions.map(({ selector, value }) => `((${selector} != ${quoted(value)}) || (${selector} NOT EXISTS))`),
  ].join(' && ');
  const wrap = (clauses: readonly string[]) => `{ ${conditions} && (${clauses.join(' || ')}) }`;

  const patterns: string[] = [];
  let current: string[] = [];
  for (const [eventSource, eventNames] of Object.entries(WATCHED_WORKLOAD_CALLS)) {
    const clause = serviceClause(eventSource, eventNames);
    if (wrap([clause]).length > MAX_FILTER_PATTERN_LENGTH) {
      throw new Error(
        `monitoring.managementAccountWorkloads.exclude: the filter pattern for ${eventSource} would be ${wrap([clause]).length} characters; CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}`,
      );
    }
    if (current.length > 0 && wrap([...current, clause]).length > MAX_FILTER_PATTERN_LENGTH) {
      patterns.push(wrap(current));
      current = [];
    }
    current.push(clause);
  }
  if (current.length > 0) patterns.push(wrap(current));
  return patterns;
}
