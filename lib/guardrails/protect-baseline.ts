import { BASELINE_MANAGED_BY } from '../../config/tags';
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
 * The calls that delete, rewrite or silence one AWS Config rule, or change its tags. A rule's ARN carries its generated
 * id, not its name, so the baseline's rules are told apart by the ManagedBy tag every baseline resource carries: the
 * ConfigRule resource type takes aws:ResourceTag in DeleteConfigRule, PutConfigRule (an update of an existing rule),
 * DeleteEvaluationResults, TagResource and UntagResource, per the service authorization reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html
 * Creating other rules stays allowed (a new rule has no tag yet), and so does tagging any other rule.
 */
export const PROTECTED_CONFIG_RULE_CHANGES = [
  'config:DeleteConfigRule',
  'config:DeleteEvaluationResults',
  'config:PutConfigRule',
  'config:TagResource',
  'config:UntagResource',
] as const;

/**
 * The calls that would blind what a baseline KMS key protects: disabling it, deleting it, rewriting its key policy,
 * stopping its rotation, or changing the tags by which this guardrail knows it. KMS authorizes these calls on the key
 * and takes aws:ResourceTag on them (attribute-based access control for AWS KMS):
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html and
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * Every baseline key carries the ManagedBy tag (the stacks' default tags); the log archive's key also denies these
 * calls in its own key policy.
 */
export const PROTECTED_KEY_CHANGES = [
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
] as const;

/**
 * The calls that would point a baseline key alias elsewhere: the stacks find the log archive's key by its alias
 * (`alias/<prefix>-logs`), so an alias moved to another key would have the next deploy encrypt the organization's
 * logs with a key its mover controls; a deleted or squatted alias would stop or misdirect the deploy. KMS authorizes
 * each of these calls on the alias as well as on the keys it touches ("Controlling access to aliases":
 * https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html), so a deny on the alias ARN holds whatever
 * key is named. Aliases carry no tags, hence the name pattern: every baseline alias is named `<prefix>-...`.
 */
export const PROTECTED_ALIAS_CHANGES = ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'] as const;

/**
 * The changes that would let a member account's admin take over a role the guardrails trust: rewriting its trust
 * policy, giving it policies, deleting it, or creating it where it does not exist yet (an invited account). Reading
 * it stays allowed. Action names from the IAM service authorization reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * (DeleteRole* covers DeleteRole, DeleteRolePolicy, DeleteRolePermissionsBoundary; PutRole* covers PutRolePolicy and
 * PutRolePermissionsBoundary; UpdateRole* covers UpdateRole and UpdateRoleDescription.)
 */
export const PROTECTED_ROLE_CHANGES = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole*',
  'iam:DetachRolePolicy',
  'iam:PutRole*',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole*',
] as const;

/**
 * Keeps the baseline on: nobody but the deployment role may stop, delete or change the trail, the Config recorder,
 * delivery channel and rules, the baseline's KMS keys, flow logs, GuardDuty, Security Hub, Access Analyzer, the account public-access block, EBS
 * default encryption or the instance metadata defaults. One statement per part, so a denial names what it protects.
 */
export function protectBaseline(
  name: string,
  deploymentRoleArnPatterns: readonly string[],
  /** The name every baseline KMS alias starts with, without `alias/`: `<prefix>-`. */
  aliasNamePrefix: string,
  /** Other roles only the deployment role may change (the log archive's break-glass role). */
  otherProtectedRoleArns: readonly string[] = [],
): GuardrailPolicy {
  const exempt = { ArnNotLike: { 'aws:PrincipalArn': principalArns(deploymentRoleArnPatterns) } };
  return {
    id: 'ProtectBaseline',
    name,
    description:
      'Denies stopping, deleting or changing CloudTrail, Config, flow logs, GuardDuty, Security Hub, Access Analyzer, ' +
      'S3 account public access block, EBS default encryption, IMDS defaults, the baseline Config rules, KMS keys and key aliases and the deployment and break-glass roles, except by the deployment role.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      ...Object.entries(BASELINE_PROTECTED_ACTIONS).map(
        ([part, actions]): PolicyStatement => ({
          Sid: `Protect${part}`,
          Effect: 'Deny',
          Action: actions,
          Resource: '*',
          Condition: exempt,
        }),
      ),
      {
        Sid: 'ProtectBaselineConfigRules',
        Effect: 'Deny',
        Action: PROTECTED_CONFIG_RULE_CHANGES,
        Resource: '*',
        Condition: { ...exempt, StringEquals: { 'aws:ResourceTag/ManagedBy': BASELINE_MANAGED_BY } },
      },
      {
        Sid: 'ProtectBaselineKeys',
        Effect: 'Deny',
        Action: PROTECTED_KEY_CHANGES,
        Resource: '*',
        Condition: { ...exempt, StringEquals: { 'aws:ResourceTag/ManagedBy': BASELINE_MANAGED_BY } },
      },
      {
        Sid: 'ProtectBaselineKeyAliases',
        Effect: 'Deny',
        Action: PROTECTED_ALIAS_CHANGES,
        Resource: `arn:aws:kms:*:*:alias/${aliasNamePrefix}*`,
        Condition: exempt,
      },
      // The exemption above is only as strong as the roles it names: only the deployment role itself (the
      // organization's automation) may create or change them, so no member admin can become it. AWS's example of an
      // SCP that protects a role the same way: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
      {
        Sid: 'ProtectBaselineRoles',
        Effect: 'Deny',
        Action: PROTECTED_ROLE_CHANGES,
        Resource: [...deploymentRoleArnPatterns, ...[...otherProtectedRoleArns].sort()],
        Condition: exempt,
      },
    ]),
  };
}
