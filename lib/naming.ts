import type { Account, BaselineConfig } from '../config/schema';

/** The role an account plays in the organization, which decides the stacks deployed into it. */
export type AccountRole = 'management' | 'log-archive' | 'security' | 'member';

export interface OrganizationAccount extends Account {
  readonly role: AccountRole;
}

/** Every account of the organization, the three with special roles first, in configuration order. */
export function organizationAccounts(config: BaselineConfig): OrganizationAccount[] {
  const { management, logArchive, security, members } = config.accounts;
  return [
    { ...management, role: 'management' },
    { ...logArchive, role: 'log-archive' },
    { ...security, role: 'security' },
    ...members.map((account): OrganizationAccount => ({ ...account, role: 'member' })),
  ];
}

/** Key prefixes under which each log flow writes into the central log bucket. */
export const LOG_PREFIXES = {
  cloudTrail: 'cloudtrail',
  config: 'config',
  flowLogs: 'flow-logs',
} as const;

/**
 * Every name that one stack needs from another, derived from the configuration alone. Stacks never read each
 * other's state: a stack can be planned by itself, in any pipeline, before the others exist.
 */
export class BaselineNames {
  readonly partition = 'aws';

  constructor(private readonly config: BaselineConfig) {}

  private get prefix(): string {
    return this.config.prefix;
  }

  private get home(): string {
    return this.config.regions.home;
  }

  // Stacks

  static readonly logArchiveStack = 'log-archive';
  static readonly managementStack = 'management';
  static readonly securityStack = 'security';
  static accountStack(accountName: string): string {
    return `account-${accountName}`;
  }

  // Log archive

  /** The central log bucket; the account id and region keep it globally unique and tell where it lives. */
  get logBucketName(): string {
    return `${this.prefix}-logs-${this.config.accounts.logArchive.id}-${this.home}`;
  }

  get logBucketArn(): string {
    return `arn:${this.partition}:s3:::${this.logBucketName}`;
  }

  /** The bucket that receives the server access logs of the log bucket. */
  get accessLogBucketName(): string {
    return `${this.prefix}-access-logs-${this.config.accounts.logArchive.id}-${this.home}`;
  }

  get accessLogBucketArn(): string {
    return `arn:${this.partition}:s3:::${this.accessLogBucketName}`;
  }

  /** Where S3 writes the server access logs of the log bucket, inside the access-log bucket. */
  get accessLogObjectPrefix(): string {
    return `${this.logBucketName}/`;
  }

  get logKeyAliasName(): string {
    return `alias/${this.prefix}-logs`;
  }

  /** Services accept the alias ARN where a key ARN would need the other stack's state. */
  get logKeyAliasArn(): string {
    return `arn:${this.partition}:kms:${this.home}:${this.config.accounts.logArchive.id}:${this.logKeyAliasName}`;
  }

  // Organization trail (management account)

  get trailName(): string {
    return `${this.prefix}-organization-trail`;
  }

  get trailArn(): string {
    return `arn:${this.partition}:cloudtrail:${this.home}:${this.config.accounts.management.id}:trail/${this.trailName}`;
  }

  get trailLogGroupName(): string {
    return `/${this.prefix}/cloudtrail/organization`;
  }

  /** Where the organization trail writes: `<prefix>/AWSLogs/<organization id>/<account>/CloudTrail/…`. */
  get trailObjectPrefix(): string {
    return `${LOG_PREFIXES.cloudTrail}/AWSLogs/${this.config.organization.id}`;
  }

  /** Where the organization trail also writes the management account's own files (AWS grants both paths). */
  get trailManagementAccountObjectPrefix(): string {
    return `${LOG_PREFIXES.cloudTrail}/AWSLogs/${this.config.accounts.management.id}`;
  }

  /** Where AWS Config of one account writes. */
  configObjectPrefix(accountId: string): string {
    return `${LOG_PREFIXES.config}/AWSLogs/${accountId}/Config`;
  }

  /** Where VPC flow logs of one account write; Hive-compatible partitions name the account `aws-account-id=<id>`. */
  flowLogObjectPrefix(accountId: string): string {
    const account = this.config.flowLogs.hiveCompatiblePartitions ? `aws-account-id=${accountId}` : accountId;
    return `${LOG_PREFIXES.flowLogs}/AWSLogs/${account}`;
  }

  get trailLogGroupArn(): string {
    return `arn:${this.partition}:logs:${this.home}:${this.config.accounts.management.id}:log-group:${this.trailLogGroupName}`;
  }

  /** The role CloudTrail assumes to write into the trail's log group. */
  get trailLogsRoleName(): string {
    return `${this.prefix}-cloudtrail-to-cloudwatch-logs`;
  }

  /** Alias (without `alias/`) of the key of the trail's log group. */
  get trailLogGroupKeyAlias(): string {
    return `${this.prefix}-cloudtrail-logs`;
  }

  /** A CIS alarm and its metric filter, e.g. `<prefix>-cis-root-account-usage`. */
  cisAlarmName(id: string): string {
    return `${this.prefix}-cis-${id}`;
  }

  /** The alarm on workloads started in the management account, and the prefix of its metric filters. */
  get managementWorkloadAlarmName(): string {
    return `${this.prefix}-management-account-workloads`;
  }

  /** The topic AWS Budgets and Cost Anomaly Detection notify, in the management account. */
  get costAlertTopicName(): string {
    return `${this.prefix}-cost-alerts`;
  }

  /** One account's monthly cost budget, held in the management account. */
  accountBudgetName(accountName: string): string {
    return `${this.prefix}-${accountName}-monthly`;
  }

  get alarmTopicName(): string {
    return `${this.prefix}-security-alarms`;
  }

  // Security account

  get findingsTopicName(): string {
    return `${this.prefix}-security-findings`;
  }

  /** An EventBridge rule of findings routing, e.g. `<prefix>-guardduty-findings`. */
  findingsRuleName(source: string): string {
    return `${this.prefix}-${source}-findings`;
  }

  /** The role EventBridge uses to forward findings from other regions to the home region's default bus. */
  get findingsForwarderRoleName(): string {
    return `${this.prefix}-findings-forwarder`;
  }

  /** Dead-letter queue of findings routing in one region. */
  findingsDeadLetterQueueName(region: string): string {
    return `${this.prefix}-findings-dlq-${region}`;
  }

  /** The organization-wide IAM Access Analyzer (the account-level one is `accountAnalyzerName`). */
  get organizationAnalyzerName(): string {
    return `${this.prefix}-organization-access`;
  }

  get configAggregatorName(): string {
    return `${this.prefix}-organization`;
  }

  get configAggregatorRoleName(): string {
    return `${this.prefix}-config-aggregator`;
  }

  /** The Security Hub configuration policy applied to every account of the organization. */
  get securityHubPolicyName(): string {
    return `${this.prefix}-baseline`;
  }

  get detectorEventBusName(): string {
    return `${this.prefix}-s3-data-events`;
  }

  get detectorEventBusArn(): string {
    return `arn:${this.partition}:events:${this.home}:${this.config.accounts.security.id}:event-bus/${this.detectorEventBusName}`;
  }

  get detectorFunctionName(): string {
    return `${this.prefix}-s3-access-detector`;
  }

  /** The role, in each account, that the detector assumes to revoke a flagged role's sessions (enforce mode). */
  get detectorResponseRoleName(): string {
    return `${this.prefix}-detector-response`;
  }

  /** The detector's window state (mass download), in the security account's home region; its key's alias is the same name. */
  get detectorStateTableName(): string {
    return `${this.prefix}-s3-access-detector-state`;
  }

  /** The topic the detector publishes its findings to. */
  get detectorTopicName(): string {
    return `${this.prefix}-s3-access-findings`;
  }

  /** The queue of the detector's invocations that failed after Lambda's retries (named by the detector function). */
  get detectorFailedInvocationsQueueName(): string {
    return `${this.detectorFunctionName}-failed-invocations`;
  }

  /** The queue of the events the detector's rule could not deliver to the function. */
  get detectorUndeliveredQueueName(): string {
    return `${this.detectorRuleName}-undelivered`;
  }

  /** The rule on the detector's bus that invokes the function. */
  get detectorRuleName(): string {
    return `${this.prefix}-s3-access-detector`;
  }

  /** The rule, on the default bus of each account and region owning a monitored bucket, that forwards to the detector. */
  get detectorForwardingRuleName(): string {
    return `${this.prefix}-forward-s3-data-events`;
  }

  /** The n-th forwarding rule of an account and region (0-based; more than one when the buckets fill a pattern). */
  detectorForwardingRuleArn(accountId: string, region: string, index = 0): string {
    const name = index === 0 ? this.detectorForwardingRuleName : `${this.detectorForwardingRuleName}-${index + 1}`;
    return `arn:${this.partition}:events:${region}:${accountId}:rule/${name}`;
  }

  /** The rule, in an account's regions with dead-letter queues, that sends their alarms to the security account. */
  get undeliveredAlarmForwardingRuleName(): string {
    return `${this.prefix}-forward-dead-letter-alarms`;
  }

  /** The role EventBridge assumes to send dead-letter queue alarms to the security account. */
  get undeliveredAlarmForwarderRoleName(): string {
    return `${this.prefix}-dead-letter-alarm-forwarder`;
  }

  /** The security account's default event bus in the home region, where findings routing notifies people. */
  get securityHomeDefaultBusArn(): string {
    return `arn:${this.partition}:events:${this.home}:${this.config.accounts.security.id}:event-bus/default`;
  }

  /** The role EventBridge assumes, in an account owning a monitored bucket, to put events on the detector's bus. */
  get detectorForwarderRoleName(): string {
    return `${this.prefix}-s3-data-event-forwarder`;
  }

  /** Where a forwarding rule keeps the events it could not deliver, in each region it runs in. */
  get detectorForwardingDeadLetterQueueName(): string {
    return `${this.prefix}-forward-s3-data-events-undelivered`;
  }

  /** The detector function's execution role (named like the function), which the response roles trust. */
  get detectorFunctionRoleArn(): string {
    return `arn:${this.partition}:iam::${this.config.accounts.security.id}:role/${this.detectorFunctionName}`;
  }

  // Every account

  /** The Config recorder of an account in each region (one per region is allowed). */
  get configRecorderName(): string {
    return this.resourceName('config-recorder');
  }

  get configDeliveryChannelName(): string {
    return this.resourceName('config-delivery');
  }

  /** A managed Config rule of the account baseline, prefixed so it never collides with rules of other tools. */
  configRuleName(ruleId: string): string {
    return this.resourceName(ruleId);
  }

  /** The AWS Config service-linked role, which the recorders of every region use. */
  configServiceLinkedRoleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
  }

  /** The account's IAM Access Analyzer in each region (external access). */
  get accountAnalyzerName(): string {
    return this.resourceName('account-access');
  }

  /** The account's IAM Access Analyzer for unused access, in the home region only. */
  get unusedAccessAnalyzerName(): string {
    return this.resourceName('unused-access');
  }

  /** The role that lets a trusted principal manage AWS Support cases (CIS). */
  get supportRoleName(): string {
    return this.resourceName('support');
  }

  /** The account of the organization with this id. */
  private accountOf(accountId: string): OrganizationAccount | undefined {
    return organizationAccounts(this.config).find((account) => account.id === accountId);
  }

  /** Name of the role the baseline is deployed with in an account: the account's own, or `deployment.roleName`. */
  deploymentRoleName(accountId: string): string {
    return this.accountOf(accountId)?.deploymentRoleName ?? this.config.deployment.roleName;
  }

  /** The role the baseline is deployed with in an account; guardrails let only it change the baseline. */
  deploymentRoleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.deploymentRoleName(accountId)}`;
  }

  /**
   * The role a stack's provider assumes to reach an account, or undefined to use the caller's own credentials. The
   * management account has no OrganizationAccountAccessRole (Organizations creates it only in the accounts it
   * creates), so it is reached with the caller's credentials unless it names a role of its own.
   * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
   */
  assumedDeploymentRoleArn(accountId: string): string | undefined {
    const account = this.accountOf(accountId);
    if (account?.role === 'management' && account.deploymentRoleName === undefined) return undefined;
    return this.deploymentRoleArn(accountId);
  }

  /** Any account's deployment role, as guardrail conditions name it. */
  get deploymentRoleArnPattern(): string {
    return `arn:${this.partition}:iam::*:role/${this.config.deployment.roleName}`;
  }

  /**
   * Every deployment role the guardrails exempt, by name in any account: `deployment.roleName`, and each name a member
   * account gives in `deploymentRoleName`. The guardrails also let only these roles create or change roles of these
   * names, so nobody can make one where it does not exist; naming them once, not per account, keeps each of the
   * guardrail statements that repeat the exemption small. Service control policies never apply to the management
   * account, which is left out.
   */
  get deploymentRoleArnPatterns(): string[] {
    const own = organizationAccounts(this.config)
      .filter((account) => account.role !== 'management' && account.deploymentRoleName !== undefined)
      .map((account) => `arn:${this.partition}:iam::*:role/${account.deploymentRoleName}`);
    return [...new Set([this.deploymentRoleArnPattern, ...[...own].sort()])];
  }

  // Hunting (Athena over the log archive)

  /** The Glue database of the log archive's tables; Athena names take underscores, not hyphens. */
  get huntingDatabaseName(): string {
    return `${this.prefix.replace(/-/g, '_')}_log_archive`;
  }

  get huntingWorkgroupName(): string {
    return `${this.prefix}-log-hunting`;
  }

  /** The bucket of the workgroup's query results, in the account that hunts. */
  huntingResultsBucketName(accountId: string): string {
    return `${this.prefix}-hunting-results-${accountId}-${this.home}`;
  }

  /** A name for a per-account resource, unique within the account. */
  resourceName(purpose: string): string {
    return `${this.prefix}-${purpose}`;
  }
}
