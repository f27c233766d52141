import type { CloudTrailRecord } from '../cloudtrail';
import { NetworkSet } from '../network';
import { compileKeyPatterns } from '../patterns';
import { PrincipalMatcher } from '../principals';
import { BucketResolver } from '../s3-object';
import { type DetectorSettings, SERVICE_PRINCIPAL } from '../settings';

/** The settings compiled once at cold start into the matchers every rule shares. */
export interface RuleContext {
  readonly settings: DetectorSettings;
  readonly networks: NetworkSet;
  readonly vpcEndpoints: ReadonlySet<string>;
  /** AWS services through which authorized principals may read from any network. */
  readonly services: ReadonlySet<string>;
  readonly organizationAccounts: ReadonlySet<string>;
  readonly authorizedPrincipals: PrincipalMatcher;
  readonly enumerationPrincipals: PrincipalMatcher;
  /** Monitored bucket name -> matcher of its sensitive keys. */
  readonly sensitiveKeys: ReadonlyMap<string, (key: string) => boolean>;
  /** Maps the access points of the monitored buckets to their bucket. */
  readonly buckets: BucketResolver;
}

export function compileRuleContext(settings: DetectorSettings): RuleContext {
  return {
    settings,
    networks: new NetworkSet(settings.authorizedCidrs),
    vpcEndpoints: new Set(settings.authorizedVpcEndpoints),
    services: new Set(settings.authorizedServices),
    organizationAccounts: new Set(settings.organizationAccountIds),
    authorizedPrincipals: new PrincipalMatcher(settings.authorizedPrincipals, settings.organizationAccountIds),
    enumerationPrincipals: new PrincipalMatcher(settings.enumerationPrincipals, settings.organizationAccountIds),
    sensitiveKeys: new Map(settings.monitoredBuckets.map((bucket) => [bucket.name, compileKeyPatterns(bucket.keyPatterns)])),
    buckets: new BucketResolver(settings.monitoredBuckets),
  };
}

/** Where a call came from, as far as the allow-lists are concerned. */
export type Origin =
  | 'authorized-network'
  | 'authorized-vpc-endpoint'
  | 'authorized-service'
  | 'organization-vpc-endpoint'
  | 'aws-service'
  | 'outside';

/** The origins from which an authorized principal may read sensitive keys. */
export function isAuthorizedOrigin(origin: Origin): boolean {
  return origin === 'authorized-network' || origin === 'authorized-vpc-endpoint' || origin === 'authorized-service';
}

/**
 * Classifies the origin of a call from the fields CloudTrail writes
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
 * - Through a VPC endpoint (`vpcEndpointId`), the source address is private to whoever owns the endpoint
 *   (`vpcEndpointAccountId`), so an address alone proves nothing: an endpoint listed in authorizedVpcEndpoints
 *   authorizes; an endpoint of an organization account lets the authorized CIDRs apply, and is inside the
 *   organization otherwise; an endpoint of any other account, or one whose owner CloudTrail did not write, is outside
 *   (someone else's 10.0.0.0/8 is not ours, and an owner we cannot see is not one we can trust).
 * - Without an endpoint, an address inside the authorized CIDRs authorizes.
 * - A service name instead of an address ("athena.amazonaws.com") means the service called for the caller; it
 *   authorizes only when listed in authorizedServices and CloudTrail's `userIdentity.invokedBy` names the same
 *   service (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 *   Other service calls are inside AWS, but never authorize a sensitive read.
 * - Anything else (a public address, an empty or garbled field) is outside.
 */
export function originOf(record: CloudTrailRecord, context: RuleContext): Origin {
  const source = typeof record.sourceIPAddress === 'string' ? record.sourceIPAddress : '';
  const endpoint = record.vpcEndpointId;
  if (typeof endpoint === 'string' && endpoint.length > 0) {
    if (context.vpcEndpoints.has(endpoint)) return 'authorized-vpc-endpoint';
    const owner = record.vpcEndpointAccountId;
    if (typeof owner !== 'string' || !context.organizationAccounts.has(owner)) return 'outside';
    return context.networks.contains(source) ? 'authorized-network' : 'organization-vpc-endpoint';
  }
  if (context.networks.contains(source)) return 'authorized-network';
  if (isAwsServiceSource(source)) {
    const invokedBy = record.userIdentity.invokedBy;
    return context.services.has(source) && invokedBy === source ? 'authorized-service' : 'aws-service';
  }
  return 'outside';
}

/** What CloudTrail writes as the source of some calls AWS makes internally. */
export const AWS_INTERNAL_SOURCE = 'AWS Internal';

/** CloudTrail writes a service's name instead of an address when a service called for the caller. */
function isAwsServiceSource(source: string): boolean {
  return source === AWS_INTERNAL_SOURCE || SERVICE_PRINCIPAL.test(source);
}
