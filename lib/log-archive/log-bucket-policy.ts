import type { BaselineConfig } from '../../config/schema';
import { grantToRoles, type PolicyStatement } from '../common/policy-document';
import type { BaselineNames } from '../naming';

/**
 * The actions that destroy logs or unlock the way to destroying them: deleting objects, versions or the bucket,
 * lifting a governance lock, and changing the policy, lifecycle, versioning, encryption or Object Lock settings; and
 * those that would quietly blind or open the bucket: switching its access logging off, turning ACLs back on, lifting
 * the public access block, replicating every log elsewhere. Each delete of these settings (DeleteBucketOwnershipControls,
 * DeletePublicAccessBlock, DeleteBucketReplication) is authorized as the Put action listed here.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const TAMPERING_ACTIONS = [
  's3:BypassGovernanceRetention',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutBucketAcl',
  's3:PutBucketLogging',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPolicy',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketVersioning',
  's3:PutEncryptionConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
] as const;

/**
 * Denies tampering to every principal but the break-glass role, or to everyone when there is none. The root user of
 * the bucket's account can still replace the policy (S3 never locks it out): that is the way back in.
 */
export function denyTampering(bucketArn: string, breakGlassRoleArn: string | undefined): PolicyStatement {
  return {
    Sid: breakGlassRoleArn ? 'DenyTamperingExceptBreakGlass' : 'DenyTampering',
    Effect: 'Deny',
    Principal: '*',
    Action: TAMPERING_ACTIONS,
    Resource: [bucketArn, `${bucketArn}/*`],
    ...(breakGlassRoleArn ? { Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRoleArn } } } : {}),
  };
}

export interface LogBucketPolicyProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  /** ARN of the log key (a reference resolved at apply). */
  readonly keyArn: string;
}

const OWNER_FULL_CONTROL = { 's3:x-amz-acl': 'bucket-owner-full-control' };

/**
 * The policy of the central log bucket, after the TLS-only deny: writes encrypted with anything but the log key are
 * refused, each writer may put objects under its own prefixes only, readers may read, and nobody but the break-glass
 * role may delete or loosen.
 */
export function logBucketPolicyStatements(props: LogBucketPolicyProps): PolicyStatement[] {
  const { config, names } = props;
  const bucketArn = names.logBucketArn;
  const objects = `${bucketArn}/*`;
  const fromOrganization = { 'aws:SourceOrgID': config.organization.id };
  const under = (prefix: string) => `${bucketArn}/${prefix}/*`;
  /*
   * CloudTrail writes digest files with SSE-S3 even when the trail encrypts its log files with SSE-KMS (CloudTrail
   * User Guide, "Encrypting CloudTrail log files with AWS KMS keys": enabling SSE-KMS encrypts the log files but not
   * the digest files, which are encrypted with Amazon S3 managed keys), under
   * `<prefix>/AWSLogs/<o-id>/<account>/CloudTrail-Digest/` (and the management account's own path):
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
   * The two denies that would refuse an SSE-S3 header leave out these paths; a third deny refuses any other named
   * encryption there (SSE-KMS without a key would use the account's aws/s3 key), and only the trail may write there.
   */
  const digests = [names.trailObjectPrefix, names.trailManagementAccountObjectPrefix].map((prefix) => `${bucketArn}/${prefix}/*/CloudTrail-Digest/*`);

  const statements: PolicyStatement[] = [
    /*
     * Encryption. A put that names no encryption gets the bucket default, the log key: that is how flow logs (and
     * Config without `s3_kms_key_arn`) deliver, and it is allowed. A put that names an encryption must name SSE-KMS
     * with the log key, by key ARN or by its alias ARN (CloudTrail keeps the key ARN it resolves from the alias it is
     * given; Config sends the ARN it was given). Anything else is refused: another algorithm, another key, SSE-KMS
     * without a key (S3 would use the account's aws/s3 key), or a key the caller holds (SSE-C). Each of these cases is
     * evaluated against the synthesized policy in the log-archive tests.
     */
    {
      Sid: 'DenyOtherEncryptionAlgorithms',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      NotResource: digests,
      Condition: {
        Null: { 's3:x-amz-server-side-encryption': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      },
    },
    {
      Sid: 'DenyDigestEncryptionOtherThanSseS3',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: digests,
      Condition: {
        Null: { 's3:x-amz-server-side-encryption': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' },
      },
    },
    {
      Sid: 'DenyOtherKmsKeys',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [props.keyArn, names.logKeyAliasArn] },
      },
    },
    {
      Sid: 'DenyKmsWithoutTheLogKey',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      NotResource: digests,
      Condition: {
        Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
      },
    },
    {
      Sid: 'DenyCustomerProvidedKeys',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
    },
    denyTampering(bucketArn, config.logArchive.breakGlassRoleArn),

    // The organization trail, and only it, writes under the organization id (and the management account's id).
    {
      Sid: 'OrganizationTrailChecksBucketAcl',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceArn': names.trailArn } },
    },
    {
      Sid: 'OrganizationTrailWritesLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [under(names.trailObjectPrefix), under(names.trailManagementAccountObjectPrefix)],
      Condition: { StringEquals: { ...OWNER_FULL_CONTROL, 'aws:SourceArn': names.trailArn } },
    },

    /*
     * AWS Config and flow logs of every account of the organization, under the account prefixes, authorized by the
     * organization rather than by a list of accounts: a list of account ids passes the 20 KB limit of a bucket policy at
     * about 300 accounts, and would leave out an account that joins before the next deploy.
     *
     * aws:SourceOrgID is the organization of the account on whose behalf a service principal calls; AWS sets it on every
     * request that carries aws:SourceAccount when that account belongs to an organization ("Availability" of
     * aws:SourceOrgID and aws:SourceAccount):
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
     * AWS's own confused-deputy resource control policy relies on it for every service that sends aws:SourceAccount (it
     * denies such a request unless aws:SourceOrgID matches), and the baseline's data perimeter applies that policy to
     * this bucket and key (so with the perimeter on, these deliveries already depended on it):
     * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
     * Config and log delivery (VPC flow logs) both send aws:SourceAccount to the bucket:
     * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
     * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
     * AWS Control Tower's own log bucket grants Config's deliveries by aws:SourceOrgID ("Amazon S3 bucket policy for
     * logging"), and AWS's data-perimeter examples name VPC flow-log delivery among the service writes the
     * aws:SourceOrgID control covers:
     * https://docs.aws.amazon.com/controltower/latest/userguide/bucket-policy.html
     * https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/resource_control_policies/README.md
     * Each service writes under its own account's id only (Config: AWSLogs/<account>/Config/; flow logs:
     * AWSLogs/<account>/), so an account of the organization cannot write under another account's prefix.
     */
    {
      Sid: 'ConfigChecksBucket',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: bucketArn,
      Condition: { StringEquals: fromOrganization },
    },
    {
      Sid: 'ConfigWritesDeliveries',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: under(names.configObjectPrefix('*')),
      Condition: { StringEquals: { ...OWNER_FULL_CONTROL, ...fromOrganization } },
    },
    {
      Sid: 'LogDeliveryChecksBucket',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: bucketArn,
      Condition: { StringEquals: fromOrganization },
    },
    {
      Sid: 'LogDeliveryWritesFlowLogs',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: under(names.flowLogObjectPrefix('*')),
      Condition: { StringEquals: { ...OWNER_FULL_CONTROL, ...fromOrganization } },
    },
  ];

  if (config.logArchive.readerRoleArns.length > 0) {
    const readers = grantToRoles(config.logArchive.readerRoleArns);
    statements.push(
      {
        Sid: 'ReadersListLogs',
        Effect: 'Allow',
        ...readers,
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketVersions'],
        Resource: bucketArn,
      },
      {
        Sid: 'ReadersReadLogs',
        Effect: 'Allow',
        ...readers,
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: objects,
      },
    );
  }
  return statements;
}
