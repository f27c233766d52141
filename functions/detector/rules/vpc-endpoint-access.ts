import { classifyCaller } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { type Finding, findingOf } from '../finding';
import type { RuleContext } from './context';

/** CloudTrail's eventCategory of the records of calls made through VPC endpoints. */
export const NETWORK_ACTIVITY_CATEGORY = 'NetworkActivity';
/** The error code of a call a VPC endpoint policy denied. */
export const VPCE_ACCESS_DENIED = 'VpceAccessDenied';

/**
 * What this rule reads, and why each field (CloudTrail network activity events, recorded in the account that owns
 * the endpoint: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html,
 * fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
 * - `eventCategory` "NetworkActivity": only those records.
 * - `errorCode` "VpceAccessDenied": the endpoint's policy refused the call.
 * - `userIdentity.accountId`: the account whose credentials signed the call. For a caller of another account
 *   CloudTrail writes only that account (type "AWSAccount"), never the principal; for an unsigned call, no account.
 * - `resources[].accountId`, where CloudTrail lists resources: the account owning what the call touched.
 * - `vpcEndpointId`, `vpcEndpointAccountId` (= `recipientAccountId`): the endpoint and its owner, an account of the
 *   organization since the organization trail recorded the event.
 *
 * A network activity record does not say which account owns the bucket or key a call reached (no request
 * parameters), so "another organization's resources" is judged from what it does say: credentials of an account
 * outside the organization can reach only that other organization's resources (the data perimeter's RCP refuses
 * them ours), an unsigned call reaches only what someone made public, and a listed resource of an account outside the
 * organization is one outright. Each is flagged allowed or denied; an allowed one is data leaving through our network.
 */
export function vpcEndpointAccess(record: CloudTrailRecord, context: RuleContext): Finding | undefined {
  if (record.eventCategory !== NETWORK_ACTIVITY_CATEGORY) return undefined;
  const denied = record.errorCode === VPCE_ACCESS_DENIED;
  const callerAccount = callerAccountOf(record);
  const callerInOrganization = callerAccount !== undefined && context.organizationAccounts.has(callerAccount);
  const foreignResource = record.resources?.find((resource) => typeof resource.accountId === 'string' && !context.organizationAccounts.has(resource.accountId));
  if (callerInOrganization && foreignResource === undefined && !denied) return undefined;

  const endpoint = `VPC endpoint ${record.vpcEndpointId ?? '(no id)'} of account ${record.vpcEndpointAccountId ?? record.recipientAccountId ?? '(unknown)'}`;
  const outcome = denied ? 'denied by its policy' : 'allowed';
  const reasons: string[] = [];
  if (!callerInOrganization) {
    reasons.push(
      callerAccount === undefined
        ? `an unsigned call through ${endpoint}, ${outcome}: only another owner's public resources answer it`
        : `credentials of account ${callerAccount}, outside the organization, used through ${endpoint}, ${outcome}`,
    );
  } else if (foreignResource !== undefined) {
    reasons.push(`a principal of the organization reached ${foreignResource.ARN ?? 'a resource'} of account ${foreignResource.accountId}, outside the organization, through ${endpoint}, ${outcome}`);
  } else {
    reasons.push(`a principal of the organization was denied by the policy of ${endpoint}`);
  }
  return findingOf('vpc-endpoint-access', reasons.join('; '), record, classifyCaller(record.userIdentity));
}

/** The account whose credentials signed the call; undefined for an unsigned one (S3 writes "anonymous"). */
function callerAccountOf(record: CloudTrailRecord): string | undefined {
  const account = record.userIdentity.accountId;
  return typeof account === 'string' && /^\d{12}$/.test(account) ? account : undefined;
}
