import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { type ITerraformDependable, TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import type { ConfigRuleId } from '../../config/schema';

/** Where a rule runs: account-wide checks once in the home region, resource checks in every region. */
export type RuleScope = 'home-region' | 'every-region';

export interface ManagedRule {
  /** The AWS managed rule's source identifier (it differs from the rule's name for some rules). */
  readonly identifier: string;
  readonly scope: RuleScope;
  readonly parameters?: Readonly<Record<string, string | number>>;
}

/** The managed rules of the baseline, as the AWS Config developer guide lists them. */
export const MANAGED_RULES: Readonly<Record<ConfigRuleId, ManagedRule>> = {
  // IAM and CloudTrail are account-wide; periodic rules on global types evaluate in every region they are added to.
  'root-account-mfa-enabled': { identifier: 'ROOT_ACCOUNT_MFA_ENABLED', scope: 'home-region' },
  'iam-root-access-key-check': { identifier: 'IAM_ROOT_ACCESS_KEY_CHECK', scope: 'home-region' },
  'mfa-enabled-for-iam-console-access': { identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', scope: 'home-region' },
  'iam-user-unused-credentials-check': {
    identifier: 'IAM_USER_UNUSED_CREDENTIALS_CHECK',
    scope: 'home-region',
    // CIS: credentials unused for 45 days or more are disabled.
    parameters: { maxCredentialUsageAge: 45 },
  },
  // CIS v3.0.0 1.15: permissions through groups and roles, never attached to a user.
  // https://docs.aws.amazon.com/config/latest/developerguide/iam-user-no-policies-check.html
  'iam-user-no-policies-check': { identifier: 'IAM_USER_NO_POLICIES_CHECK', scope: 'home-region' },
  // CIS v3.0.0 1.16: no customer-managed policy allows "*" on "*" (inline and AWS-managed ones are not
  // evaluated by this rule). https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html
  'iam-policy-no-statements-with-admin-access': { identifier: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', scope: 'home-region' },
  // CIS v3.0.0 1.14: active access keys younger than 90 days.
  // https://docs.aws.amazon.com/config/latest/developerguide/access-keys-rotated.html
  'access-keys-rotated': { identifier: 'ACCESS_KEYS_ROTATED', scope: 'home-region', parameters: { maxAccessKeyAge: 90 } },
  // CIS v3.0.0 1.8 and 1.9: the password policy stays at the baseline's settings; the account stack passes them, so a
  // loosened policy (by console or CLI) is reported. The booleans must be lower-case "true": Config reads anything
  // else as false. https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html
  'iam-password-policy': {
    identifier: 'IAM_PASSWORD_POLICY',
    scope: 'home-region',
    parameters: { RequireUppercaseCharacters: 'true', RequireLowercaseCharacters: 'true', RequireSymbols: 'true', RequireNumbers: 'true' },
  },
  'cloudtrail-enabled': { identifier: 'CLOUD_TRAIL_ENABLED', scope: 'home-region' },
  'restricted-ssh': { identifier: 'INCOMING_SSH_DISABLED', scope: 'every-region' },
  'restricted-common-ports': {
    identifier: 'RESTRICTED_INCOMING_TRAFFIC',
    scope: 'every-region',
    // SSH, RDP, Oracle, SQL Server, MySQL: administration and database ports never open to the internet.
    parameters: { blockedPort1: 22, blockedPort2: 3389, blockedPort3: 5500, blockedPort4: 1433, blockedPort5: 3306 },
  },
  's3-bucket-public-read-prohibited': { identifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED', scope: 'every-region' },
  's3-bucket-public-write-prohibited': { identifier: 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED', scope: 'every-region' },
  's3-bucket-ssl-requests-only': { identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', scope: 'every-region' },
  'ec2-imdsv2-check': { identifier: 'EC2_IMDSV2_CHECK', scope: 'every-region' },
  'vpc-default-security-group-closed': { identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED', scope: 'every-region' },
  // CIS: no network ACL lets 0.0.0.0/0 or ::/0 reach the administration ports.
  'nacl-no-unrestricted-ssh-rdp': { identifier: 'NACL_NO_UNRESTRICTED_SSH_RDP', scope: 'every-region' },
  'vpc-flow-logs-enabled': { identifier: 'VPC_FLOW_LOGS_ENABLED', scope: 'every-region' },
  'ebs-encryption-by-default': { identifier: 'EC2_EBS_ENCRYPTION_BY_DEFAULT', scope: 'every-region' },
};

export interface ConfigRulesProps {
  /** Where account-wide rules run. */
  readonly homeRegion: string;
  /** Where resource rules run. */
  readonly regions: readonly string[];
  /** The rules switched on in the configuration. */
  readonly enabled: Readonly<Record<ConfigRuleId, boolean>>;
  /** The rule's name in the account. */
  readonly ruleName: (ruleId: ConfigRuleId) => string;
  /** Per-rule parameters that come from the configuration, merged over the defaults above. */
  readonly parameters?: Partial<Record<ConfigRuleId, Readonly<Record<string, string | number>>>>;
  /** Config refuses rules until a recorder exists in the region: the recorders of every region. */
  readonly recorders: readonly ITerraformDependable[];
}

/**
 * The baseline's AWS Config managed rules: one resource per rule, with an instance per region (`for_each` over the
 * regions, keyed by region). Rules are most of an account's resources, and one construct per rule instead of one per
 * rule and region keeps the synth of large organizations fast.
 */
export class ConfigRules extends Construct {
  readonly rules: Partial<Record<ConfigRuleId, ConfigConfigRule>> = {};

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    for (const ruleId of Object.keys(MANAGED_RULES).sort() as ConfigRuleId[]) {
      const rule = MANAGED_RULES[ruleId];
      if (!props.enabled[ruleId]) continue;
      const regions = TerraformIterator.fromList(rule.scope === 'home-region' ? [props.homeRegion] : [...props.regions].sort());
      const parameters = { ...rule.parameters, ...props.parameters?.[ruleId] };
      this.rules[ruleId] = new ConfigConfigRule(this, ruleId, {
        forEach: regions,
        region: regions.value,
        name: props.ruleName(ruleId),
        source: { owner: 'AWS', sourceIdentifier: rule.identifier },
        // Config takes every parameter value as a string.
        inputParameters:
          Object.keys(parameters).length > 0
            ? JSON.stringify(Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, String(value)])))
            : undefined,
        dependsOn: [...props.recorders],
      });
    }
  }
}
