import { S3_EVENT_SOURCES } from '../../../functions/detector/cloudtrail';
import { COPY_EVENT_NAMES, OBJECT_READ_EVENT_NAMES } from '../../../functions/detector/event-names';
import { foldCase } from '../../../functions/detector/glob';
import {
  ACCESS_POINT_ALIAS_SUFFIXES,
  type BucketResolver,
  COPY_SOURCE_ACCESS_POINT_PREFIX,
  COPY_SOURCE_VERSION,
  OBJECT_LAMBDA_EVENT_SOURCE,
  OBJECT_LAMBDA_HOST,
  OBJECT_LAMBDA_READ_EVENT_NAMES,
} from '../../../functions/detector/s3-object';
import type { MonitoredBucketSettings } from '../../../functions/detector/settings';
import { allOf, anyOf, atLeast, globLikePattern, holds, inList, like, likeLiteral, regexpGroup, regexpLike, sqlString, startsWith } from '../portable-sql';
import type { DerivedStages } from './derived-columns';

/*
 * Which sensitive object a call read (functions/detector/s3-object.ts and patterns.ts), in SQL: the object ARNs of
 * `resources`, the bucket and key of the request parameters, the source of a copy (its `x-amz-copy-source` header,
 * percent-decoded), and reads through S3 Object Lambda; access points mapped to their bucket through the same table
 * the detector builds (BucketResolver.accessPoints).
 */

const parameter = (key: string) => `json_extract_scalar(requestparameters, ${sqlString(/^\w+$/.test(key) ? `$.${key}` : `$["${key}"]`)})`;

/** Whether a key matches a bucket's key patterns: globs over the whole key, `keyword:` anywhere; without case. */
export function keyMatchesSql(patterns: readonly string[], key: string): string {
  const conditions = patterns.map((pattern) =>
    pattern.startsWith('keyword:')
      ? like(`lower(${key})`, `%${globLikePattern(foldCase(pattern.slice('keyword:'.length)))}%`)
      : like(`lower(${key})`, globLikePattern(foldCase(pattern))),
  );
  return anyOf(conditions);
}

/** Whether bucket and key name a sensitive object of a monitored bucket. */
export function sensitiveObjectSql(buckets: readonly MonitoredBucketSettings[], bucket: string, key: string): string {
  return anyOf(buckets.map((monitored) => allOf([`${bucket} = ${sqlString(monitored.name)}`, keyMatchesSql(monitored.keyPatterns, key)])));
}

/** The bucket an access point id (ARN or alias, any case) belongs to, NULL for any other name. */
function accessPointBucketSql(resolver: BucketResolver, name: string): string {
  const entries = resolver.accessPoints;
  if (entries.length === 0) return 'CAST(NULL AS VARCHAR)';
  return `CASE lower(${name}) ${entries.map(([id, bucket]) => `WHEN ${sqlString(id)} THEN ${sqlString(bucket)}`).join(' ')} END`;
}

/** BucketResolver.bucketOf: an access point's bucket, the name itself when it is no access point, else NULL. */
function bucketOfSql(resolver: BucketResolver, name: string): string {
  const accessPointName = anyOf([startsWith(name, 'arn:'), ...ACCESS_POINT_ALIAS_SUFFIXES.map((suffix) => like(name, `%${likeLiteral(suffix)}`))]);
  return `COALESCE(${accessPointBucketSql(resolver, name)}, CASE WHEN ${accessPointName} THEN NULL ELSE ${name} END)`;
}

/** objectOfArn: "arn:<partition>:s3:::<bucket>/<key>" as its validity, bucket and key. */
function objectOfArnSql(arn: string): { valid: string; bucket: string; key: string } {
  const rest = `substr(${arn}, 5)`;
  const colon = `strpos(${rest}, ':')`;
  const path = `substr(${rest}, ${colon} + 6)`;
  const slash = `strpos(${path}, '/')`;
  return {
    valid: allOf([startsWith(arn, 'arn:'), `${colon} > 1`, `substr(${rest}, ${colon}, 6) = ':s3:::'`, `${slash} > 1`, `${slash} < length(${path})`]),
    bucket: `substr(${path}, 1, ${atLeast(`${slash} - 1`, 0)})`,
    key: `substr(${path}, ${slash} + 1)`,
  };
}

/**
 * decodeURIComponent, for a text whose every "%" starts an escape of an ASCII character (%00-%7F): each escape
 * replaced, "%25" last so that a "%" it makes is not read again. A text with any other "%" is left as written, as the
 * detector leaves a text decodeURIComponent refuses; the one difference is a text with escaped UTF-8 bytes
 * (%80-%FF), which the detector decodes and the hunt does not (docs/hunting.md).
 */
export function percentDecodeSql(text: string): string {
  let decoded = text;
  const codes = [...Array.from({ length: 128 }, (_, code) => code).filter((code) => code !== 0x25), 0x25];
  for (const code of codes) {
    const hex = code.toString(16).padStart(2, '0');
    const character = code < 0x20 || code === 0x7f || code === 0x27 ? `chr(${code})` : sqlString(String.fromCharCode(code));
    for (const spelling of new Set([hex, hex.toUpperCase()])) decoded = `replace(${decoded}, '%${spelling}', ${character})`;
  }
  const undecodable = anyOf([regexpLike(text, /%(?:[^0-7]|[0-7][^0-9A-Fa-f])/), regexpLike(text, /%[0-7]?$/)]);
  return `CASE WHEN strpos(${text}, '%') = 0 OR ${holds(undecodable)} THEN ${text} ELSE ${decoded} END`;
}

/** The copy source, trimmed of its leading "/" and version, decoded: `hunt_copy_source`, and its parts. */
export const COPY_SOURCE_STAGES: DerivedStages = [
  [
    {
      name: 'hunt_copy_trimmed',
      expression: `CASE WHEN substr(${parameter('x-amz-copy-source')}, 1, 1) = '/' THEN substr(${parameter('x-amz-copy-source')}, 2) ELSE ${parameter('x-amz-copy-source')} END`,
    },
  ],
  [
    {
      name: 'hunt_copy_unversioned',
      expression: `CASE WHEN strpos(hunt_copy_trimmed, ${sqlString(COPY_SOURCE_VERSION)}) > 0 THEN substr(hunt_copy_trimmed, 1, ${atLeast(`strpos(hunt_copy_trimmed, ${sqlString(COPY_SOURCE_VERSION)}) - 1`, 0)}) ELSE hunt_copy_trimmed END`,
    },
  ],
  [{ name: 'hunt_copy_source', expression: percentDecodeSql('hunt_copy_unversioned') }],
  [
    { name: 'hunt_copy_access_point', expression: regexpGroup('hunt_copy_source', COPY_SOURCE_ACCESS_POINT_PREFIX, 1) },
    { name: 'hunt_copy_slash', expression: "strpos(hunt_copy_source, '/')" },
  ],
];

/** The condition that the call read a sensitive object (objectsRead + the bucket's key patterns); never NULL. */
export function readsSensitiveObjectSql(buckets: readonly MonitoredBucketSettings[], resolver: BucketResolver): string {
  const sensitive = (bucket: string, key: string) => sensitiveObjectSql(buckets, bucket, key);
  const object = objectOfArnSql('r.arn');
  const objectResource = allOf([`r.type = 'AWS::S3::Object'`, 'r.arn IS NOT NULL', object.valid]);
  const resourceReadsSensitive = `cardinality(filter(resources, r -> ${holds(allOf([objectResource, sensitive(object.bucket, object.key)]))})) > 0`;
  const bucketName = parameter('bucketName');
  const key = parameter('key');
  const parametersReadSensitive = allOf([`${bucketName} IS NOT NULL`, `${key} IS NOT NULL`, sensitive(bucketOfSql(resolver, bucketName), key)]);

  const copyKey = 'substr(hunt_copy_source, length(hunt_copy_access_point) + 9)';
  const copyReadsSensitive = [
    `CASE WHEN ${startsWith('hunt_copy_source', 'arn:')} THEN ${allOf([
      'hunt_copy_access_point IS NOT NULL',
      'length(hunt_copy_source) > length(hunt_copy_access_point) + 8',
      sensitive(accessPointBucketSql(resolver, 'hunt_copy_access_point'), copyKey),
    ])}`,
    `ELSE ${allOf([
      'hunt_copy_slash > 1',
      'hunt_copy_slash < length(hunt_copy_source)',
      sensitive(bucketOfSql(resolver, `substr(hunt_copy_source, 1, ${atLeast('hunt_copy_slash - 1', 0)})`), 'substr(hunt_copy_source, hunt_copy_slash + 1)'),
    ])} END`,
  ].join(' ');

  // Object Lambda: the object ARNs when there are any; else the first name (a resource ARN, the bucket name, the
  // access point the host names) that is a configured access point gives the bucket, and the parameters the key.
  const host = `COALESCE(${parameter('Host')}, ${parameter('host')})`;
  const hostArn = `'arn:aws:s3-object-lambda:' || ${regexpGroup(host, OBJECT_LAMBDA_HOST, 3)} || ':' || ${regexpGroup(host, OBJECT_LAMBDA_HOST, 2)} || ':accesspoint/' || ${regexpGroup(host, OBJECT_LAMBDA_HOST, 1)}`;
  const accessPointIds = resolver.accessPoints.map(([id]) => id);
  const firstAccessPointResource = `element_at(filter(resources, r -> ${holds(allOf(['r.arn IS NOT NULL', inList('lower(r.arn)', accessPointIds)]))}), 1).arn`;
  const lambdaBucket =
    accessPointIds.length === 0
      ? 'CAST(NULL AS VARCHAR)'
      : `COALESCE(${[firstAccessPointResource, bucketName, hostArn].map((name) => accessPointBucketSql(resolver, name)).join(', ')})`;
  const lambdaReadsSensitive = [
    `CASE WHEN ${holds(`cardinality(filter(resources, r -> ${holds(objectResource)})) > 0`)} THEN ${resourceReadsSensitive}`,
    `ELSE ${allOf([`${key} IS NOT NULL`, `${lambdaBucket} IS NOT NULL`, sensitive(lambdaBucket, key)])} END`,
  ].join(' ');

  return holds(
    [
      `CASE WHEN NOT ${holds(inList('eventsource', [...S3_EVENT_SOURCES]))} THEN FALSE`,
      `WHEN eventsource = ${sqlString(OBJECT_LAMBDA_EVENT_SOURCE)} THEN ${holds(inList('eventname', OBJECT_LAMBDA_READ_EVENT_NAMES))} AND ${holds(lambdaReadsSensitive)}`,
      `WHEN NOT ${holds(inList('eventname', OBJECT_READ_EVENT_NAMES))} THEN FALSE`,
      `WHEN eventname IN (${COPY_EVENT_NAMES.map(sqlString).join(', ')}) THEN ${holds(copyReadsSensitive)}`,
      `ELSE ${holds(resourceReadsSensitive)} OR ${holds(parametersReadSensitive)} END`,
    ].join('\n      '),
  );
}
