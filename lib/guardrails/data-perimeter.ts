import type { ConditionBlock, PolicyStatement } from '../common/policy-document';
import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

export interface DataPerimeterOptions {
  readonly organizationId: string;
  /** Buckets that may be reached only from the allowed networks. */
  readonly monitoredBucketNames: readonly string[];
  readonly allowedCidrs: readonly string[];
  readonly allowedVpcIds: readonly string[];
}

const PERIMETER_ACTIONS = ['s3:*', 'kms:*'];

/**
 * A resource control policy: the organization's S3 data and KMS keys are reachable only by its own principals and by
 * AWS services acting for it, and the monitored buckets only from the allowed networks, so that stolen credentials
 * used from elsewhere get nothing.
 */
export function dataPerimeter(name: string, options: DataPerimeterOptions): GuardrailPolicy {
  const statements: PolicyStatement[] = [
    {
      Sid: 'EnforceOrganizationIdentities',
      Effect: 'Deny',
      Principal: '*',
      Action: PERIMETER_ACTIONS,
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:PrincipalOrgID': options.organizationId },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    },
    // A service acting for another organization's resource (the confused deputy) is not let in either.
    {
      Sid: 'EnforceServicesActForOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: PERIMETER_ACTIONS,
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:SourceOrgID': options.organizationId },
        Null: { 'aws:SourceAccount': 'false' },
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
      },
    },
  ];

  if (options.monitoredBucketNames.length > 0) {
    if (options.allowedCidrs.length + options.allowedVpcIds.length === 0) {
      throw new Error('The data perimeter needs allowed CIDRs or VPCs for the monitored buckets; with none it would deny every request');
    }
    const network: ConditionBlock = {
      ...(options.allowedCidrs.length > 0 ? { NotIpAddressIfExists: { 'aws:SourceIp': [...options.allowedCidrs] } } : {}),
      ...(options.allowedVpcIds.length > 0 ? { StringNotEqualsIfExists: { 'aws:SourceVpc': [...options.allowedVpcIds] } } : {}),
    };
    const buckets = [...options.monitoredBucketNames].sort();
    statements.push({
      Sid: 'EnforceNetworkPerimeterOnMonitoredBuckets',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: buckets.flatMap((bucket) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]),
      Condition: {
        ...network,
        // Services calling on a principal's behalf (e.g. Athena) and service principals come from AWS networks.
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    });
  }

  return {
    id: 'DataPerimeter',
    name,
    description:
      'Denies S3 and KMS access from outside the organization (AWS services excepted), and access to monitored buckets from outside the allowed networks.',
    type: 'RESOURCE_CONTROL_POLICY',
    document: policyDocument(statements),
  };
}
