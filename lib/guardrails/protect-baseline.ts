import { type PolicyStatement, policyDocument } from '../common/policy-document';
import { type GuardrailPolicy, principalArns } from './guardrail-policy';

/** The calls that stop, delete or weaken a part of the baseline, by the part they touch. */
export const BASELINE_PROTECTED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  CloudTrail: [
    'cloudtrail:DeleteTrail',
    'cloudtrail:StopLogging',
    'cloudtrail:UpdateTrail',
    'cloudtrail:PutEventSelectors',
    'cloudtrail:PutInsightSelectors',
  ],
  Config: [
    'config:DeleteConfigurationRecorder',
    'config:StopConfigurationRecorder',
    'config:PutConfigurationRecorder',
    'config:DeleteDeliveryChannel',
    'config:PutDeliveryChannel',
  ],
  FlowLogs: ['ec2:DeleteFlowLogs'],
  GuardDuty: [
    'guardduty:DeleteDetector',
    'guardduty:UpdateDetector',
    'guardduty:UpdateMemberDetectors',
    'guardduty:UpdateOrganizationConfiguration',
    'guardduty:Disassociate*',
    'guardduty:DeleteMembers',
    'guardduty:StopMonitoringMembers',
    'guardduty:DeletePublishingDestination',
  ],
  SecurityHub: [
    'securityhub:DisableSecurityHub',
    'securityhub:Disassociate*',
    'securityhub:DeleteMembers',
    'securityhub:BatchDisableStandards',
    'securityhub:UpdateStandardsControl',
    'securityhub:BatchUpdateStandardsControlAssociations',
    'securityhub:UpdateSecurityHubConfiguration',
    'securityhub:UpdateOrganizationConfiguration',
    'securityhub:UpdateConfigurationPolicy',
    'securityhub:DeleteConfigurationPolicy',
    'securityhub:StartConfigurationPolicyDisassociation',
    'securityhub:UpdateFindingAggregator',
    'securityhub:DeleteFindingAggregator',
  ],
  AccessAnalyzer: ['access-analyzer:DeleteAnalyzer', 'access-analyzer:UpdateAnalyzer'],
  // Deleting the account-level block is authorized as s3:PutAccountPublicAccessBlock too.
  S3AccountPublicAccessBlock: ['s3:PutAccountPublicAccessBlock'],
  EbsDefaultEncryption: ['ec2:DisableEbsEncryptionByDefault', 'ec2:ModifyEbsDefaultKmsKeyId', 'ec2:ResetEbsDefaultKmsKeyId'],
  InstanceMetadataDefaults: ['ec2:ModifyInstanceMetadataDefaults'],
};

/**
 * Keeps the baseline on: nobody but the deployment role may stop, delete or change the trail, the Config recorder
 * and delivery channel, flow logs, GuardDuty, Security Hub, Access Analyzer, the account public-access block, EBS
 * default encryption or the instance metadata defaults. One statement per part, so a denial names what it protects.
 */
export function protectBaseline(name: string, deploymentRoleArnPatterns: readonly string[]): GuardrailPolicy {
  return {
    id: 'ProtectBaseline',
    name,
    description:
      'Denies stopping, deleting or changing CloudTrail, Config, flow logs, GuardDuty, Security Hub, Access Analyzer, ' +
      'S3 account public access block, EBS default encryption and IMDS defaults, except by the deployment role.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument(
      Object.entries(BASELINE_PROTECTED_ACTIONS).map(
        ([part, actions]): PolicyStatement => ({
          Sid: `Protect${part}`,
          Effect: 'Deny',
          Action: actions,
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': principalArns(deploymentRoleArnPatterns) } },
        }),
      ),
    ),
  };
}
