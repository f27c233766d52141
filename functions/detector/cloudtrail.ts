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

/** Checks the fields every rule relies on; throws MalformedEventError naming the first one missing. */
export function assertCloudTrailRecord(value: unknown): asserts value is CloudTrailRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`expected a CloudTrail record object, got ${value === null ? 'null' : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  const eventId = typeof record.eventID === 'string' ? record.eventID : undefined;
  for (const field of REQUIRED_STRINGS) {
    if (typeof record[field] !== 'string' || (record[field] as string).length === 0) {
      throw new MalformedEventError(`missing or empty "${field}"`, eventId);
    }
  }
  const identity = record.userIdentity;
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) {
    throw new MalformedEventError('missing "userIdentity"', eventId);
  }
  const parameters = record.requestParameters;
  if (parameters !== undefined && parameters !== null && (typeof parameters !== 'object' || Array.isArray(parameters))) {
    throw new MalformedEventError('"requestParameters" is not an object', eventId);
  }
}
