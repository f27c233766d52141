import type { Construct } from 'constructs';
import { AccessAnalyzer } from '../lib/account-baseline/access-analyzer';
import { ConfigRules } from '../lib/account-baseline/config-rules';
import { ConfigServiceLinkedRole } from '../lib/account-baseline/config-service-linked-role';
import { PasswordPolicy } from '../lib/account-baseline/password-policy';
import { RegionalBaseline } from '../lib/account-baseline/regional-baseline';
import { S3AccountPublicAccessBlock } from '../lib/account-baseline/s3-account-public-access-block';
import { SupportRole } from '../lib/account-baseline/support-role';
import { DetectionDrill } from '../lib/detector/drill/detection-drill';
import { LogKeyLookup } from '../lib/log-archive/log-key-lookup';
import { forwardingLocations } from '../lib/detector/network-activity-forwarding';
import { VpcBlockPublicAccessExclusions } from '../lib/guardrails/vpc-block-public-access-exclusions';
import { S3MalwareProtection } from '../lib/security-services/s3-malware-protection';
import { S3AccessDetectorInAccount } from '../lib/detector/s3-access-detector-in-account';
import { UndeliveredAlarmForwarding } from '../lib/findings/undelivered-alarm-forwarding';
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
      // Without a deployment role (the management account by default), the account's own IAM policies decide.
      deploymentRoleArn: names.assumedDeploymentRoleArn(account.id) ?? `arn:${names.partition}:iam::${account.id}:root`,
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

    // In every enabled region; Config names the log key by its ARN (see LogKeyLookup).
    const logKey = new LogKeyLookup(this, 'LogKey', { names, region: config.regions.home });
    const regional = config.regions.enabled.map(
      (region) =>
        new RegionalBaseline(this, `Region-${region}`, { config, names, account, region, configRoleArn: configRole.roleArn, logKeyArn: logKey.keyArn }),
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

    // The VPCs of this account that the EC2 declarative policy's VPC Block Public Access exempts.
    new VpcBlockPublicAccessExclusions(this, 'VpcBlockPublicAccessExclusions', { config, accountName: account.name });

    // GuardDuty Malware Protection for S3 on the configured buckets this account owns.
    new S3MalwareProtection(this, 'S3MalwareProtection', { config, names, account });

    // Forwarding of S3 data events where the account owns monitored buckets, and of its VPC endpoints' network
    // activity in every enabled region; the detector's response role.
    new S3AccessDetectorInAccount(this, 'S3AccessDetector', { config, names, account });
    // The detection drill where the account owns monitored buckets: canary objects, drill role, runner, schedule.
    new DetectionDrill(this, 'DetectionDrill', { config, account });
    // The forwarding queues' alarms reach people through the security account, whose own regions findings routing
    // already forwards to its home bus.
    const queueRegions = forwardingLocations(config)
      .filter((location) => location.accountId === account.id)
      .map((location) => location.region);
    if (queueRegions.length > 0 && account.id !== config.accounts.security.id) {
      new UndeliveredAlarmForwarding(this, 'DeadLetterAlarms', {
        accountId: account.id,
        regions: [...new Set(queueRegions)],
        alarmNames: [names.detectorForwardingDeadLetterQueueName],
        homeBusArn: names.securityHomeDefaultBusArn,
        ruleName: names.undeliveredAlarmForwardingRuleName,
        roleName: names.undeliveredAlarmForwarderRoleName,
      });
    }
  }
}
