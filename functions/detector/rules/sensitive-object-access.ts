import { classifyCaller } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { type Finding, findingOf } from '../finding';
import { objectsRead } from '../s3-object';
import { isAuthorizedOrigin, originOf, type RuleContext } from './context';

export { parseCopySource } from '../s3-object';

/**
 * A read of a sensitive key of a monitored bucket by a caller that is not authorized. Authorized means both: the call
 * came from an authorized network or VPC endpoint (or through an authorized AWS service acting for the caller), and the caller
 * is one of the authorized principals. Denied reads are reported too (with their error code): they are probes.
 */
export function sensitiveObjectAccess(record: CloudTrailRecord, context: RuleContext): Finding | undefined {
  // The objects come from the record's object ARNs, access points mapped to their buckets (../s3-object.ts).
  const object = objectsRead(record, context.buckets).find((read) => context.sensitiveKeys.get(read.bucket)?.(read.key));
  if (!object) return undefined;

  const identity = record.userIdentity;
  const networkAuthorized = isAuthorizedOrigin(originOf(record, context));
  const principalAuthorized = context.authorizedPrincipals.matchesIdentity(identity);
  if (networkAuthorized && principalAuthorized) return undefined;

  const caller = classifyCaller(identity);

  const reasons = [
    ...(principalAuthorized ? [] : [`${caller.kind} caller is not an authorized principal`]),
    ...(networkAuthorized ? [] : ['source is outside the authorized networks and VPC endpoints']),
  ];
  return findingOf('sensitive-object-access', reasons.join('; '), record, caller, object);
}
