import type { BaselineConfig } from '../../config/schema';
import { NETWORK_ACTIVITY_CATEGORY, VPCE_ACCESS_DENIED } from '../../functions/detector/rules/vpc-endpoint-access';
import { organizationAccounts } from '../naming';
import { type BucketLocation, bucketLocations, detectorDeployed } from './monitored-buckets';

/*
 * Where the VPC endpoint rule's events come from. CloudTrail records a network activity event in the account that
 * owns the endpoint, in the endpoint's region
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html), and any
 * account of the organization may own endpoints, so every account forwards them, from every enabled region. AWS's
 * EventBridge guide lists the CloudTrail events it delivers by detail-type and does not name network activity
 * events (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html): verify once
 * after deploying (docs/detector.md); the log archive holds them either way, and `npm run replay` reads them there.
 */

/** Whether the detector forwards network activity events: deployed, the rule on, and the trail logging them. */
export function networkActivityForwarded(config: BaselineConfig): boolean {
  return detectorDeployed(config) && config.detector.rules.vpcEndpointAccess && config.trail.networkActivityEvents.enabled;
}

/**
 * The accounts and regions that run forwarding rules: those owning monitored buckets, and, when network activity is
 * forwarded, every account of the organization in every enabled region (with no buckets where it owns none, so that
 * its rule forwards only network activity). Sorted by account id then region.
 */
export function forwardingLocations(config: BaselineConfig): BucketLocation[] {
  const locations = bucketLocations(config);
  if (!networkActivityForwarded(config)) return locations;
  const byKey = new Map(locations.map((location) => [`${location.accountId}/${location.region}`, location]));
  for (const account of organizationAccounts(config)) {
    for (const region of config.regions.enabled) {
      const key = `${account.id}/${region}`;
      if (!byKey.has(key)) byKey.set(key, { accountId: account.id, accountName: account.name, region, buckets: [] });
    }
  }
  return [...byKey.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
}

/**
 * The forwarding branch of the network activity events the rule can flag: every call a VPC endpoint policy denied,
 * and every call signed by another account than the endpoint's owner, unsigned, or listing a resource of another
 * account. Calls of the owner's own principals to its own resources, allowed, stay in the account (with
 * trail.networkActivityEvents.allEvents they are most of the volume, and the rule would flag none of them). The rule
 * then decides which other accounts are the organization's. Only AWS sources ("aws." is reserved to AWS services) and
 * records written for this account, as every forwarding branch (event-forwarding.ts).
 */
export function networkActivityBranch(accountId: string): Record<string, unknown> {
  const otherAccount = [{ 'anything-but': [accountId] }];
  return {
    source: [{ prefix: 'aws.' }],
    account: [accountId],
    detail: {
      recipientAccountId: [accountId],
      eventCategory: [NETWORK_ACTIVITY_CATEGORY],
      $or: [
        { errorCode: [VPCE_ACCESS_DENIED] },
        { userIdentity: { accountId: otherAccount } },
        // Its own branch: EventBridge's guide shows "exists" alone in its list.
        { userIdentity: { accountId: [{ exists: false }] } },
        { resources: { accountId: otherAccount } },
      ],
    },
  };
}
