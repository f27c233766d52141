import { identities, MANAGEMENT_ACCOUNT, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from './records';

/*
 * CloudTrail network activity events (eventCategory "NetworkActivity", eventType "AwsVpceEvent"), shaped as AWS
 * documents them and as they are recorded in the account owning the endpoint: no request parameters; the full
 * identity of a caller of the endpoint owner's account; only the account (type "AWSAccount") of a caller of another
 * account; the endpoint and its owner; "VpceAccessDenied" when the endpoint's policy refused the call.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 */

export const ENDPOINT_ID = 'vpce-0f1e2d3c4b5a69788';

/** How CloudTrail writes a caller of another account than the endpoint owner: the account only. */
export const otherAccountCaller = (accountId: string) => ({ type: 'AWSAccount', principalId: '', accountId });
/** An unsigned call: S3 writes the account as "anonymous". */
export const unsignedCaller = { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };

let sequence = 0;

/** A network activity event of the workload account's S3 endpoint; `denied` adds the endpoint policy's refusal. */
export function networkActivity(identity: object, options: { denied?: boolean; eventSource?: string; eventName?: string } = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    eventVersion: '1.11',
    userIdentity: identity,
    eventTime: '2026-11-21T10:31:07Z',
    eventSource: options.eventSource ?? 's3.amazonaws.com',
    eventName: options.eventName ?? 'PutObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '10.20.3.41',
    requestID: `NA${String(sequence).padStart(14, '0')}`,
    eventID: `5c1e7d0a-9b2f-4e3c-8a61-${String(sequence).padStart(12, '0')}`,
    eventType: 'AwsVpceEvent',
    ...(options.denied ? { errorCode: 'VpceAccessDenied', errorMessage: 'The request was denied due to a VPC endpoint policy' } : {}),
    recipientAccountId: WORKLOAD_ACCOUNT,
    sharedEventID: `0d9c8b7a-6f5e-4d3c-9b2a-${String(sequence).padStart(12, '0')}`,
    vpcEndpointId: ENDPOINT_ID,
    vpcEndpointAccountId: WORKLOAD_ACCOUNT,
    eventCategory: 'NetworkActivity',
    ...overrides,
  };
}

/** The three cases of the rule, as a compromised web instance of the workload account would produce them. */
export const networkRecords = {
  /** The instance role writes to a bucket the endpoint policy does not allow: denied, a principal of the organization. */
  deniedByEndpointPolicy: () => networkActivity(identities.instanceRole, { denied: true }),
  /** The instance uses an outside account's keys through the endpoint (writing to that account's bucket): allowed. */
  crossOrganization: () => networkActivity(otherAccountCaller(OUTSIDE_ACCOUNT)),
  /** The same, once the endpoint policy refuses principals of other organizations. */
  crossOrganizationDenied: () => networkActivity(otherAccountCaller(OUTSIDE_ACCOUNT), { denied: true }),
  /** The instance role's ordinary write, allowed. */
  allowed: () => networkActivity(identities.instanceRole),
  /** A principal of the management account through the workload endpoint, allowed: inside the organization. */
  allowedOtherOrganizationAccount: () => networkActivity(otherAccountCaller(MANAGEMENT_ACCOUNT), { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' }),
};

/** The EventBridge event of a network activity record, as the account owning the endpoint receives it. */
export function networkActivityEvent(record: Record<string, unknown>, source = `aws.${String(record.eventSource).split('.')[0]}`): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: record.recipientAccountId as string,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}
