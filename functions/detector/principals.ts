import type { UserIdentity } from './cloudtrail';

/*
 * Who may do what: the authorized and enumeration principal lists, compiled once. A principal list is a trust
 * decision, so its globs are narrower than IAM's: `*` and `?` never match ":" or "/", so an ARN pattern such as
 * "arn:aws:iam::444444444444:role/acme-batch-*" cannot reach a role whose path begins "acme-batch-" (IAM lets anyone
 * who may create roles choose a path: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html).
 * A pattern that does not name its account literally (a bare role name, "arn:aws:iam::*:role/x", "4444*") matches
 * callers of the organization's accounts only: the same role name in someone else's account is someone else.
 * Case-insensitive: IAM names are unique regardless of case, so this cannot admit a different principal.
 */

const SEPARATOR = /[:/]/;

/** Whether a glob (`*` any run, `?` one character) matches one segment; linear in practice, O(n·m) at worst. */
function segmentMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = t;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/** A glob over ":"- and "/"-separated text whose wildcards stay within one segment. */
export function segmentGlob(pattern: string): (text: string) => boolean {
  const glob = pattern.toLowerCase();
  const globSegments = glob.split(SEPARATOR);
  const globSeparators = glob.replace(/[^:/]/g, '');
  return (value) => {
    const text = value.toLowerCase();
    if (text.replace(/[^:/]/g, '') !== globSeparators) return false;
    const segments = text.split(SEPARATOR);
    return globSegments.every((segment, index) => segmentMatches(segment, segments[index]));
  };
}

/** The account field of an ARN ("arn:aws:iam::444444444444:role/x" -> "444444444444"), if it has one. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Which part of the caller a principal pattern is compared with. */
export type PrincipalForm = 'account' | 'arn' | 'service' | 'role-name';

/** One principal pattern as the matcher reads it: the decision data the Athena hunts compile too. */
export interface PrincipalPattern {
  readonly text: string;
  readonly form: PrincipalForm;
  /** True when the pattern names its account literally; otherwise the caller must be of the organization. */
  readonly literalAccount: boolean;
}

/** Sorts a principal list into its forms (see PrincipalMatcher). */
export function principalPatterns(patterns: readonly string[]): PrincipalPattern[] {
  return patterns.map((text) => {
    if (/^[\d*?]{1,12}$/.test(text) && /\d/.test(text)) return { text, form: 'account', literalAccount: /^\d{12}$/.test(text) };
    if (text.startsWith('arn:')) return { text, form: 'arn', literalAccount: accountOfArn(text) !== undefined };
    if (/\.amazonaws\.com(?:\.cn)?$/.test(text)) return { text, form: 'service', literalAccount: true };
    return { text, form: 'role-name', literalAccount: false };
  });
}

/** Sessions of service-linked roles (only their service can assume them): the service is the second path segment. */
export const SERVICE_LINKED_ROLE = /:role\/aws-service-role\/([^/]+)\//;
/** "arn:aws:sts::1:assumed-role/name/session": the role's name. */
export const ASSUMED_ROLE_NAME = /:assumed-role\/([^/]+)\//;

interface Pattern {
  readonly matches: (text: string) => boolean;
  readonly literalAccount: boolean;
}

/**
 * A list of principals. Forms: a 12-digit account id (any caller of that account), an ARN (a user's or root's ARN, a
 * role session's role ARN or session ARN), an AWS service principal ("*.amazonaws.com", AWS service callers and
 * service-linked roles of that service only), or a bare role name (a role of that name in an organization account).
 */
export class PrincipalMatcher {
  private readonly accounts: Pattern[] = [];
  private readonly arns: Pattern[] = [];
  private readonly services: Pattern[] = [];
  private readonly roleNames: Pattern[] = [];
  private readonly organization: ReadonlySet<string>;

  constructor(patterns: readonly string[], organizationAccountIds: readonly string[]) {
    this.organization = new Set(organizationAccountIds);
    const lists: Record<PrincipalForm, Pattern[]> = { account: this.accounts, arn: this.arns, service: this.services, 'role-name': this.roleNames };
    for (const { text, form, literalAccount } of principalPatterns(patterns)) lists[form].push({ matches: segmentGlob(text), literalAccount });
  }

  /** Whether a text matches one of the patterns, for a caller of the given account. */
  private anyMatches(patterns: readonly Pattern[], text: string, accountId: string | undefined): boolean {
    return patterns.some(
      (candidate) => (candidate.literalAccount || (accountId !== undefined && this.organization.has(accountId))) && candidate.matches(text),
    );
  }

  /** True when the caller is one of the principals; anonymous callers never are. */
  matchesIdentity(identity: UserIdentity): boolean {
    const type = identity.type;
    const accountId = typeof identity.accountId === 'string' ? identity.accountId : undefined;
    if (type === 'AWSAccount' && (accountId === 'anonymous' || (!accountId && !identity.principalId))) return false;
    if (type === 'AWSService') {
      return typeof identity.invokedBy === 'string' && this.anyMatches(this.services, identity.invokedBy, undefined);
    }
    const issuer = type === 'AssumedRole' ? identity.sessionContext?.sessionIssuer : undefined;
    const roleArn = typeof issuer?.arn === 'string' ? issuer.arn : undefined;
    // Sessions of service-linked roles (only their service can assume them) are matched as the service.
    const linked = roleArn ? SERVICE_LINKED_ROLE.exec(roleArn) : null;
    if (linked && this.anyMatches(this.services, linked[1], undefined)) return true;
    if (accountId !== undefined && /^\d{12}$/.test(accountId) && this.anyMatches(this.accounts, accountId, accountId)) return true;
    if (typeof identity.arn === 'string' && this.anyMatches(this.arns, identity.arn, accountOfArn(identity.arn))) return true;
    if (roleArn !== undefined && this.anyMatches(this.arns, roleArn, accountOfArn(roleArn))) return true;
    if (type !== 'AssumedRole') return false;
    const roleName = typeof issuer?.userName === 'string' ? issuer.userName : roleNameOfSession(identity.arn);
    const roleAccount = roleArn !== undefined ? accountOfArn(roleArn) : typeof identity.arn === 'string' ? accountOfArn(identity.arn) : undefined;
    return roleName !== undefined && this.anyMatches(this.roleNames, roleName, roleAccount);
  }
}

/** "arn:aws:sts::1:assumed-role/name/session" -> "name". */
function roleNameOfSession(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  return ASSUMED_ROLE_NAME.exec(arn)?.[1];
}
