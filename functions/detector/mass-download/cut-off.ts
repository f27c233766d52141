import type { Finding } from '../finding';
import type { RevocationPlan, ResponsePlan } from '../response';

/*
 * The cut-off of a mass download (enforce mode): besides revoking the role's older sessions, an inline policy on the
 * role denies every S3 action on the bucket's objects (and listing the bucket) to every session of the role, new ones
 * included, until a person removes it with `npm run approve -- <finding id>`. The detector never removes one: it
 * has no permission to (the response role can put role policies, not delete them).
 * An identity policy's explicit deny wins over any allow, the bucket policy's included:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Reads through an access point are authorized against the access point's ARN
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html), so the bucket's access point ARNs
 * are denied too; aliases name no resource a policy can hold. S3 resource ARNs and actions:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * Same guards as the revocation (response.ts): never a protected, AWS-managed or Identity Center role, never the
 * response role itself, only in accounts with a response role, never on a window of denied reads alone.
 */

/** Policy names are "S3CutOff-<finding id>": one per finding, so approving one finding lifts that cut-off only. */
export const CUT_OFF_POLICY_PREFIX = 'S3CutOff-';

export type CutOffPlan = {
  readonly action: 'cut-off-bucket';
  readonly mode: RevocationPlan['mode'];
  readonly findingId: string;
  readonly bucket: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly responseRoleArn: string;
  readonly policyName: string;
  readonly policyDocument: string;
  /** How a person lifts it, with the deployment credentials. */
  readonly approve: string;
};

export function cutOffPolicyName(findingId: string): string {
  return `${CUT_OFF_POLICY_PREFIX}${findingId}`;
}

/** The deny on the bucket's objects (and its listing) for every session of the role. */
export function cutOffPolicy(bucket: string, accessPointArns: readonly string[], findingId: string): string {
  const points = [...accessPointArns].filter((arn) => /^arn:[^:]+:s3:[^:]+:\d{12}:accesspoint\/[^/]+$/.test(arn)).sort();
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        // Statement ids take letters and digits only.
        Sid: `MassDownloadCutOff${findingId.replace(/[^A-Za-z0-9]/g, '')}`,
        Effect: 'Deny',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`, ...points.flatMap((arn) => [arn, `${arn}/object/*`])],
      },
    ],
  });
}

/** The cut-off a mass-download finding calls for, given the revocation the same finding gets; undefined otherwise. */
export function cutOffPlan(finding: Finding, revocation: ResponsePlan | undefined, accessPointArns: readonly string[]): CutOffPlan | { readonly action: 'none'; readonly reason: string } | undefined {
  if (finding.rule !== 'mass-download' || finding.id === undefined || finding.what.bucket === undefined || revocation === undefined) return undefined;
  // The revocation's guards decide for the role: the same role, or none, and why not.
  if (revocation.action !== 'revoke-role-sessions') return { action: 'none', reason: revocation.reason };
  return {
    action: 'cut-off-bucket',
    mode: revocation.mode,
    findingId: finding.id,
    bucket: finding.what.bucket,
    roleArn: revocation.roleArn,
    roleName: revocation.roleName,
    responseRoleArn: revocation.responseRoleArn,
    policyName: cutOffPolicyName(finding.id),
    policyDocument: cutOffPolicy(finding.what.bucket, accessPointArns, finding.id),
    approve: `npm run approve -- ${finding.id}`,
  };
}
