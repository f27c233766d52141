import type { BaselineConfig } from '../../../config/schema';
import type { DrillCanary } from '../../../functions/detector/drill';
import { BaselineNames, organizationAccounts } from '../../naming';
import { detectorDeployed } from '../monitored-buckets';
import { deriveCanaryKey } from './canary-key';

/*
 * Everything the drill's resources and the detector's settings need, derived from the configuration alone (stacks
 * never read each other): the names, each bucket's canary, and the timing of the heartbeat alarm.
 */

/** One monitored bucket's drill: its canary and the account and region it runs in. */
export interface DrillTarget extends DrillCanary {
  readonly accountName: string;
  /** The customer managed key of the bucket's default SSE-KMS encryption, when configured. */
  readonly kmsKeyArn?: string;
}

/** Whether the drill is deployed: the detector is, the drill is on, and the rule the drill proves is on. */
export function drillDeployed(config: BaselineConfig): boolean {
  return detectorDeployed(config) && config.detector.drill.enabled && config.detector.rules.sensitiveObjectAccess;
}

/** The drill's names, in every account that owns a monitored bucket and in the security account. */
export class DrillNames {
  constructor(private readonly prefix: string) {}

  /** The role that reads the canaries; in no allow-list, with no other permission. */
  get roleName(): string {
    return `${this.prefix}-detector-drill`;
  }

  roleArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:role/${this.roleName}`;
  }

  /** The function (and its execution role) that assumes the drill role and reads the canaries. */
  get runnerName(): string {
    return `${this.prefix}-detector-drill-runner`;
  }

  /** The role EventBridge Scheduler assumes to invoke the runner. */
  get schedulerRoleName(): string {
    return `${this.prefix}-detector-drill-scheduler`;
  }

  get scheduleName(): string {
    return `${this.prefix}-detector-drill`;
  }

  /** The heartbeat alarm of one bucket, in the security account. */
  heartbeatAlarmName(bucket: string): string {
    return `${this.prefix}-detector-drill-${bucket}`;
  }

  /** The prefix every heartbeat alarm name starts with, which the routing rule matches. */
  get heartbeatAlarmPrefix(): string {
    return `${this.prefix}-detector-drill-`;
  }
}

/**
 * Whether a bucket owner's account can run the drill. Not the management account: the drill needs a function there,
 * and the management account runs no workloads (the baseline alarms when anything starts one there).
 */
export function drillRunsIn(accountName: string, config: BaselineConfig): boolean {
  return accountName !== config.accounts.management.name;
}

/** Every monitored bucket's drill, sorted by bucket name; empty when the drill is not deployed. */
export function drillTargets(config: BaselineConfig): DrillTarget[] {
  if (!drillDeployed(config)) return [];
  const names = new DrillNames(config.prefix);
  const accounts = organizationAccounts(config);
  const { canaryKeys, kmsKeyArns } = config.detector.drill;
  return [...config.detector.monitoredBuckets]
    .filter((bucket) => drillRunsIn(bucket.account, config))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((bucket) => {
      // The account name and the key are validated in the configuration (config/cross-checks.ts).
      const account = accounts.find((candidate) => candidate.name === bucket.account)!;
      const key = canaryKeys[bucket.name] ?? deriveCanaryKey(bucket.keyPatterns)!;
      return {
        bucket: bucket.name,
        key,
        accountId: account.id,
        accountName: account.name,
        region: bucket.region,
        roleArn: names.roleArn(account.id),
        ...(kmsKeyArns[bucket.name] ? { kmsKeyArn: kmsKeyArns[bucket.name] } : {}),
      };
    });
}

/** The detector's settings for the drill: the canaries it recognizes; nothing when the drill is off. */
export function drillSettingsFrom(config: BaselineConfig): { drill?: { canaries: DrillCanary[] } } {
  const targets = drillTargets(config);
  if (targets.length === 0) return {};
  return {
    drill: { canaries: targets.map(({ bucket, key, accountId, region, roleArn }) => ({ bucket, key, accountId, region, roleArn })) },
  };
}

/** The heartbeat alarm's period: an hour, the shortest that lets CloudWatch evaluate up to seven days. */
export const HEARTBEAT_PERIOD_SECONDS = 3600;

/**
 * How many hour-long periods without a heartbeat raise the alarm. A drill finding lands in one period; the next is
 * due `intervalHours` later and may be up to `deliveryAllowanceHours` late; one more period absorbs the boundary
 * between the two. CloudWatch accepts at most seven days (604,800 s) of evaluation for periods of an hour or more:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function heartbeatEvaluationPeriods(intervalHours: number, deliveryAllowanceHours: number): number {
  const periods = intervalHours + deliveryAllowanceHours + 1;
  if (periods * HEARTBEAT_PERIOD_SECONDS > 604_800) {
    throw new Error(`a heartbeat window of ${periods} hours exceeds CloudWatch's seven days of alarm evaluation`);
  }
  return periods;
}

/** The drill's names for a configuration; a shortcut for constructs that already hold BaselineNames. */
export function drillNames(config: BaselineConfig): DrillNames {
  return new DrillNames(config.prefix);
}

/** The findings rule name the heartbeat alarms are routed by; the findings topic accepts `<prefix>-*-findings`. */
export function heartbeatRoutingRuleName(config: BaselineConfig): string {
  return new BaselineNames(config).findingsRuleName('detector-drill');
}
