/*
 * Which member accounts still hold root user credentials, read the way AWS documents it for centralized root access:
 * the management account (or the delegated administrator for IAM) opens a root session in each member account with
 * sts:AssumeRoot scoped by the AWS task policy IAMAuditRootUserCredentials, and reads the root user's password, access
 * keys, signing certificates and MFA devices.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html#security-iam-awsmanpol-IAMAuditRootUserCredentials
 */

/** The AWS task policy that limits a root session to reading the root user's credentials. */
export const AUDIT_TASK_POLICY_ARN = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';

/** The organization feature without which member root credentials cannot be audited or removed centrally. */
export const ROOT_CREDENTIALS_MANAGEMENT = 'RootCredentialsManagement';

/** What the root user of one account holds. */
export interface RootCredentialStatus {
  readonly password: boolean;
  readonly accessKeys: number;
  readonly signingCertificates: number;
  /** MFA devices are not credentials on their own; reported so a password without MFA stands out. */
  readonly mfaDevices: number;
}

/** The AWS calls the audit makes; the command-line tool passes the SDK, tests pass fakes. */
export interface RootCredentialsApi {
  /** iam:ListOrganizationsFeatures, from the calling (management or delegated administrator) account. */
  enabledFeatures(): Promise<readonly string[]>;
  /** sts:AssumeRoot into the account with the audit task policy, then the root user's credential reads. */
  rootCredentialStatus(accountId: string): Promise<RootCredentialStatus>;
}

export interface AuditedAccount {
  readonly name: string;
  readonly id: string;
}

export type AccountVerdict =
  | { readonly account: AuditedAccount; readonly verdict: 'no root credentials'; readonly status: RootCredentialStatus }
  | { readonly account: AuditedAccount; readonly verdict: 'holds root credentials'; readonly status: RootCredentialStatus; readonly holds: readonly string[] }
  | { readonly account: AuditedAccount; readonly verdict: 'not audited'; readonly reason: string };

export interface RootCredentialsAudit {
  /** Set when the audit could not start, e.g. centralized root access is not enabled. */
  readonly blocked?: string;
  readonly accounts: readonly AccountVerdict[];
}

/** The credentials an account's root user still holds, in words. */
export function heldCredentials(status: RootCredentialStatus): string[] {
  return [
    ...(status.password ? ['a password'] : []),
    ...(status.accessKeys > 0 ? [`${status.accessKeys} access key${status.accessKeys > 1 ? 's' : ''}`] : []),
    ...(status.signingCertificates > 0 ? [`${status.signingCertificates} signing certificate${status.signingCertificates > 1 ? 's' : ''}`] : []),
  ];
}

/** Audits every given member account, one at a time (AssumeRoot sessions are short; the calls are few). */
export async function auditRootCredentials(accounts: readonly AuditedAccount[], api: RootCredentialsApi): Promise<RootCredentialsAudit> {
  const features = await api.enabledFeatures();
  if (!features.includes(ROOT_CREDENTIALS_MANAGEMENT)) {
    return {
      blocked: `${ROOT_CREDENTIALS_MANAGEMENT} is not enabled for the organization (enabled: ${features.join(', ') || 'none'}); deploy the management stack with guardrails.rootAccess.removeMemberRootCredentials on`,
      accounts: [],
    };
  }
  const verdicts: AccountVerdict[] = [];
  for (const account of accounts) {
    try {
      const status = await api.rootCredentialStatus(account.id);
      const holds = heldCredentials(status);
      verdicts.push(holds.length > 0 ? { account, verdict: 'holds root credentials', status, holds } : { account, verdict: 'no root credentials', status });
    } catch (error) {
      verdicts.push({ account, verdict: 'not audited', reason: (error as Error).message });
    }
  }
  return { accounts: verdicts };
}

/** The report printed to the user, one line per account. */
export function renderAudit(audit: RootCredentialsAudit): string {
  if (audit.blocked) return `Cannot audit root credentials: ${audit.blocked}\n`;
  const lines = audit.accounts.map((entry) => {
    const label = `${entry.account.name} (${entry.account.id})`;
    if (entry.verdict === 'not audited') return `?  ${label}: not audited: ${entry.reason}`;
    if (entry.verdict === 'no root credentials') return `ok ${label}: no root credentials`;
    const mfa = entry.status.password && entry.status.mfaDevices === 0 ? ' (password without MFA)' : '';
    return `!! ${label}: root user holds ${entry.holds.join(', ')}${mfa}`;
  });
  const holding = audit.accounts.filter((entry) => entry.verdict === 'holds root credentials').length;
  const unknown = audit.accounts.filter((entry) => entry.verdict === 'not audited').length;
  lines.push('', `${holding} of ${audit.accounts.length} member accounts hold root credentials${unknown ? `; ${unknown} could not be audited` : ''}.`);
  return `${lines.join('\n')}\n`;
}

/** 0 when every account was audited and none holds root credentials; 1 otherwise. */
export function auditExitCode(audit: RootCredentialsAudit): number {
  return audit.blocked || audit.accounts.some((entry) => entry.verdict !== 'no root credentials') ? 1 : 0;
}
