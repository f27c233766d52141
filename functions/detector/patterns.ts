import type { UserIdentity } from './cloudtrail';

/*
 * Glob and keyword matching, compiled once into one case-insensitive regular expression per list. `*` matches any run
 * of characters including "/" and `?` exactly one, as in IAM policy resources; everything else is literal. A few lines
 * of our own instead of picomatch: its path semantics ("*" stops at "/", so "customers/*" misses "customers/a/b") are
 * not IAM's, and bundled it weighs 24 KB minified, more than the whole detector (2 KB for this module).
 */

const KEYWORD = 'keyword:';

function globSource(glob: string): string {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return source;
}

/** A matcher for object keys: globs match the whole key, `keyword:<word>` anywhere in it; case-insensitive. */
export function compileKeyPatterns(patterns: readonly string[]): (key: string) => boolean {
  const alternatives = patterns.map((pattern) =>
    pattern.startsWith(KEYWORD) ? globSource(pattern.slice(KEYWORD.length)) : `^(?:${globSource(pattern)})$`,
  );
  if (alternatives.length === 0) return () => false;
  const expression = new RegExp(alternatives.join('|'), 'is');
  return (key) => expression.test(key);
}

function compileGlobs(globs: readonly string[]): RegExp | undefined {
  return globs.length === 0 ? undefined : new RegExp(`^(?:${globs.map(globSource).join('|')})$`, 'is');
}

/**
 * A list of principals compiled once. Forms: a 12-digit account id (matches any caller of that account), an ARN
 * (matches a user's or root's ARN, a role session's role ARN or session ARN), an AWS service principal
 * ("*.amazonaws.com", matches AWS service callers only), or a bare role name. Case-insensitive: IAM names are unique
 * regardless of case, so this cannot admit a different principal.
 */
export class PrincipalMatcher {
  private readonly accounts: RegExp | undefined;
  private readonly arns: RegExp | undefined;
  private readonly services: RegExp | undefined;
  private readonly roleNames: RegExp | undefined;

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
    this.accounts = compileGlobs(accounts);
    this.arns = compileGlobs(arns);
    this.services = compileGlobs(services);
    this.roleNames = compileGlobs(roleNames);
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
      return this.services !== undefined && typeof identity.invokedBy === 'string' && this.services.test(identity.invokedBy);
    }
    const issuer = type === 'AssumedRole' ? identity.sessionContext?.sessionIssuer : undefined;
    const roleArn = issuer?.arn;
    // Sessions of service-linked roles (only their service can assume them) are matched as the service too.
    if (this.services && typeof roleArn === 'string' && roleArn.includes(':role/aws-service-role/')) {
      const service = roleArn.split('/')[2];
      if (service && this.services.test(service)) return true;
    }
    if (this.accounts && typeof accountId === 'string' && this.accounts.test(accountId)) return true;
    if (this.arns) {
      if (typeof identity.arn === 'string' && this.arns.test(identity.arn)) return true;
      if (typeof roleArn === 'string' && this.arns.test(roleArn)) return true;
    }
    if (!this.roleNames || type !== 'AssumedRole') return false;
    const roleName = issuer?.userName ?? roleNameOfSession(identity.arn);
    return typeof roleName === 'string' && this.roleNames.test(roleName);
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
