import type { PolicyRule } from '../rule';

/** A name attribute AWS limits in length, with the page that says so. */
interface NameLimit {
  readonly attribute: string;
  readonly max: number;
  readonly source: string;
}

/**
 * The name lengths AWS refuses beyond (S3 bucket names have a rule of their own, Limits.S3BucketName). Where a resource
 * type takes a name prefix, the provider appends 26 characters to it.
 */
export const NAME_LIMITS: Readonly<Record<string, readonly NameLimit[]>> = {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (role name 64, policy name 128)
  aws_iam_role: [{ attribute: 'name', max: 64, source: 'IAM quotas' }, { attribute: 'name_prefix', max: 38, source: 'IAM quotas (64 less the 26 added)' }],
  aws_iam_policy: [{ attribute: 'name', max: 128, source: 'IAM quotas' }],
  aws_iam_role_policy: [{ attribute: 'name', max: 128, source: 'IAM quotas' }],
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName: a name of up to 64 characters)
  aws_lambda_function: [{ attribute: 'function_name', max: 64, source: 'Lambda CreateFunction' }],
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (up to 80 characters)
  aws_sqs_queue: [{ attribute: 'name', max: 80, source: 'SQS CreateQueue' }],
  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (up to 256 characters)
  aws_sns_topic: [{ attribute: 'name', max: 256, source: 'SNS CreateTopic' }],
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (Name: 1-64)
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html (Id: 1-64)
  aws_cloudwatch_event_rule: [{ attribute: 'name', max: 64, source: 'EventBridge PutRule' }],
  aws_cloudwatch_event_target: [{ attribute: 'target_id', max: 64, source: 'EventBridge Target' }],
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html (Name: 1-256)
  aws_cloudwatch_event_bus: [{ attribute: 'name', max: 256, source: 'EventBridge CreateEventBus' }],
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html (StatementId: 1-64)
  aws_cloudwatch_event_permission: [{ attribute: 'statement_id', max: 64, source: 'EventBridge PutPermission' }],
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName: 1-256)
  aws_kms_alias: [{ attribute: 'name', max: 256, source: 'KMS CreateAlias' }],
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName: 1-255)
  aws_cloudwatch_metric_alarm: [{ attribute: 'alarm_name', max: 255, source: 'CloudWatch PutMetricAlarm' }],
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (1-512)
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html (filterName 1-512)
  aws_cloudwatch_log_group: [{ attribute: 'name', max: 512, source: 'CloudWatch Logs CreateLogGroup' }],
  aws_cloudwatch_log_metric_filter: [{ attribute: 'name', max: 512, source: 'CloudWatch Logs PutMetricFilter' }],
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Name: 3-128)
  aws_cloudtrail: [{ attribute: 'name', max: 128, source: 'CloudTrail CreateTrail' }],
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName: 1-128)
  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html (name: 1-256)
  aws_config_config_rule: [{ attribute: 'name', max: 128, source: 'Config ConfigRule' }],
  aws_config_configuration_recorder: [{ attribute: 'name', max: 256, source: 'Config ConfigurationRecorder' }],
  aws_config_delivery_channel: [{ attribute: 'name', max: 256, source: 'Config DeliveryChannel' }],
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html (Name: 1-128, Description: 0-512)
  aws_organizations_policy: [
    { attribute: 'name', max: 128, source: 'Organizations CreatePolicy' },
    { attribute: 'description', max: 512, source: 'Organizations CreatePolicy' },
  ],
  // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CreateAnalyzer.html (analyzerName: 1-255)
  aws_accessanalyzer_analyzer: [{ attribute: 'analyzer_name', max: 255, source: 'Access Analyzer CreateAnalyzer' }],
  // https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateConfigurationPolicy.html (Name: up to 128)
  aws_securityhub_configuration_policy: [{ attribute: 'name', max: 128, source: 'Security Hub CreateConfigurationPolicy' }],
};

/** Every name the baseline gives a resource fits the length AWS accepts for it. */
const ResourceNameLength: PolicyRule = {
  id: 'Limits.ResourceName',
  description: 'Every resource name (IAM role 64, Lambda function 64, SQS queue 80, EventBridge rule 64, ...) is within the length AWS accepts.',
  rationale: 'AWS refuses a name that is too long at apply, after part of the stack may already exist; the synth catches it first.',
  fix: 'Shorten the configuration value the name is built from (prefix, account name), or the name in code.',
  appliesTo: Object.keys(NAME_LIMITS),
  evaluate(resource) {
    return (NAME_LIMITS[resource.type] ?? []).flatMap(({ attribute, max, source }) => {
      const value = resource.config[attribute];
      if (typeof value !== 'string' || value.includes('${')) return [];
      return value.length > max ? [`${attribute} "${value}" is ${value.length} characters; ${source} accepts at most ${max}`] : [];
    });
  },
};

export default ResourceNameLength;
