/*
 * The parts of a CloudTrail record the rules read. Fields are optional because CloudTrail omits many of them for
 * some callers (anonymous S3 requests carry no ARN, AWS service events no access key): rules never assume them.
 */

export interface SessionIssuer {
  readonly type?: string;
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly userName?: string;
}

export interface UserIdentity {
  readonly type?: string;
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly invokedBy?: string;
  readonly identityProvider?: string;
  readonly userId?: string;
  readonly onBehalfOf?: { readonly userId?: string; readonly identityStoreArn?: string };
  readonly sessionContext?: {
    readonly sessionIssuer?: SessionIssuer;
    readonly ec2RoleDelivery?: string;
    readonly sourceIdentity?: string;
    readonly attributes?: { readonly creationDate?: string; readonly mfaAuthenticated?: string };
  };
}

/** A resource the call touched, as CloudTrail lists it: for S3 data events the object and bucket ARNs. */
export interface CloudTrailResource {
  readonly type?: string;
  readonly ARN?: string;
  readonly accountId?: string;
}

export interface CloudTrailRecord {
  readonly eventVersion?: string;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventID: string;
  readonly awsRegion?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly userIdentity: UserIdentity;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly recipientAccountId?: string;
  readonly vpcEndpointId?: string;
  readonly vpcEndpointAccountId?: string;
  readonly errorCode?: string;
  readonly eventCategory?: string;
  readonly eventType?: string;
  readonly resources?: readonly CloudTrailResource[];
}

/** Thrown for input that is not a CloudTrail record the rules can judge; the handler lets Lambda record it. */
export class MalformedEventError extends Error {
  constructor(
    readonly reason: string,
    readonly eventId?: string,
  ) {
    super(`malformed event${eventId ? ` ${eventId}` : ''}: ${reason}`);
    this.name = 'MalformedEventError';
  }
}

const REQUIRED_STRINGS = ['eventTime', 'eventSource', 'eventName', 'eventID'] as const;
const OPTIONAL_STRINGS = [
  'eventVersion',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'recipientAccountId',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'errorCode',
  'eventCategory',
  'eventType',
] as const;
const IDENTITY_STRINGS = ['type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'invokedBy', 'identityProvider', 'userId'] as const;
const ISSUER_STRINGS = ['type', 'principalId', 'arn', 'accountId', 'userName'] as const;
const SESSION_STRINGS = ['ec2RoleDelivery', 'sourceIdentity'] as const;
const ATTRIBUTE_STRINGS = ['creationDate', 'mfaAuthenticated'] as const;
const ON_BEHALF_OF_STRINGS = ['userId', 'identityStoreArn'] as const;
const RESOURCE_STRINGS = ['type', 'ARN', 'accountId'] as const;
/** S3's request parameters the rules read: the object a call names and the source of a copy. */
const S3_PARAMETER_STRINGS = ['bucketName', 'key', 'x-amz-copy-source'] as const;
/** Other services use the same names for other things (DynamoDB's "key" is an object): only S3's are checked. */
export const S3_EVENT_SOURCES: ReadonlySet<string> = new Set(['s3.amazonaws.com', 's3-object-lambda.amazonaws.com']);

/**
 * Checks, at the boundary, the type of every field a rule reads (as CloudTrail documents them: strings, `userIdentity`
 * an object, `requestParameters` an object or null, `resources` a list of objects with string `ARN`, `accountId` and
 * `type`; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html), so that a rule never meets a number where it expects
 * a string: a record of the wrong shape is one MalformedEventError naming the field (counted by the Lambda, listed by
 * replay) instead of a TypeError deep in a rule. Fields the rules do not read are left alone: CloudTrail adds fields
 * over time. Throws MalformedEventError naming the first problem.
 */
export function assertCloudTrailRecord(value: unknown): asserts value is CloudTrailRecord {
  if (isWellTyped(value)) return;
  explainMalformed(value);
  // explainMalformed throws for everything isWellTyped refuses (a test holds them together); this is a safety net.
  throw new MalformedEventError('a field has the wrong JSON type');
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const requiredString = (value: unknown) => typeof value === 'string' && value.length > 0;
const optionalObject = (value: unknown) => value === undefined || isObject(value);

/**
 * The same checks as explainMalformed, written out field by field: every record pays for them, and named property
 * reads stay fast where a loop over field names would not.
 */
function isWellTyped(value: unknown): boolean {
  if (!isObject(value)) return false;
  const record = value as Record<string, unknown> & Partial<Record<keyof CloudTrailRecord, unknown>>;
  if (!(requiredString(record.eventTime) && requiredString(record.eventSource) && requiredString(record.eventName) && requiredString(record.eventID))) {
    return false;
  }
  if (
    !(
      optionalString(record.eventVersion) &&
      optionalString(record.awsRegion) &&
      optionalString(record.sourceIPAddress) &&
      optionalString(record.userAgent) &&
      optionalString(record.recipientAccountId) &&
      optionalString(record.vpcEndpointId) &&
      optionalString(record.vpcEndpointAccountId) &&
      optionalString(record.errorCode) &&
      optionalString(record.eventCategory) &&
      optionalString(record.eventType)
    )
  ) {
    return false;
  }
  const who = record.userIdentity as Record<string, unknown> | undefined;
  if (!isObject(who)) return false;
  if (
    !(
      optionalString(who.type) &&
      optionalString(who.principalId) &&
      optionalString(who.arn) &&
      optionalString(who.accountId) &&
      optionalString(who.accessKeyId) &&
      optionalString(who.userName) &&
      optionalString(who.invokedBy) &&
      optionalString(who.identityProvider) &&
      optionalString(who.userId) &&
      optionalObject(who.onBehalfOf) &&
      optionalObject(who.sessionContext)
    )
  ) {
    return false;
  }
  const onBehalfOf = who.onBehalfOf as Record<string, unknown> | undefined;
  if (onBehalfOf && !(optionalString(onBehalfOf.userId) && optionalString(onBehalfOf.identityStoreArn))) return false;
  const session = who.sessionContext as Record<string, unknown> | undefined;
  if (session) {
    if (!(optionalString(session.ec2RoleDelivery) && optionalString(session.sourceIdentity) && optionalObject(session.sessionIssuer) && optionalObject(session.attributes))) {
      return false;
    }
    const issuer = session.sessionIssuer as Record<string, unknown> | undefined;
    if (
      issuer &&
      !(optionalString(issuer.type) && optionalString(issuer.principalId) && optionalString(issuer.arn) && optionalString(issuer.accountId) && optionalString(issuer.userName))
    ) {
      return false;
    }
    const attributes = session.attributes as Record<string, unknown> | undefined;
    if (attributes && !(optionalString(attributes.creationDate) && optionalString(attributes.mfaAuthenticated))) return false;
  }
  const parameters = record.requestParameters;
  if (parameters !== undefined && parameters !== null) {
    if (!isObject(parameters)) return false;
    if (
      S3_EVENT_SOURCES.has(record.eventSource as string) &&
      !(optionalString(parameters.bucketName) && optionalString(parameters.key) && optionalString(parameters['x-amz-copy-source']))
    ) {
      return false;
    }
  }
  const resources = record.resources;
  if (resources !== undefined) {
    if (!Array.isArray(resources)) return false;
    for (const resource of resources as unknown[]) {
      if (!isObject(resource)) return false;
      if (!(optionalString(resource.type) && optionalString(resource.ARN) && optionalString(resource.accountId))) return false;
    }
  }
  return true;
}

/** Throws MalformedEventError naming the first field of the wrong type (or missing), in the order isWellTyped reads. */
function explainMalformed(value: unknown): void {
  if (!isObject(value)) {
    throw new MalformedEventError(`expected a CloudTrail record object, got ${jsonType(value)}`);
  }
  const record = value;
  const eventId = typeof record.eventID === 'string' ? record.eventID : undefined;
  const fail = (reason: string): never => {
    throw new MalformedEventError(reason, eventId);
  };
  for (const field of REQUIRED_STRINGS) {
    if (typeof record[field] !== 'string' || (record[field] as string).length === 0) {
      fail(record[field] === undefined || record[field] === '' ? `missing or empty "${field}"` : `"${field}" is ${jsonType(record[field])}, expected a string`);
    }
  }
  optionalStrings(record, OPTIONAL_STRINGS, '', fail);

  const identity = record.userIdentity;
  if (!isObject(identity)) fail(identity === undefined ? 'missing "userIdentity"' : `"userIdentity" is ${jsonType(identity)}, expected an object`);
  const who = identity as Record<string, unknown>;
  optionalStrings(who, IDENTITY_STRINGS, 'userIdentity.', fail);
  const onBehalfOf = objectField(who, 'onBehalfOf', 'userIdentity.', fail);
  if (onBehalfOf) optionalStrings(onBehalfOf, ON_BEHALF_OF_STRINGS, 'userIdentity.onBehalfOf.', fail);
  const session = objectField(who, 'sessionContext', 'userIdentity.', fail);
  if (session) {
    optionalStrings(session, SESSION_STRINGS, 'userIdentity.sessionContext.', fail);
    const issuer = objectField(session, 'sessionIssuer', 'userIdentity.sessionContext.', fail);
    if (issuer) optionalStrings(issuer, ISSUER_STRINGS, 'userIdentity.sessionContext.sessionIssuer.', fail);
    const attributes = objectField(session, 'attributes', 'userIdentity.sessionContext.', fail);
    if (attributes) optionalStrings(attributes, ATTRIBUTE_STRINGS, 'userIdentity.sessionContext.attributes.', fail);
  }

  // CloudTrail writes null for a call without parameters.
  const parameters = record.requestParameters;
  if (parameters !== undefined && parameters !== null) {
    if (!isObject(parameters)) fail(`"requestParameters" is ${jsonType(parameters)}, expected an object or null`);
    if (S3_EVENT_SOURCES.has(record.eventSource as string)) {
      optionalStrings(parameters as Record<string, unknown>, S3_PARAMETER_STRINGS, 'requestParameters.', fail);
    }
  }

  const resources = record.resources;
  if (resources !== undefined) {
    if (!Array.isArray(resources)) fail(`"resources" is ${jsonType(resources)}, expected an array`);
    (resources as unknown[]).forEach((resource, index) => {
      if (!isObject(resource)) fail(`"resources[${index}]" is ${jsonType(resource)}, expected an object`);
      optionalStrings(resource as Record<string, unknown>, RESOURCE_STRINGS, `resources[${index}].`, fail);
    });
  }
}

function optionalStrings(object: Record<string, unknown>, fields: readonly string[], prefix: string, fail: (reason: string) => never): void {
  for (const field of fields) {
    const value = object[field];
    if (value !== undefined && typeof value !== 'string') fail(`"${prefix}${field}" is ${jsonType(value)}, expected a string`);
  }
}

function objectField(object: Record<string, unknown>, field: string, prefix: string, fail: (reason: string) => never): Record<string, unknown> | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  if (!isObject(value)) fail(`"${prefix}${field}" is ${jsonType(value)}, expected an object`);
  return value as Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, as a reader of the record would name it. */
function jsonType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
