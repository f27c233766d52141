import type { UserIdentity } from './cloudtrail';

import { compileGlobList, type GlobMatcher } from './glob';

/*
 * Key and principal patterns. `*` matches any run of characters including "/" and `?` exactly one, as in IAM policy
 * resources; everything else is literal; case-insensitive. Matched by ./glob.ts in time linear in the text: the text
 * is often the caller's choice (the key of a denied read), so no pattern may cost more than a pass over it per
 * pattern character. Our own few lines rather than picomatch: its path semantics ("*" stops at "/") are not IAM's.
 */

const KEYWORD = 'keyword:';

/** A matcher for object keys: globs match the whole key, `keyword:<word>` anywhere in it; case-insensitive. */
export function compileKeyPatterns(patterns: readonly string[]): (key: string) => boolean {
  const globs = patterns.filter((pattern) => !pattern.startsWith(KEYWORD));
  const keywords = patterns.filter((pattern) => pattern.startsWith(KEYWORD)).map((pattern) => pattern.slice(KEYWORD.length));
  return compileGlobList(globs, keywords) ?? (() => false);
}

/**
 * A list of principals compiled once. Forms: a 12-digit account id (matches any caller of that account), an ARN
 * (matches a user's or root's ARN, a role session's role ARN or session ARN), an AWS service principal
 * ("*.amazonaws.com", matches AWS service callers only), or a bare role name. Case-insensitive: IAM names are unique
 * regardless of case, so this cannot admit a different principal.
 */
export class PrincipalMatcher {
  private readonly accounts: GlobMatcher | undefined;
  private readonly arns: GlobMatcher | undefined;
  private readonly services: GlobMatcher | undefined;
  private readonly roleNames: GlobMatcher | undefined;

  constructor(patterns: readonly string[]) {
    const accounts: string[] = [];
    const arns: string[] = [];
    const services: string[] = [];
    const roleNames: string[] = [];
    for (const pattern of patterns) {
      if (/^[\d*?]{1,12}$/.test(pattern) && /\d/.test(pattern)) accounts.push(pattern);
      else if (pattern.startsWith('arn:')) arns.push(pattern);
      else if (/\.amazonaws\.com(?:\.cn)?$/.test(pattern) || pattern.endsWith('.amazonaws.*')) services.push(pattern);
      else roleNames.push(pattern);
    }
    this.accounts = compileGlobList(accounts);
    this.arns = compileGlobList(arns);
    this.services = compileGlobList(services);
    this.roleNames = compileGlobList(roleNames);
  }

  /**
   * True when the caller is one of the principals; anonymous callers never are. Reads the identity directly (rather
   * than a classified caller) because most events are authorized, and those then cost no allocation at all.
   */
  matchesIdentity(identity: UserIdentity): boolean {
    const type = identity.type;
    const accountId = identity.accountId;
    if (type === 'AWSAccount' && (accountId === 'anonymous' || (!accountId && !identity.principalId))) return false;
    if (type === 'AWSService') {
      return this.services !== undefined && typeof identity.invokedBy === 'string' && this.services(identity.invokedBy);
    }
    const issuer = type === 'AssumedRole' ? identity.sessionContext?.sessionIssuer : undefined;
    const roleArn = issuer?.arn;
    // Sessions of service-linked roles (only their service can assume them) are matched as the service too.
    if (this.services && typeof roleArn === 'string' && roleArn.includes(':role/aws-service-role/')) {
      const service = roleArn.split('/')[2];
      if (service && this.services(service)) return true;
    }
    if (this.accounts && typeof accountId === 'string' && this.accounts(accountId)) return true;
    if (this.arns) {
      if (typeof identity.arn === 'string' && this.arns(identity.arn)) return true;
      if (typeof roleArn === 'string' && this.arns(roleArn)) return true;
    }
    if (!this.roleNames || type !== 'AssumedRole') return false;
    const roleName = issuer?.userName ?? roleNameOfSession(identity.arn);
    return typeof roleName === 'string' && this.roleNames(roleName);
  }
}

/** "arn:aws:sts::1:assumed-role/name/session" -> "name". */
function roleNameOfSession(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const start = arn.indexOf(':assumed-role/');
  if (start < 0) return undefined;
  const end = arn.indexOf('/', start + 14);
  return end > start + 14 ? arn.slice(start + 14, end) : undefined;
}
