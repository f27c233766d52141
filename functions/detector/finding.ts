import type { Caller } from './caller';
import type { CloudTrailRecord } from './cloudtrail';
import type { MassDownloadVolume } from './mass-download/finding';

export type RuleId =
  | 'sensitive-object-access'
  | 'instance-credentials-outside-aws'
  | 'bucket-enumeration'
  | 'vpc-endpoint-access'
  | 'mass-download';

/** What a rule reports: which rule, why, and the who / from where / what of the call. */
export interface Finding {
  /** The finding's own id, for findings a person acts on by id (mass download: `npm run approve -- <id>`). */
  readonly id?: string;
  readonly rule: RuleId;
  readonly reason: string;
  readonly who: {
    readonly type: string;
    readonly kind: Caller['kind'];
    readonly name: string;
    readonly arn?: string;
    readonly roleArn?: string;
    readonly accountId?: string;
    readonly accessKeyId?: string;
    readonly instanceId?: string;
  };
  readonly from: {
    readonly sourceIp?: string;
    readonly vpcEndpointId?: string;
    readonly vpcEndpointAccountId?: string;
    readonly userAgent?: string;
  };
  readonly what: {
    readonly eventName: string;
    readonly eventSource: string;
    readonly bucket?: string;
    readonly key?: string;
    readonly eventId: string;
    readonly eventTime: string;
    readonly region?: string;
    readonly account?: string;
    readonly errorCode?: string;
  };
  /** How much was read, for findings about volume (mass-download/finding.ts). */
  readonly volume?: MassDownloadVolume;
}

/** Assembles a finding from the record and its classified caller. */
export function findingOf(
  rule: RuleId,
  reason: string,
  record: CloudTrailRecord,
  caller: Caller,
  object?: { bucket?: string; key?: string },
): Finding {
  return {
    rule,
    reason,
    who: {
      type: caller.type,
      kind: caller.kind,
      name: caller.name,
      arn: caller.arn,
      roleArn: caller.roleArn,
      accountId: caller.accountId,
      accessKeyId: caller.accessKeyId,
      instanceId: caller.instanceId,
    },
    from: {
      sourceIp: record.sourceIPAddress,
      vpcEndpointId: record.vpcEndpointId,
      vpcEndpointAccountId: record.vpcEndpointAccountId,
      userAgent: record.userAgent,
    },
    what: {
      eventName: record.eventName,
      eventSource: record.eventSource,
      bucket: object?.bucket,
      key: object?.key,
      eventId: record.eventID,
      eventTime: record.eventTime,
      region: record.awsRegion,
      account: record.recipientAccountId,
      errorCode: record.errorCode,
    },
  };
}

/** What each rule reports, in words: the start of a subject. */
export const RULE_LABELS: Record<RuleId, string> = {
  'sensitive-object-access': 'Sensitive S3 read',
  'instance-credentials-outside-aws': 'Instance credentials used outside AWS',
  'bucket-enumeration': 'S3 bucket enumeration',
  'vpc-endpoint-access': 'VPC endpoint access',
  'mass-download': 'S3 mass download',
};

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export const SUBJECT_LIMIT = 100;

/** A subject a person can triage from: what happened, by whom, from where, on what; shortened to SNS's limit. */
export function subjectOf(finding: Finding): string {
  const target =
    finding.what.bucket !== undefined
      ? ` ${finding.what.bucket}${finding.what.key !== undefined ? `/${finding.what.key}` : ''}`
      : ` ${finding.what.eventName}`;
  const origin = finding.from.vpcEndpointId ?? finding.from.sourceIp ?? 'unknown address';
  // Who and where first: a long key is what gets cut. The account is in the body (and implied by the bucket).
  const outcome = finding.what.errorCode ? ` (${finding.what.errorCode})` : '';
  const head = `${RULE_LABELS[finding.rule]}${outcome} by ${finding.who.name} from ${origin}:`;
  const subject = `${head}${target}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length <= SUBJECT_LIMIT ? subject : `${subject.slice(0, SUBJECT_LIMIT - 3)}...`;
}

/**
 * The message body: the finding as JSON, plus the response taken or planned when there is one, and how many findings
 * of the same rule, principal and source were aggregated since the last message.
 */
export function messageOf(finding: Finding, response?: unknown, repeats?: { readonly suppressedInPreviousWindow: number }): string {
  return JSON.stringify({ ...finding, ...(response === undefined ? {} : { response }), ...(repeats === undefined ? {} : { repeats }) }, null, 2);
}
