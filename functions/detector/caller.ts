import type { UserIdentity } from './cloudtrail';
import { ASSUMED_ROLE_NAME, SERVICE_LINKED_ROLE } from './principals';

/*
 * Who made a call, classified from CloudTrail's userIdentity. Every identity type CloudTrail writes is classified,
 * and an unknown or partial one becomes `unknown`: the detector never fails on a caller it has not seen before.
 */

export type CallerKind =
  | 'root'
  | 'iam-user'
  | 'role-session'
  | 'instance-role-session'
  | 'identity-center'
  | 'federated-user'
  | 'web-identity'
  | 'saml'
  | 'other-account'
  | 'anonymous'
  | 'aws-service'
  | 'unknown';

export interface Caller {
  readonly kind: CallerKind;
  /** userIdentity.type as CloudTrail wrote it ("" when absent). */
  readonly type: string;
  /** The most specific ARN CloudTrail gives (session ARN for role sessions); undefined when none. */
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  readonly accessKeyId?: string;
  /** The role behind a role session, for role-name and role-ARN patterns and for the response. */
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly sessionName?: string;
  /** The EC2 instance whose role credentials were used. */
  readonly instanceId?: string;
  /** The AWS service principal ("macie.amazonaws.com") for AWS service callers. */
  readonly service?: string;
  /** A short human name for subjects: role or user name, "root", "anonymous", the service. */
  readonly name: string;
}

/** An EC2 role session is named after its instance ("…:i-0abc…" in the principal id, "…/i-0abc…" in the ARN). */
export const INSTANCE_SESSION = /[:/](i-[0-9a-f]{8,17})$/;
/** Cheap test before classifying: only a principal id holding this can be an instance's session, or one with ec2RoleDelivery. */
export const INSTANCE_PRINCIPAL_MARK = ':i-';
/** The marker of a service-linked role's path, tested before the regular expression. */
export const SERVICE_LINKED_ROLE_PATH = ':role/aws-service-role/';
/** Identity Center permission sets are roles named with this prefix. */
export const IDENTITY_CENTER_ROLE_PREFIX = 'AWSReservedSSO_';

/** Classifies a CloudTrail userIdentity; never throws. */
export function classifyCaller(identity: UserIdentity): Caller {
  const type = typeof identity.type === 'string' ? identity.type : '';
  const accountId = text(identity.accountId);
  switch (type) {
    case 'Root':
      return caller(identity, type, 'root', 'root', accountId);
    case 'IAMUser':
      return caller(identity, type, 'iam-user', text(identity.userName) ?? lastSegment(text(identity.arn)) ?? 'IAM user', accountId);
    case 'AssumedRole':
      return roleSession(identity, accountId);
    case 'FederatedUser':
      return caller(identity, type, 'federated-user', lastSegment(text(identity.arn)) ?? 'federated user', accountId);
    case 'WebIdentityUser':
      return caller(identity, type, 'web-identity', text(identity.userName) ?? text(identity.identityProvider) ?? 'web identity', accountId);
    case 'SAMLUser':
      return caller(identity, type, 'saml', text(identity.userName) ?? 'SAML user', accountId);
    case 'IdentityCenterUser':
      return caller(identity, type, 'identity-center', text(identity.onBehalfOf?.userId) ?? text(identity.userId) ?? 'Identity Center user', accountId);
    case 'AWSAccount':
      // S3 writes unauthenticated requests as an AWSAccount caller with the account id "anonymous".
      if (accountId === 'anonymous' || (!accountId && !text(identity.principalId))) return caller(identity, type, 'anonymous', 'anonymous', undefined);
      return caller(identity, type, 'other-account', `account ${accountId ?? identity.principalId}`, accountId);
    case 'AWSService': {
      const service = text(identity.invokedBy) ?? 'AWS service';
      return caller(identity, type, 'aws-service', service, accountId, undefined, undefined, undefined, undefined, service);
    }
    default:
      return caller(identity, type, 'unknown', type || 'unknown caller', accountId);
  }
}

// One object shape for every caller, built in one place: callers are classified per event, and a single shape keeps
// that fast.
function caller(
  identity: UserIdentity,
  type: string,
  kind: CallerKind,
  name: string,
  accountId: string | undefined,
  roleArn?: string,
  roleName?: string,
  sessionName?: string,
  instanceId?: string,
  service?: string,
): Caller {
  return {
    kind,
    type,
    name,
    arn: text(identity.arn),
    accountId,
    principalId: text(identity.principalId),
    accessKeyId: text(identity.accessKeyId),
    roleArn,
    roleName,
    sessionName,
    instanceId,
    service,
  };
}

function roleSession(identity: UserIdentity, accountId: string | undefined): Caller {
  const arn = text(identity.arn);
  const principalId = text(identity.principalId);
  const issuer = identity.sessionContext?.sessionIssuer;
  const roleArn = text(issuer?.arn);
  const roleName = text(issuer?.userName) ?? roleNameFromSessionArn(arn);
  const sessionName = lastSegment(arn) ?? afterColon(principalId);
  const type = 'AssumedRole';
  const linked = roleArn !== undefined && roleArn.includes(SERVICE_LINKED_ROLE_PATH) ? SERVICE_LINKED_ROLE.exec(roleArn) : null;
  if (linked) return caller(identity, type, 'aws-service', linked[1], accountId, roleArn, roleName, sessionName, undefined, linked[1]);
  const instance = instanceOf(principalId) ?? instanceOf(arn);
  if (instance !== undefined || identity.sessionContext?.ec2RoleDelivery !== undefined) {
    return caller(identity, type, 'instance-role-session', roleName ?? 'instance role', accountId, roleArn, roleName, sessionName, instance);
  }
  if (roleName?.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) {
    return caller(identity, type, 'identity-center', sessionName ?? roleName, accountId, roleArn, roleName, sessionName);
  }
  return caller(identity, type, 'role-session', roleName ?? 'role session', accountId, roleArn, roleName, sessionName);
}

/** The instance id an EC2 role session is named after ("…:i-0abc…" or "…/i-0abc…"). */
function instanceOf(text: string | undefined): string | undefined {
  if (text === undefined || text.lastIndexOf('i-') < 0) return undefined;
  return INSTANCE_SESSION.exec(text)?.[1];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function lastSegment(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash >= 0 && slash < arn.length - 1 ? arn.slice(slash + 1) : undefined;
}

function afterColon(principalId: string | undefined): string | undefined {
  const colon = principalId?.indexOf(':') ?? -1;
  return colon >= 0 ? principalId!.slice(colon + 1) || undefined : undefined;
}

/** "arn:aws:sts::1:assumed-role/name/session" -> "name", when CloudTrail gives no session issuer. */
function roleNameFromSessionArn(arn: string | undefined): string | undefined {
  return arn ? ASSUMED_ROLE_NAME.exec(arn)?.[1] : undefined;
}
