import type { CloudTrailRecord } from '../cloudtrail';
import { NetworkSet } from '../network';
import { compileKeyPatterns, PrincipalMatcher } from '../patterns';
import { BucketResolver } from '../s3-object';
import type { DetectorSettings } from '../settings';

/** The settings compiled once at cold start into the matchers every rule shares. */
export interface RuleContext {
  readonly settings: DetectorSettings;
  readonly networks: NetworkSet;
  readonly vpcEndpoints: ReadonlySet<string>;
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
    authorizedPrincipals: new PrincipalMatcher(settings.authorizedPrincipals),
    enumerationPrincipals: new PrincipalMatcher(settings.enumerationPrincipals),
    sensitiveKeys: new Map(settings.monitoredBuckets.map((bucket) => [bucket.name, compileKeyPatterns(bucket.keyPatterns)])),
    buckets: new BucketResolver(settings.monitoredBuckets),
  };
}

/** Where a call came from, as far as the allow-lists are concerned. */
export type Origin = 'authorized-network' | 'authorized-vpc-endpoint' | 'aws-service' | 'vpc-endpoint' | 'outside';

/**
 * Classifies the origin of a call. A source that is not an IP address ("athena.amazonaws.com", "AWS Internal") is an
 * AWS service acting for the caller: there is no client network to judge, so only the principal is; anything else that
 * is not an address (empty, garbled) counts as outside. A VPC endpoint owned by another account than the caller's (or
 * the bucket's) is someone else's network and counts as outside.
 */
export function originOf(record: CloudTrailRecord, context: RuleContext, callerAccountId: string | undefined): Origin {
  const endpoint = record.vpcEndpointId;
  if (endpoint !== undefined && context.vpcEndpoints.has(endpoint)) return 'authorized-vpc-endpoint';
  const source = record.sourceIPAddress ?? '';
  if (context.networks.contains(source)) return 'authorized-network';
  if (endpoint !== undefined) {
    const owner = record.vpcEndpointAccountId;
    return owner === undefined || owner === callerAccountId || owner === record.recipientAccountId ? 'vpc-endpoint' : 'outside';
  }
  return isAwsServiceSource(source) ? 'aws-service' : 'outside';
}

/** CloudTrail writes a service's name instead of an address when a service called for the caller. */
function isAwsServiceSource(source: string): boolean {
  return source === 'AWS Internal' || /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.test(source);
}
