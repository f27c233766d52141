import type { Finding } from './finding';
import { parseIp } from './network';
import type { DetectorSettings, ResponseMode } from './settings';

/*
 * The optional response: revoke a flagged role's active sessions the way the IAM console's "Revoke active sessions"
 * does, with an inline policy that denies everything to sessions issued before a point in time
 * (`aws:TokenIssueTime`, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html). The role
 * keeps working for sessions issued afterwards (an instance fetches fresh credentials), while the stolen copy stops.
 *
 * Revoking cuts off every holder of the role, so it follows only strong evidence, and never touches the roles that
 * run or repair the baseline:
 * - a successful read of a sensitive key, or instance credentials used successfully from an address outside AWS
 *   (no VPC endpoint, no AWS service); never enumeration, never a denied call (anyone can probe and be refused);
 * - never a protected role (deployment, break-glass, log readers, the detector's own), a service-linked role or an
 *   Identity Center role, nor one in an account without the response role (management, log archive);
 * - the point in time is the event's, not the processing time: a retried or late event revokes the same sessions,
 *   and a policy already covering it is never moved back (see revocationDecision).
 */

export const REVOCATION_POLICY_NAME = 'RevokeOlderSessions';

/** How long after one revocation of a role a later finding leaves the role alone (reported, not applied). */
export const REVOCATION_COOLDOWN_MS = 15 * 60 * 1000;

/** An event time this far ahead of the clock is not trusted to set a revocation time. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export type RevocationPlan = {
  readonly action: 'revoke-role-sessions';
  readonly mode: Exclude<ResponseMode, 'off'>;
  readonly roleArn: string;
  readonly roleName: string;
  /** The role assumed in the flagged role's account to put the policy. */
  readonly responseRoleArn: string;
  readonly policyName: string;
  /** Sessions issued before this instant are denied: the event time rounded up to the next second. */
  readonly revokeIssuedBefore: string;
  readonly policyDocument: string;
};

export type ResponsePlan = RevocationPlan | { readonly action: 'none'; readonly mode: Exclude<ResponseMode, 'off'>; readonly reason: string };

type ResponseSettings = Pick<DetectorSettings, 'response' | 'responseRoleName' | 'protectedRoles' | 'responseAccountIds'>;

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[^/]+\/)*)([^/]+)$/;

/** Why a finding is not evidence enough to revoke; undefined when it is. */
export function weakEvidence(finding: Finding): string | undefined {
  // A window of reads: evidence when some were served, whichever read completed it.
  if (finding.rule === 'mass-download') {
    return finding.volume !== undefined && finding.volume.reads > finding.volume.deniedReads ? undefined : 'every read in the window was denied: a probe is not a use';
  }
  if (finding.what.errorCode !== undefined) return `the call was denied (${finding.what.errorCode}): a probe is not a use`;
  switch (finding.rule) {
    case 'sensitive-object-access':
      return undefined;
    case 'instance-credentials-outside-aws':
      if (finding.from.vpcEndpointId !== undefined) return 'the call came through a VPC endpoint, inside AWS';
      return finding.from.sourceIp !== undefined && parseIp(finding.from.sourceIp) !== undefined
        ? undefined
        : 'the call did not come from an address outside AWS';
    case 'vpc-endpoint-access':
      // A network activity record says which endpoint carried a call, not what the call read or wrote.
      return 'a call through a VPC endpoint is not evidence of what it reached';
    default:
      return 'enumeration is not evidence of stolen credentials';
  }
}

/** What the response would do for a finding; undefined when the response is off. */
export function responsePlan(finding: Finding, settings: ResponseSettings, now: Date): ResponsePlan | undefined {
  const mode = settings.response;
  if (mode === 'off') return undefined;
  const none = (reason: string): ResponsePlan => ({ action: 'none', mode, reason });
  const { kind, roleArn } = finding.who;
  if (kind !== 'role-session' && kind !== 'instance-role-session') {
    return none(
      kind === 'identity-center'
        ? 'Identity Center roles are managed by Identity Center: revoke the user session there'
        : kind === 'aws-service'
          ? 'AWS service callers are not revoked'
          : `no role session to revoke for a ${kind} caller`,
    );
  }
  const weak = weakEvidence(finding);
  if (weak !== undefined) return none(weak);
  const match = roleArn ? ROLE_ARN.exec(roleArn) : null;
  if (!match) return none('the role ARN of the session is unknown');
  const [, partition, account, path, roleName] = match;
  if (path.startsWith('aws-service-role/') || path.startsWith('aws-reserved/')) return none('roles managed by AWS are never revoked');
  if (roleName === settings.responseRoleName) return none('the response role is never revoked by itself');
  if (isProtected(roleArn!, roleName, settings.protectedRoles)) return none(`${roleName} is a protected role`);
  if (!settings.responseAccountIds.includes(account)) return none(`account ${account} has no response role`);
  const eventTime = Date.parse(finding.what.eventTime);
  if (Number.isNaN(eventTime)) return none('the event time is not a time');
  if (eventTime > now.getTime() + FUTURE_TOLERANCE_MS) return none('the event time is in the future');
  // CloudTrail writes whole seconds: the credentials used were issued before the end of the event's second.
  const revokeIssuedBefore = new Date(Math.floor(eventTime / 1000) * 1000 + 1000).toISOString().replace('.000Z', 'Z');
  return {
    action: 'revoke-role-sessions',
    mode,
    roleArn: roleArn!,
    roleName,
    responseRoleArn: `arn:${partition}:iam::${account}:role/${settings.responseRoleName}`,
    policyName: REVOCATION_POLICY_NAME,
    revokeIssuedBefore,
    policyDocument: revocationPolicy(revokeIssuedBefore),
  };
}

function isProtected(roleArn: string, roleName: string, protectedRoles: readonly string[]): boolean {
  const arn = roleArn.toLowerCase();
  const name = roleName.toLowerCase();
  return protectedRoles.some((entry) => {
    const text = entry.toLowerCase();
    return text.startsWith('arn:') ? text === arn : text === name;
  });
}

export function revocationPolicy(revokeIssuedBefore: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeIssuedBefore } } }],
  });
}

/** What to do given the revocation policy already on the role (its document, URL-decoded), if any. */
export type RevocationDecision = 'apply' | 'covered' | 'cooldown';

/**
 * The role's own policy is the shared state across every running copy of the function: a revocation time is never
 * moved back (an older or retried event is already covered), and within the cooldown of the last revocation a later
 * finding does not cut off the sessions issued since (each revocation also cuts off the role's legitimate users).
 */
export function revocationDecision(existingDocument: string | undefined, plan: RevocationPlan): RevocationDecision {
  const existing = existingDocument === undefined ? undefined : revokedBefore(existingDocument);
  if (existing === undefined) return 'apply';
  const wanted = Date.parse(plan.revokeIssuedBefore);
  if (existing >= wanted) return 'covered';
  return wanted - existing < REVOCATION_COOLDOWN_MS ? 'cooldown' : 'apply';
}

/** The revocation time of a policy this detector wrote; undefined for anything else (which is then replaced). */
function revokedBefore(document: string): number | undefined {
  try {
    const parsed = JSON.parse(document) as { Statement?: { Condition?: { DateLessThan?: Record<string, unknown> } }[] };
    const value = parsed.Statement?.[0]?.Condition?.DateLessThan?.['aws:TokenIssueTime'];
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined;
  }
}
