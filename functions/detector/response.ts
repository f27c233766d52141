import type { Finding } from './finding';
import type { ResponseMode } from './settings';

/*
 * The optional response: revoke a flagged role's active sessions the way the IAM console's "Revoke active sessions"
 * does, with an inline policy that denies everything to sessions issued before now. The role itself keeps working for
 * sessions issued afterwards (an instance fetches fresh credentials), while the stolen copy stops working.
 */

export const REVOCATION_POLICY_NAME = 'RevokeOlderSessions';

export type ResponsePlan =
  | {
      readonly action: 'revoke-role-sessions';
      readonly mode: Exclude<ResponseMode, 'off'>;
      readonly roleArn: string;
      readonly roleName: string;
      /** The role assumed in the flagged role's account to put the policy. */
      readonly responseRoleArn: string;
      readonly policyName: string;
      readonly policyDocument: string;
    }
  | { readonly action: 'none'; readonly mode: Exclude<ResponseMode, 'off'>; readonly reason: string };

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** What the response would do for a finding at `now`; undefined when the response is off. */
export function responsePlan(finding: Finding, mode: ResponseMode, responseRoleName: string, now: Date): ResponsePlan | undefined {
  if (mode === 'off') return undefined;
  const { kind, roleArn } = finding.who;
  if (kind !== 'role-session' && kind !== 'instance-role-session') {
    const why =
      kind === 'identity-center'
        ? 'Identity Center roles are managed by Identity Center: revoke the user session there'
        : kind === 'aws-service'
          ? 'AWS service callers are not revoked'
          : `no role session to revoke for a ${kind} caller`;
    return { action: 'none', mode, reason: why };
  }
  const match = roleArn ? ROLE_ARN.exec(roleArn) : null;
  if (!match) return { action: 'none', mode, reason: 'the role ARN of the session is unknown' };
  const [, partition, account, roleName] = match;
  if (roleName === responseRoleName) return { action: 'none', mode, reason: 'the response role is never revoked by itself' };
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } },
      },
    ],
  };
  return {
    action: 'revoke-role-sessions',
    mode,
    roleArn: roleArn!,
    roleName,
    responseRoleArn: `arn:${partition}:iam::${account}:role/${responseRoleName}`,
    policyName: REVOCATION_POLICY_NAME,
    policyDocument: JSON.stringify(policy),
  };
}
