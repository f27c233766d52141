import type { BaselineConfig, MonitoredBucket } from '../../config/schema';
import { organizationAccounts } from '../naming';

/** The monitored buckets one account owns in one region: where a forwarding rule must run. */
export interface BucketLocation {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  /** Bucket names, sorted. */
  readonly buckets: readonly string[];
}

/** Whether the configuration deploys the detector at all: enabled, with a bucket to watch and a rule to apply. */
export function detectorDeployed(config: BaselineConfig): boolean {
  const { enabled, monitoredBuckets, rules } = config.detector;
  return enabled && monitoredBuckets.length > 0 && Object.values(rules).some(Boolean);
}

/**
 * Every account and region that owns a monitored bucket, sorted by account id then region, so that generated
 * resources and policies do not change with the order of the configuration. Empty when the detector is not deployed.
 */
export function bucketLocations(config: BaselineConfig): BucketLocation[] {
  if (!detectorDeployed(config)) return [];
  const accounts = organizationAccounts(config);
  const byLocation = new Map<string, { accountId: string; accountName: string; region: string; buckets: string[] }>();
  for (const bucket of config.detector.monitoredBuckets as MonitoredBucket[]) {
    // The account name is validated against the accounts (config/cross-checks.ts).
    const account = accounts.find((candidate) => candidate.name === bucket.account)!;
    const key = `${account.id}/${bucket.region}`;
    const location = byLocation.get(key) ?? { accountId: account.id, accountName: account.name, region: bucket.region, buckets: [] };
    location.buckets.push(bucket.name);
    byLocation.set(key, location);
  }
  return [...byLocation.values()]
    .map((location) => ({ ...location, buckets: [...location.buckets].sort() }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
}

/**
 * Whether the detector changes anything when it flags a role: only in `enforce` mode. In `dry-run` it describes the
 * revocation in the finding and calls nothing, so it is given no permission to.
 */
export function detectorActs(config: BaselineConfig): boolean {
  return detectorDeployed(config) && config.detector.response === 'enforce';
}
