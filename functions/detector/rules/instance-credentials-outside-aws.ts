import { classifyCaller, INSTANCE_PRINCIPAL_MARK } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { type Finding, findingOf } from '../finding';
import { originOf, type RuleContext } from './context';

/**
 * A call made with an EC2 instance role's session credentials from an address outside the authorized networks and
 * not through an authorized VPC endpoint or one of the organization's: the signature of credentials taken from the instance
 * metadata service (for instance through SSRF) and replayed elsewhere.
 */
export function instanceCredentialsOutsideAws(record: CloudTrailRecord, context: RuleContext): Finding | undefined {
  const identity = record.userIdentity;
  if (identity.type !== 'AssumedRole') return undefined;
  // Cheap test before classifying: instance sessions are named after the instance or carry ec2RoleDelivery.
  const principalId = identity.principalId;
  if (!(typeof principalId === 'string' && principalId.includes(INSTANCE_PRINCIPAL_MARK)) && identity.sessionContext?.ec2RoleDelivery === undefined) {
    return undefined;
  }
  const caller = classifyCaller(identity);
  if (caller.kind !== 'instance-role-session') return undefined;
  if (originOf(record, context) !== 'outside') return undefined;
  const instance = caller.instanceId ? ` of ${caller.instanceId}` : '';
  return findingOf(
    'instance-credentials-outside-aws',
    `instance role credentials${instance} used from ${record.sourceIPAddress ?? 'an unknown address'}, outside the authorized networks and VPC endpoints`,
    record,
    caller,
    bucketOf(record),
  );
}

function bucketOf(record: CloudTrailRecord): { bucket?: string; key?: string } | undefined {
  const parameters = record.requestParameters;
  if (!parameters || typeof parameters.bucketName !== 'string') return undefined;
  return { bucket: parameters.bucketName, key: typeof parameters.key === 'string' ? parameters.key : undefined };
}
