import { classifyCaller } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { COPY_EVENT_NAMES, OBJECT_READ_EVENT_NAMES } from '../event-names';
import { type Finding, findingOf } from '../finding';
import { isAuthorizedOrigin, originOf, type RuleContext } from './context';

const OBJECT_READS: ReadonlySet<string> = new Set(OBJECT_READ_EVENT_NAMES);
const COPIES: ReadonlySet<string> = new Set(COPY_EVENT_NAMES);

/**
 * A read of a sensitive key of a monitored bucket by a caller that is not authorized. Authorized means both: the call
 * came from an authorized network or VPC endpoint (or through an authorized AWS service acting for the caller), and the caller
 * is one of the authorized principals. Denied reads are reported too (with their error code): they are probes.
 */
export function sensitiveObjectAccess(record: CloudTrailRecord, context: RuleContext): Finding | undefined {
  if (!OBJECT_READS.has(record.eventName) || record.eventSource !== 's3.amazonaws.com') return undefined;
  const object = readObject(record);
  if (!object) return undefined;
  const sensitive = context.sensitiveKeys.get(object.bucket);
  if (!sensitive || !sensitive(object.key)) return undefined;

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

/** The object a read touches: the copy source for copies, the request's bucket and key otherwise. */
function readObject(record: CloudTrailRecord): { bucket: string; key: string } | undefined {
  const parameters = record.requestParameters;
  if (!parameters) return undefined;
  if (COPIES.has(record.eventName)) {
    const source = parameters['x-amz-copy-source'];
    return typeof source === 'string' ? parseCopySource(source) : undefined;
  }
  const bucket = parameters.bucketName;
  const key = parameters.key;
  return typeof bucket === 'string' && typeof key === 'string' ? { bucket, key } : undefined;
}

/** "bucket/key", "/bucket/key?versionId=…", URL-encoded as the header is sent. */
export function parseCopySource(source: string): { bucket: string; key: string } | undefined {
  let text = source.startsWith('/') ? source.slice(1) : source;
  const query = text.indexOf('?versionId=');
  if (query >= 0) text = text.slice(0, query);
  try {
    text = decodeURIComponent(text);
  } catch {
    // Not percent-encoded after all: judge it as written.
  }
  const slash = text.indexOf('/');
  return slash > 0 && slash < text.length - 1 ? { bucket: text.slice(0, slash), key: text.slice(slash + 1) } : undefined;
}
