import type { Construct } from 'constructs';
import { AccessAnalyzer } from '../lib/account-baseline/access-analyzer';
import { ConfigRules } from '../lib/account-baseline/config-rules';
import { ConfigServiceLinkedRole } from '../lib/account-baseline/config-service-linked-role';
import { PasswordPolicy } from '../lib/account-baseline/password-policy';
import { RegionalBaseline } from '../lib/account-baseline/regional-baseline';
import { S3AccountPublicAccessBlock } from '../lib/account-baseline/s3-account-public-access-block';
import { SupportRole } from '../lib/account-baseline/support-role';
import { S3AccessDetectorInAccount } from '../lib/detector/s3-access-detector-in-account';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The baseline every account gets, globally and in every enabled region. */
export class AccountStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    const { config, account, names } = this;
    const baseline = config.accountBaseline;

    // Once per account.
    new PasswordPolicy(this, 'PasswordPolicy', baseline.passwordPolicy);
    new S3AccountPublicAccessBlock(this, 'S3PublicAccessBlock', { accountId: account.id });
    new SupportRole(this, 'SupportRole', {
      roleName: names.supportRoleName,
      deploymentRoleArn: names.deploymentRoleArn(account.id),
      trustedPrincipalArns: baseline.supportRoleTrustedPrincipalArns,
    });
    if (baseline.unusedAccessAnalyzer) {
      new AccessAnalyzer(this, 'UnusedAccessAnalyzer', {
        region: config.regions.home,
        analyzerName: names.unusedAccessAnalyzerName,
        kind: 'unused-access',
      });
    }
    const configRole = new ConfigServiceLinkedRole(this, 'ConfigRole', {
      roleArn: names.configServiceLinkedRoleArn(account.id),
      adopt: account.adopt?.configServiceLinkedRole,
    });

    // In every enabled region.
    const regional = config.regions.enabled.map(
      (region) => new RegionalBaseline(this, `Region-${region}`, { config, names, account, region, configRoleArn: configRole.roleArn }),
    );
    new ConfigRules(this, 'ConfigRules', {
      homeRegion: config.regions.home,
      regions: config.regions.enabled,
      enabled: config.config.rules,
      ruleName: (ruleId) => names.configRuleName(ruleId),
      parameters: {
        'vpc-flow-logs-enabled': { trafficType: config.flowLogs.trafficType },
        // The rule checks the policy this stack sets: the same numbers, so any loosening is non-compliant.
        'iam-password-policy': {
          MinimumPasswordLength: baseline.passwordPolicy.minimumLength,
          PasswordReusePrevention: baseline.passwordPolicy.reusePrevention,
          MaxPasswordAge: baseline.passwordPolicy.maxAgeDays,
        },
      },
      recorders: regional.map((baseline) => baseline.config.recorder),
    });

    // Forwarding of S3 data events where the account owns monitored buckets; the detector's response role.
    new S3AccessDetectorInAccount(this, 'S3AccessDetector', { config, names, account });
  }
}
