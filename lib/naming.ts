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

  /** Where AWS Config of one account writes. */
  configObjectPrefix(accountId: string): string {
    return `${LOG_PREFIXES.config}/AWSLogs/${accountId}/Config`;
  }

  /** Where VPC flow logs of one account write. */
  flowLogObjectPrefix(accountId: string): string {
    return `${LOG_PREFIXES.flowLogs}/AWSLogs/${accountId}`;
  }

  get alarmTopicName(): string {
    return `${this.prefix}-security-alarms`;
  }

  // Security account

  get findingsTopicName(): string {
    return `${this.prefix}-security-findings`;
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

  // Every account

  /** The role the baseline is deployed with in an account; guardrails let only it change the baseline. */
  deploymentRoleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.config.deployment.roleName}`;
  }

  /** Any account's deployment role, as guardrail conditions name it. */
  get deploymentRoleArnPattern(): string {
    return `arn:${this.partition}:iam::*:role/${this.config.deployment.roleName}`;
  }

  /** A name for a per-account resource, unique within the account. */
  resourceName(purpose: string): string {
    return `${this.prefix}-${purpose}`;
  }
}
