import { classifyCaller } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { BUCKET_ENUMERATION_EVENT_NAMES, BUCKET_ENUMERATION_EVENT_SOURCE } from '../event-names';
import { type Finding, findingOf } from '../finding';
import type { RuleContext } from './context';

/**
 * ListBuckets by a principal not expected to enumerate buckets: workloads know their buckets by name, so a listing
 * is what an intruder does first with stolen credentials. AWS services (Macie, Config, …) are only exempt when their
 * service principal is listed.
 */
const ENUMERATIONS: ReadonlySet<string> = new Set(BUCKET_ENUMERATION_EVENT_NAMES);

export function bucketEnumeration(record: CloudTrailRecord, context: RuleContext): Finding | undefined {
  if (!ENUMERATIONS.has(record.eventName) || record.eventSource !== BUCKET_ENUMERATION_EVENT_SOURCE) return undefined;
  if (context.enumerationPrincipals.matchesIdentity(record.userIdentity)) return undefined;
  const caller = classifyCaller(record.userIdentity);
  return findingOf('bucket-enumeration', `${caller.kind} caller is not an enumeration principal`, record, caller);
}
