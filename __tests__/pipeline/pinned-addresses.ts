/**
 * Terraform addresses of the resources that hold state or data, pinned: if one changes, Terraform plans a destroy
 * and a create. Reorganizing constructs must keep these (keep the construct ids on the path, or move the state with
 * a `moved` block: cdktf's `resource.moveFromId(...)`). Add a line when a stack gains such a resource.
 */
export const PINNED_ADDRESSES: Readonly<Record<string, readonly string[]>> = {
  'log-archive': [
    'aws_s3_bucket.LogBucket_23D99BB3',
    'aws_s3_bucket.AccessLogBucket_4CE3630F',
    'aws_kms_key.LogKey_852BF404',
    'aws_s3_bucket_policy.LogBucket_Policy_613C576F',
  ],
  management: [
    'aws_cloudtrail.OrganizationTrail_32B0521E',
    'aws_cloudwatch_log_group.OrganizationTrail_LogGroup_9F24CF91',
    'aws_kms_key.OrganizationTrail_LogGroup_Key_1FF09707',
    'aws_sns_topic.CisAlarms_Topic_C5097CF3',
    'aws_kms_key.CisAlarms_Topic_Key_C16A2D1A',
    'aws_organizations_policy.Guardrails_ServiceControlPolicy_D76ED58B',
  ],
  security: [
    'aws_guardduty_detector.SecurityServices_GuardDuty_Detector-eu-west-1_9F90B14F',
    'aws_securityhub_organization_configuration.SecurityServices_SecurityHub_Organization_E12DE361',
    'aws_config_configuration_aggregator.SecurityServices_ConfigAggregator_F334B065',
    'aws_accessanalyzer_analyzer.SecurityServices_AccessAnalyzer_eu-west-1_BE57550D',
    'aws_sns_topic.FindingsRouting_Topic_A25104C4',
    'aws_cloudwatch_event_bus.S3AccessDetector_Bus_741D15C3',
    'aws_lambda_function.S3AccessDetector_Function_80776672',
  ],
  'account-workload-prod': [
    'aws_iam_account_password_policy.PasswordPolicy_DB60E863',
    'aws_s3_account_public_access_block.S3PublicAccessBlock_58A2E94E',
    'aws_config_configuration_recorder.Region-eu-west-1_Config_Recorder_5FE739AA',
    'aws_flow_log.Region-eu-west-1_FlowLogs_FlowLog_E87F75B5',
    'aws_iam_role.SupportRole_E9D7AAF7',
  ],
};
