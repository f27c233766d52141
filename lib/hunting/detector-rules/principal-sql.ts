import { ASSUMED_ROLE_NAME, type PrincipalForm, type PrincipalPattern, principalPatterns, SERVICE_LINKED_ROLE } from '../../../functions/detector/principals';
import { allOf, anyOf, globLikePattern, holds, like, occurrences, regexpGroup, regexpLike, splitPart } from '../portable-sql';
import { organizationMemberSql } from './organization-sql';

/*
 * The detector's principal lists (functions/detector/principals.ts), in SQL over the CloudTrail table's userIdentity.
 * The patterns are sorted into their forms by the detector's own principalPatterns, and each is matched as the
 * detector's segment glob: the text has exactly as many ":" and "/" as the pattern, and matches it as a LIKE pattern
 * without case. With equal counts, every separator of the text is taken by a separator of the pattern, so no
 * wildcard can reach across one, which is what the detector's segment-by-segment match means.
 */

const identity = 'useridentity';
const type = `${identity}.type`;
const accountId = `${identity}.accountid`;
const issuer = `${identity}.sessioncontext.sessionissuer`;
/** The session issuer's ARN, read for role sessions only (as the detector does). */
const roleArn = `CASE WHEN ${type} = 'AssumedRole' THEN ${issuer}.arn END`;

/** The account of an ARN (its fifth ":" field) when that is a 12-digit account id. */
export function accountOfArnSql(arn: string): string {
  const field = splitPart(arn, ':', 5);
  return `CASE WHEN ${regexpLike(field, /^\d{12}$/)} THEN ${field} END`;
}

/** The detector's segment glob: separators counted, then LIKE without case. */
export function segmentGlobSql(text: string, pattern: string): string {
  const glob = pattern.toLowerCase();
  return allOf([
    `${occurrences(text, ':')} = ${glob.split(':').length - 1}`,
    `${occurrences(text, '/')} = ${glob.split('/').length - 1}`,
    like(`lower(${text})`, globLikePattern(glob)),
  ]);
}

function formMatches(patterns: readonly PrincipalPattern[], form: PrincipalForm, text: string, account: string | undefined, organization: readonly string[]): string {
  return anyOf(
    patterns
      .filter((pattern) => pattern.form === form)
      .map((pattern) => {
        const glob = segmentGlobSql(text, pattern.text);
        if (pattern.literalAccount) return glob;
        return account === undefined ? 'FALSE' : allOf([organizationMemberSql(account, organization), glob]);
      }),
  );
}

/** The condition that the caller is one of the principals (PrincipalMatcher.matchesIdentity); never NULL. */
export function principalMatchSql(list: readonly string[], organization: readonly string[]): string {
  const patterns = principalPatterns(list);
  const service = (text: string) => formMatches(patterns, 'service', text, undefined, organization);
  const arnMatches = (arn: string) => formMatches(patterns, 'arn', arn, accountOfArnSql(arn), organization);
  const roleName = `COALESCE(${issuer}.username, ${regexpGroup(`${identity}.arn`, ASSUMED_ROLE_NAME, 1)})`;
  const roleAccount = `CASE WHEN ${roleArn} IS NOT NULL THEN ${accountOfArnSql(roleArn)} ELSE ${accountOfArnSql(`${identity}.arn`)} END`;
  const linkedService = regexpGroup(roleArn, SERVICE_LINKED_ROLE, 1);
  const anonymous = `${type} = 'AWSAccount' AND (${accountId} = 'anonymous' OR (COALESCE(${accountId}, '') = '' AND COALESCE(${identity}.principalid, '') = ''))`;
  return holds(
    [
      `CASE WHEN ${anonymous} THEN FALSE`,
      `WHEN ${type} = 'AWSService' THEN ${identity}.invokedby IS NOT NULL AND ${service(`${identity}.invokedby`)}`,
      `ELSE ${anyOf([
        holds(allOf([`${linkedService} IS NOT NULL`, service(linkedService)])),
        holds(allOf([regexpLike(accountId, /^\d{12}$/), formMatches(patterns, 'account', accountId, accountId, organization)])),
        holds(allOf([`${identity}.arn IS NOT NULL`, arnMatches(`${identity}.arn`)])),
        holds(allOf([`${roleArn} IS NOT NULL`, arnMatches(roleArn)])),
        holds(allOf([`${type} = 'AssumedRole'`, `${roleName} IS NOT NULL`, formMatches(patterns, 'role-name', roleName, roleAccount, organization)])),
      ])} END`,
    ].join('\n      '),
  );
}
