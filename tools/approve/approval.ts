import type { Finding } from '../../functions/detector/finding';
import { cutOffPolicyName } from '../../functions/detector/mass-download/cut-off';

/*
 * Lifting a mass-download cut-off, once a person has looked at the finding: the finding is read from the detector's
 * state table, the cut-off policy it names is removed from the role, and the approval (who, when) is written beside
 * the finding. The detector never does this itself. The AWS calls are passed in, so that tests run without AWS.
 */

export interface StoredFinding {
  readonly finding: Finding;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
}

export interface ApprovalApi {
  /** The finding the detector stored under this id; undefined when there is none. */
  finding(findingId: string): Promise<StoredFinding | undefined>;
  /** The ARN of whoever runs the command (sts:GetCallerIdentity). */
  caller(): Promise<string>;
  /** Removes the role's inline policy, in the role's account; false when it was not there. */
  removeRolePolicy(accountId: string, roleName: string, policyName: string): Promise<boolean>;
  /** Records the approval on the finding. */
  recordApproval(findingId: string, approvedBy: string, approvedAt: string): Promise<void>;
}

export interface ApprovalPlan {
  readonly findingId: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly policyName: string;
  readonly bucket: string;
  readonly summary: string;
}

/** Thrown for what a person must fix (unknown id, a finding that names no role); the message says what. */
export class ApprovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalError';
  }
}

export const FINDING_ID = /^md-[0-9a-f]{20}$/;

/** What approving a finding would remove. */
export function approvalPlan(stored: StoredFinding, findingId: string): ApprovalPlan {
  const { finding } = stored;
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/.exec(finding.who.roleArn ?? '');
  if (finding.rule !== 'mass-download' || !match || finding.what.bucket === undefined) {
    throw new ApprovalError(`finding ${findingId} names no role cut off from a bucket: nothing to approve`);
  }
  const volume = finding.volume;
  const summary = volume
    ? `${volume.reads} reads of ${finding.what.bucket} by ${finding.who.roleArn} from ${volume.firstEventTime} to ${volume.lastEventTime} (${volume.sourceIps.join(', ') || 'no address'})`
    : `reads of ${finding.what.bucket} by ${finding.who.roleArn}`;
  return { findingId, accountId: match[1], roleName: match[2], policyName: cutOffPolicyName(findingId), bucket: finding.what.bucket, summary };
}

/** Prints the plan; with `apply`, removes the cut-off and records who approved it. Resolves to the lines printed. */
export async function approve(findingId: string, apply: boolean, api: ApprovalApi, now: () => Date = () => new Date()): Promise<string[]> {
  if (!FINDING_ID.test(findingId)) throw new ApprovalError(`"${findingId}" is not a mass-download finding id (md- and 20 hexadecimal digits, as the finding names it)`);
  const stored = await api.finding(findingId);
  if (!stored) throw new ApprovalError(`no finding ${findingId} in the detector's state table`);
  const plan = approvalPlan(stored, findingId);
  const lines = [`Finding ${findingId}: ${plan.summary}`];
  if (stored.approvedBy) lines.push(`Already approved by ${stored.approvedBy} at ${stored.approvedAt ?? 'an unknown time'}.`);
  const action = `remove the inline policy ${plan.policyName} from role ${plan.roleName} in account ${plan.accountId}, restoring its access to ${plan.bucket}`;
  if (!apply) {
    lines.push(`Would ${action}.`, 'Run again with --apply to do it.');
    return lines;
  }
  const approvedBy = await api.caller();
  const removed = await api.removeRolePolicy(plan.accountId, plan.roleName, plan.policyName);
  const approvedAt = now().toISOString();
  await api.recordApproval(findingId, approvedBy, approvedAt);
  lines.push(
    removed ? `Removed: ${action.replace(/^remove /, '')}.` : `No ${plan.policyName} on role ${plan.roleName}: no cut-off was in place (it was not applied, or was removed already).`,
    `Approved by ${approvedBy} at ${approvedAt} (recorded on the finding).`,
  );
  return lines;
}
