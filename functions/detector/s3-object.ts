import { S3_EVENT_SOURCES, type CloudTrailRecord } from './cloudtrail';
import { COPY_EVENT_NAMES, OBJECT_READ_EVENT_NAMES } from './event-names';

/*
 * Which object of which bucket an S3 call read. `requestParameters.bucketName` is not enough: a request made through
 * an access point names the access point there, while CloudTrail names the bucket in the `AWS::S3::Object` ARN of
 * `resources` ("CloudTrail log entries for requests made through access points include the access point ARN in the
 * resources section", https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-monitoring-logging.html),
 * and that ARN, `arn:<partition>:s3:::<bucket>/<key>`, is also what the trail's data-event selectors match
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html). So the object ARNs
 * are judged, and the request parameters too when they name a bucket. Names that are access points (ARN or alias,
 * multi-Region access points, Object Lambda access points) are mapped to their bucket through the access points the
 * configuration lists for each monitored bucket.
 */

const OBJECT_READS: ReadonlySet<string> = new Set(OBJECT_READ_EVENT_NAMES);
const COPIES: ReadonlySet<string> = new Set(COPY_EVENT_NAMES);

/** S3 Object Lambda answers GetObject through its access point; its own events come from this source. */
export const OBJECT_LAMBDA_EVENT_SOURCE = 's3-object-lambda.amazonaws.com';
/** Object Lambda transforms GET (and HEAD and LIST, which return no content) requests. */
export const OBJECT_LAMBDA_READ_EVENT_NAMES = ['GetObject'] as const;
const OBJECT_LAMBDA_READS: ReadonlySet<string> = new Set(OBJECT_LAMBDA_READ_EVENT_NAMES);

/** An object a call read; `via` is the access point it was named through, when it was. */
export interface ObjectRead {
  readonly bucket: string;
  readonly key: string;
  readonly via?: string;
}

/** A monitored bucket and the access points (ARNs or aliases) through which it is reached. */
export interface BucketAccessPoints {
  readonly name: string;
  readonly accessPoints?: readonly string[];
}

/**
 * Maps a bucket name, access point ARN or alias to its bucket. Access point names alone are unique only within an
 * account and Region, so only ARNs and aliases (which S3 accepts wherever a bucket name is,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-naming.html) are looked up.
 */
export class BucketResolver {
  private readonly byAccessPoint = new Map<string, string>();

  constructor(buckets: readonly BucketAccessPoints[]) {
    for (const bucket of buckets) {
      for (const accessPoint of bucket.accessPoints ?? []) {
        const id = accessPoint.toLowerCase();
        this.byAccessPoint.set(id, bucket.name);
        // A multi-Region access point is named by its ARN or by its alias alone ("<alias>.mrap").
        const mrap = /^arn:[^:]+:s3::\d{12}:accesspoint\/([^/]+\.mrap)$/.exec(id);
        if (mrap) this.byAccessPoint.set(mrap[1], bucket.name);
      }
    }
  }

  /** The bucket behind a name: the access point's bucket, or the name itself when it is not an access point. */
  /** Every access point id (lower case) and its bucket, in a stable order: what the Athena hunts compile. */
  get accessPoints(): ReadonlyArray<readonly [string, string]> {
    return [...this.byAccessPoint].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  bucketOf(name: string): { bucket: string; via?: string } | undefined {
    const mapped = this.byAccessPoint.get(name.toLowerCase());
    if (mapped !== undefined) return { bucket: mapped, via: name };
    return isAccessPointName(name) ? undefined : { bucket: name };
  }
}

/** How the aliases of access points (S3, Object Lambda, multi-Region, Outposts) end. */
export const ACCESS_POINT_ALIAS_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--op-s3'] as const;

/** Access point ARNs (S3, Object Lambda, Outposts) and aliases, which S3 accepts in place of a bucket name. */
export function isAccessPointName(name: string): boolean {
  return name.startsWith('arn:') || ACCESS_POINT_ALIAS_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** "arn:aws:s3:::bucket/key" -> bucket and key; undefined for any other ARN (buckets, access points, other types). */
export function objectOfArn(arn: string): { bucket: string; key: string } | undefined {
  // By hand rather than with a regular expression: every object read pays for it.
  if (!arn.startsWith('arn:')) return undefined;
  const partitionEnd = arn.indexOf(':', 4);
  if (partitionEnd <= 4 || !arn.startsWith(':s3:::', partitionEnd)) return undefined;
  const start = partitionEnd + 6;
  const slash = arn.indexOf('/', start);
  if (slash <= start || slash === arn.length - 1) return undefined;
  return { bucket: arn.slice(start, slash), key: arn.slice(slash + 1) };
}

/** The objects whose content a call returned or copied; empty for every other call. */
export function objectsRead(record: CloudTrailRecord, buckets: BucketResolver): ObjectRead[] {
  if (!S3_EVENT_SOURCES.has(record.eventSource)) return [];
  const parameters = record.requestParameters ?? undefined;
  if (record.eventSource === OBJECT_LAMBDA_EVENT_SOURCE) {
    return OBJECT_LAMBDA_READS.has(record.eventName) ? objectLambdaRead(record, buckets) : [];
  }
  if (!OBJECT_READS.has(record.eventName)) return [];
  if (COPIES.has(record.eventName)) {
    // The object ARNs of a copy name its destination (written, not read); the source is in the copy-source header.
    const header = parameters?.['x-amz-copy-source'];
    const source = typeof header === 'string' ? parseCopySource(header) : undefined;
    if (!source) return [];
    const resolved = buckets.bucketOf(source.bucket);
    return resolved ? [{ bucket: resolved.bucket, key: source.key, via: resolved.via }] : [];
  }
  // Both the object ARNs and the request parameters: should CloudTrail ever write the key differently in the two,
  // each form is judged, and a sensitive key is not missed for its spelling.
  const objects = objectResources(record);
  const name = parameters?.bucketName;
  const key = parameters?.key;
  if (typeof name !== 'string' || typeof key !== 'string') return objects;
  const resolved = buckets.bucketOf(name);
  if (resolved && !objects.some((object) => object.bucket === resolved.bucket && object.key === key)) {
    objects.push({ bucket: resolved.bucket, key, via: resolved.via });
  }
  return objects;
}

function objectResources(record: CloudTrailRecord): ObjectRead[] {
  const objects: ObjectRead[] = [];
  for (const resource of record.resources ?? []) {
    if (resource.type !== 'AWS::S3::Object' || typeof resource.ARN !== 'string') continue;
    const object = objectOfArn(resource.ARN);
    if (object) objects.push(object);
  }
  return objects;
}

/**
 * A GetObject through an S3 Object Lambda access point: the caller receives the function's transformation of the
 * object, so it is judged as a read of the object by that caller. The access point is taken from the record's
 * resources, its bucketName, or the host the request was sent to (`<name>-<account>.s3-object-lambda.<region>...`).
 */
function objectLambdaRead(record: CloudTrailRecord, buckets: BucketResolver): ObjectRead[] {
  const fromResources = objectResources(record);
  if (fromResources.length > 0) return fromResources;
  const parameters = record.requestParameters ?? undefined;
  const key = parameters?.key;
  if (typeof key !== 'string') return [];
  const names: string[] = [];
  for (const resource of record.resources ?? []) if (typeof resource.ARN === 'string') names.push(resource.ARN);
  if (typeof parameters?.bucketName === 'string') names.push(parameters.bucketName);
  const host = parameters?.Host ?? parameters?.host;
  const hosted = typeof host === 'string' ? OBJECT_LAMBDA_HOST.exec(host) : null;
  if (hosted) names.push(`arn:aws:s3-object-lambda:${hosted[3]}:${hosted[2]}:accesspoint/${hosted[1]}`);
  for (const name of names) {
    const resolved = buckets.bucketOf(name);
    if (resolved?.via !== undefined) return [{ bucket: resolved.bucket, key, via: resolved.via }];
  }
  return [];
}

/** The host of a request to an Object Lambda access point: its name, its account and its region. */
export const OBJECT_LAMBDA_HOST = /^([a-z0-9-]+)-(\d{12})\.s3-object-lambda\.([a-z0-9-]+)\.amazonaws\.com$/;
/** A copy source naming an object through an access point starts with the access point's ARN, then "/object/". */
export const COPY_SOURCE_ACCESS_POINT_PREFIX = /^(arn:[^:]+:s3(?:-outposts)?:[^:]*:\d{12}:(?:outpost\/[^/]+\/)?accesspoint\/[^/]+)\/object\//;
/** The same, with the key: everything after the prefix, line breaks included, at least one character. */
const COPY_SOURCE_ACCESS_POINT = new RegExp(`${COPY_SOURCE_ACCESS_POINT_PREFIX.source}(.+)$`, 's');
/** Where a copy source's version query begins. */
export const COPY_SOURCE_VERSION = '?versionId=';

/**
 * The source of a copy, from the `x-amz-copy-source` header as CloudTrail records it: "bucket/key" (the bucket may be
 * an access point alias), or the object's ARN through an access point,
 * "arn:aws:s3:<region>:<account>:accesspoint/<name>/object/<key>", either URL-encoded and optionally followed by
 * "?versionId=..." (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). For an ARN the bucket
 * returned is the access point's ARN, for BucketResolver to map.
 */
export function parseCopySource(source: string): { bucket: string; key: string } | undefined {
  let text = source.startsWith('/') ? source.slice(1) : source;
  const query = text.indexOf(COPY_SOURCE_VERSION);
  if (query >= 0) text = text.slice(0, query);
  try {
    text = decodeURIComponent(text);
  } catch {
    // Not percent-encoded after all: judge it as written.
  }
  if (text.startsWith('arn:')) {
    const match = COPY_SOURCE_ACCESS_POINT.exec(text);
    return match ? { bucket: match[1], key: match[2] } : undefined;
  }
  const slash = text.indexOf('/');
  return slash > 0 && slash < text.length - 1 ? { bucket: text.slice(0, slash), key: text.slice(slash + 1) } : undefined;
}

/*
 * The forms in which the configuration lists a monitored bucket's access points. Access point names are 3-50
 * characters, unique only within an account and Region
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-restrictions-limitations-naming-rules.html);
 * their ARNs and "-s3alias" aliases are described in
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-naming.html. Multi-Region access points are
 * named by an alias ending in ".mrap", which CloudTrail records
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointCloudTrail.html). Object Lambda
 * access point names are 3-45 characters, their ARNs use the service "s3-object-lambda" and their aliases end in
 * "--ol-s3" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ObjectLambdaAccessPoint.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-use.html).
 */
const ACCESS_POINT_FORMS: readonly RegExp[] = [
  /^arn:aws(?:-cn|-us-gov)?:s3:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:accesspoint\/[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/,
  /^[a-z0-9][a-z0-9-]{1,61}-s3alias$/,
  /^arn:aws(?:-cn|-us-gov)?:s3::\d{12}:accesspoint\/[a-z0-9]+\.mrap$/,
  /^[a-z0-9]+\.mrap$/,
  /^arn:aws(?:-cn|-us-gov)?:s3-object-lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:accesspoint\/[a-z0-9][a-z0-9-]{1,43}[a-z0-9]$/,
  /^[a-z0-9][a-z0-9-]{1,61}--ol-s3$/,
];

export const ACCESS_POINT_EXPECTED =
  'an access point ARN ("arn:aws:s3:eu-west-1:111122223333:accesspoint/records-api") or alias ("...-s3alias"), ' +
  'a multi-Region access point ARN or alias ("....mrap"), or an Object Lambda access point ARN or alias ("...--ol-s3")';

/** Whether a value names an access point in one of the forms the configuration accepts. */
export function isAccessPointId(value: string): boolean {
  return ACCESS_POINT_FORMS.some((form) => form.test(value));
}
