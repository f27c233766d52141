import { isIP } from 'node:net';
import type { CloudTrailRecord } from './cloudtrail';
import type { Finding } from './finding';
import type { ResponsePlan } from './response';

/*
 * The detection drill, as the detector sees it. On a schedule, a dedicated drill role in the account owning each
 * monitored bucket reads that bucket's canary object through S3's public endpoint, exactly as an intruder would. The
 * read crosses every hop a real one does (the trail's selectors, the owner's default bus, the forwarding rule, the
 * detector's bus and rule, this function), so its arrival here proves the chain works; its absence raises an alarm.
 *
 * A drill read is recognized only when everything matches the configuration at once: the event is a GetObject by a
 * session of that account's drill role, in the bucket's account and region, of exactly the canary key, from a network
 * address (the drill runs as an ordinary client, not through an AWS service). It then becomes a heartbeat (a metric per
 * bucket) instead of a page. Nothing else changes: the drill role is in no allow-list, its other calls and any other
 * principal's read of the canary are judged by the rules as before, and other rules' findings on the same record
 * still go out.
 */

/** The namespace of the detector's metrics (the handler's METRIC_NAMESPACE; kept equal by a test). */
export const DRILL_METRIC_NAMESPACE = 'S3AccessDetector';
/** Counted once per drill read that arrives, with a `Bucket` dimension; its absence raises the heartbeat alarm. */
export const DRILL_HEARTBEAT_METRIC = 'DrillHeartbeat';
/** Counted when a drill read arrives but failed (denied, missing canary): the chain works, the read did not. */
export const DRILL_FAILED_READ_METRIC = 'DrillFailedReads';
/**
 * Counted when a drill read arrives but the rules did not flag it (the drill role, its address or the canary key was
 * allowed after all): no heartbeat then, since the detector would also let an intruder's read of that kind through.
 */
export const DRILL_NOT_FLAGGED_METRIC = 'DrillNotFlagged';

/** One monitored bucket's canary, and who reads it. */
export interface DrillCanary {
  readonly bucket: string;
  readonly key: string;
  /** The account owning the bucket, where the drill role lives. */
  readonly accountId: string;
  readonly region: string;
  /** The drill role of that account: `arn:aws:iam::<account>:role/<name>`. */
  readonly roleArn: string;
}

export interface DrillSettings {
  readonly canaries: readonly DrillCanary[];
}

export const NO_DRILL: DrillSettings = Object.freeze({ canaries: Object.freeze([]) });

/** A drill read recognized in a record: which canary, and whether the read succeeded. */
export interface DrillRead {
  readonly canary: DrillCanary;
  readonly succeeded: boolean;
  readonly errorCode?: string;
  readonly eventId: string;
  readonly eventTime: string;
}

/** The canary a record reads as the drill, or undefined when the record is anything else. */
export function drillReadOf(record: CloudTrailRecord, drill: DrillSettings): DrillRead | undefined {
  if (drill.canaries.length === 0) return undefined;
  if (record.eventSource !== 's3.amazonaws.com' || record.eventName !== 'GetObject') return undefined;
  const parameters = record.requestParameters;
  const bucket = parameters?.bucketName;
  const key = parameters?.key;
  if (typeof bucket !== 'string' || typeof key !== 'string') return undefined;
  // S3 keys are case-sensitive, and the canary is one exact key: nothing like it is a drill.
  const canary = drill.canaries.find((candidate) => candidate.bucket === bucket && candidate.key === key);
  if (!canary) return undefined;

  const identity = record.userIdentity;
  if (identity.type !== 'AssumedRole' || identity.invokedBy !== undefined) return undefined;
  if (identity.sessionContext?.sessionIssuer?.arn !== canary.roleArn) return undefined;
  if (identity.accountId !== canary.accountId || record.recipientAccountId !== canary.accountId) return undefined;
  if (record.awsRegion !== canary.region) return undefined;
  // The drill calls S3's public endpoint from the runner's address: a service name or an endpoint is another path.
  if (record.vpcEndpointId !== undefined || isIP(record.sourceIPAddress ?? '') === 0) return undefined;

  return {
    canary,
    succeeded: record.errorCode === undefined,
    errorCode: record.errorCode,
    eventId: record.eventID,
    eventTime: record.eventTime,
  };
}

/** What the handler does with a record's findings: a drill read becomes a heartbeat, everything else goes on. */
export interface DrillRouting {
  readonly read?: DrillRead;
  /** Whether the rules flagged the drill read, as they must flag an intruder's: only then is it a heartbeat. */
  readonly flagged?: boolean;
  readonly findings: readonly Finding[];
}

/**
 * Takes the drill read out of the findings: only the sensitive-read finding of the canary read itself is replaced by
 * the heartbeat. Any other rule's finding on the record is kept, so the drill cannot hide anything but itself. A drill
 * read the rules did not flag is no heartbeat: the heartbeat proves the rule fires, not only that events arrive.
 */
export function routeDrill(record: CloudTrailRecord, findings: readonly Finding[], drill: DrillSettings): DrillRouting {
  const read = drillReadOf(record, drill);
  if (!read) return { findings };
  const isDrillFinding = (finding: Finding) =>
    finding.rule === 'sensitive-object-access' &&
    finding.what.eventId === record.eventID &&
    finding.what.bucket === read.canary.bucket &&
    finding.what.key === read.canary.key;
  return { read, flagged: findings.some(isDrillFinding), findings: findings.filter((finding) => !isDrillFinding(finding)) };
}

/**
 * The log line that records a drill read, in CloudWatch's embedded metric format: the heartbeat per bucket becomes a
 * metric without an API call, a permission or a dependency on another service being up. A failed read (denied by a
 * data perimeter, a missing canary) that was flagged still crossed every hop and the rule, so it is a heartbeat too,
 * and is counted apart as well. An unflagged drill read is counted apart and is no heartbeat.
 */
export function drillLogLine(read: DrillRead, flagged: boolean, at: Date): Record<string, unknown> {
  const metrics = flagged ? [DRILL_HEARTBEAT_METRIC, ...(read.succeeded ? [] : [DRILL_FAILED_READ_METRIC])] : [DRILL_NOT_FLAGGED_METRIC];
  const message = !flagged
    ? 'detection drill arrived, but the rules did not flag it: an intruder\'s read like it would go unreported'
    : read.succeeded
      ? 'detection drill arrived'
      : 'detection drill arrived, but its read failed';
  return {
    level: flagged && read.succeeded ? 'INFO' : 'WARN',
    message,
    bucket: read.canary.bucket,
    key: read.canary.key,
    eventId: read.eventId,
    eventTime: read.eventTime,
    ...(read.errorCode ? { errorCode: read.errorCode } : {}),
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        { Namespace: DRILL_METRIC_NAMESPACE, Dimensions: [['Bucket']], Metrics: metrics.map((name) => ({ Name: name, Unit: 'Count' })) },
      ],
    },
    Bucket: read.canary.bucket,
    ...Object.fromEntries(metrics.map((name) => [name, 1])),
  };
}

/** Whether a role ARN is one of the drill roles; IAM role names are unique regardless of case. */
export function isDrillRole(roleArn: string | undefined, drill: DrillSettings): boolean {
  if (roleArn === undefined) return false;
  const wanted = roleArn.toLowerCase();
  return drill.canaries.some((canary) => canary.roleArn.toLowerCase() === wanted);
}

/**
 * The response never acts on a drill role: revoking it would only stop the drill (and so raise its alarm), and the role
 * can do nothing but read its canaries. A plan against it becomes a described non-action.
 */
export function withoutDrillRole(plan: ResponsePlan | undefined, drill: DrillSettings): ResponsePlan | undefined {
  if (plan?.action !== 'revoke-role-sessions' || !isDrillRole(plan.roleArn, drill)) return plan;
  return { action: 'none', mode: plan.mode, reason: 'the detection drill role is never revoked: it can only read its canary objects' };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@-]{1,64}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Validates the `drill` part of settings.json; each problem names its path, value and expectation. */
export function parseDrillSettings(value: unknown, problem: (path: string, value: unknown, expected: string) => void): DrillSettings {
  if (value === undefined) return NO_DRILL;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Array.isArray((value as { canaries?: unknown }).canaries)) {
    problem('settings.drill', value, 'an object { canaries: [{ bucket, key, accountId, region, roleArn }] }');
    return NO_DRILL;
  }
  for (const extra of Object.keys(value).filter((name) => name !== 'canaries')) {
    problem(`settings.drill.${extra}`, (value as Record<string, unknown>)[extra], 'only "canaries"');
  }
  const canaries: DrillCanary[] = [];
  ((value as { canaries: unknown[] }).canaries).forEach((item, index) => {
    const path = `settings.drill.canaries[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problem(path, item, 'an object { bucket, key, accountId, region, roleArn }');
      return;
    }
    const canary = item as Record<string, unknown>;
    const check = (field: string, valid: boolean, expected: string) => {
      if (!valid) problem(`${path}.${field}`, canary[field], expected);
    };
    check('bucket', typeof canary.bucket === 'string' && BUCKET.test(canary.bucket), 'an S3 bucket name');
    check('key', typeof canary.key === 'string' && canary.key.length > 0 && Buffer.byteLength(canary.key) <= 1024, 'an S3 key of 1 to 1024 bytes');
    check('accountId', typeof canary.accountId === 'string' && /^\d{12}$/.test(canary.accountId), 'a 12-digit account id');
    check('region', typeof canary.region === 'string' && /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(canary.region), 'an AWS region such as "eu-west-1"');
    const role = typeof canary.roleArn === 'string' ? ROLE_ARN.exec(canary.roleArn) : null;
    check('roleArn', role !== null && role[1] === canary.accountId, 'the ARN of a role in the bucket\'s account (accountId)');
    for (const extra of Object.keys(canary).filter((name) => !['bucket', 'key', 'accountId', 'region', 'roleArn'].includes(name))) {
      problem(`${path}.${extra}`, canary[extra], 'one of bucket, key, accountId, region, roleArn');
    }
    canaries.push(canary as unknown as DrillCanary);
  });
  const seen = new Set<string>();
  canaries.forEach((canary, index) => {
    if (seen.has(canary.bucket)) problem(`settings.drill.canaries[${index}].bucket`, canary.bucket, 'each bucket once');
    seen.add(canary.bucket);
  });
  return { canaries };
}
