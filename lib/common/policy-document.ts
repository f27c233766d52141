/** The IAM policy language, as the baseline writes it: resource, key, topic, queue and service control policies. */
export type ConditionBlock = Record<string, Record<string, string | boolean | number | readonly string[]>>;

export type Principal = '*' | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** A policy document from statements; Sids must be unique, as IAM requires of statements that carry one. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  const seen = new Set<string>();
  for (const statement of statements) {
    if (seen.has(statement.Sid)) throw new Error(`Duplicate policy statement id "${statement.Sid}"`);
    seen.add(statement.Sid);
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Serialized with a stable layout, so that synthesized output changes only when the policy does. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyDocument(statements));
}

/** Denies every request on the resources that does not use TLS. */
export function denyInsecureTransport(actions: string | readonly string[], resources: string | readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: actions,
    Resource: resources,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * The principal and condition that grant to named roles without naming the roles as principals: KMS and S3 refuse a
 * policy whose principal does not exist yet (a reader role in an account deployed later), and a role deleted and
 * created again would silently lose a grant that names it. The role's account is the principal; the role ARN is a
 * condition IAM checks on every request.
 */
export function grantToRoles(roleArns: readonly string[]): { Principal: Principal; Condition: ConditionBlock } {
  const accountRoots = [...new Set(roleArns.map((arn) => arn.replace(/^(arn:[^:]+:iam::\d{12}:).*$/, '$1root')))].sort();
  return {
    Principal: { AWS: accountRoots.length === 1 ? accountRoots[0] : accountRoots },
    Condition: { ArnEquals: { 'aws:PrincipalArn': [...roleArns] } },
  };
}
