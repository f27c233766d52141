import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { EncryptionKey } from '../common/encryption-key';
import { grantToRoles, type PolicyStatement } from '../common/policy-document';
import { type BaselineNames, LOG_PREFIXES } from '../naming';

export interface LogArchiveKeyProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * The customer-managed key that encrypts every log of the organization. The log-archive account administers it
 * through IAM; the three writers may only encrypt, each for its own source and into the log bucket; the configured
 * reader roles may only decrypt, and only through S3 on objects of the log bucket.
 */
export class LogArchiveKey extends Construct {
  readonly key: EncryptionKey;
  /** The key's ARN (known after apply); other stacks use `names.logKeyAliasArn`. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogArchiveKeyProps) {
    super(scope, id);
    const { config, names } = props;
    this.key = new EncryptionKey(this, 'Key', {
      description: `Encrypts the logs of organization ${config.organization.id} in ${names.logBucketName}`,
      alias: names.logKeyAliasName.replace(/^alias\//, ''),
      accountId: config.accounts.logArchive.id,
      region: config.regions.home,
      statements: logKeyStatements(config, names),
    });
    this.keyArn = this.key.key.arn;
  }
}

/** The grants of the log key besides the account's own administration. */
export function logKeyStatements(config: BaselineConfig, names: BaselineNames): PolicyStatement[] {
  const bucketArn = names.logBucketArn;
  /*
   * Config and log delivery encrypt for every account of the organization, authorized by the organization (as on the
   * log bucket, see logBucketPolicyStatements): a list of account ids would grow the key policy past its 32 KB at a few
   * thousand accounts. Both services send aws:SourceAccount on these KMS calls, and AWS sets aws:SourceOrgID beside it:
   * https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
   * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
   * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html (KMS supports every global condition key)
   * https://docs.aws.amazon.com/controltower/latest/userguide/bucket-policy.html (Control Tower grants Config by it)
   */
  const fromOrganization = { 'aws:SourceOrgID': config.organization.id };
  // S3 names the object (or, with the bucket key, the bucket) in the encryption context of every data key it asks
  // for: the writers can use the key for this bucket's own log prefix and nothing else.
  const intoLogBucket = (prefix: string) => ({
    'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/${prefix}/AWSLogs/*`],
  });
  const statements: PolicyStatement[] = [
    denyKeyTampering(config, names),
    {
      Sid: 'OrganizationTrailEncryptsLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': names.trailArn },
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${config.accounts.management.id}:trail/*`,
        },
      },
    },
    {
      // With the S3 bucket key on, S3 asks for the bucket-level key in the bucket's own encryption context, and
      // CloudTrail needs kms:Decrypt to create or update a trail that writes into such a bucket (CloudTrail's key
      // policy requirements for S3 Bucket Keys).
      Sid: 'OrganizationTrailUsesBucketKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': names.trailArn, 'kms:EncryptionContext:aws:s3:arn': bucketArn },
      },
    },
    {
      Sid: 'OrganizationTrailDecryptsForBucketKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': names.trailArn } },
    },
    {
      Sid: 'OrganizationTrailDescribesKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': names.trailArn } },
    },
    {
      // kms:Decrypt is how S3 completes a multipart upload of an SSE-KMS object; it reads nothing back.
      Sid: 'ConfigEncryptsDeliveries',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: fromOrganization,
        StringLike: intoLogBucket(LOG_PREFIXES.config),
      },
    },
    {
      Sid: 'LogDeliveryEncryptsFlowLogs',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: fromOrganization,
        StringLike: intoLogBucket(LOG_PREFIXES.flowLogs),
      },
    },
  ];
  // The trail (management) and Config (every account) name the key by its ARN, which their stacks look up from the
  // alias with kms:DescribeKey (LogKeyLookup); the accounts' IAM policies must allow it too. DescribeKey reveals the
  // key's metadata only. https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
  // Granted to the principals of the organization's accounts by aws:PrincipalOrgID, not by a list of account roots
  // (27 bytes an account: the 32 KB key policy would hold about 1,100):
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html
  statements.push({
    Sid: 'OrganizationAccountsLookUpTheKey',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 'kms:DescribeKey',
    Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organization.id } },
  });
  if (config.logArchive.readerRoleArns.length > 0) {
    const readers = grantToRoles(config.logArchive.readerRoleArns);
    statements.push({
      Sid: 'ReadersDecryptLogsThroughS3',
      Effect: 'Allow',
      Principal: readers.Principal,
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ...readers.Condition,
        StringEquals: { 'kms:ViaService': `s3.${config.regions.home}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
      },
    });
  }
  return statements;
}

/**
 * The calls that would make every log unreadable or let the key be swapped: disabling the key, scheduling its
 * deletion, replacing its policy, switching rotation off, and repointing or deleting its alias. The account's kms:*
 * grant (EncryptionKey) stays, so the account administers everything else through IAM; these calls are left to the
 * log-archive account's deployment role and the break-glass role only.
 *
 * KMS refuses (without BypassPolicyLockoutSafetyCheck) a key policy that would keep the principal who sets it from
 * calling PutKeyPolicy later; the deployment role, which writes this policy, is exempt, so the check passes. A deploy
 * of the log-archive stack with a profile that is not a session of that role is refused by KMS instead of locking
 * the key. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html (BypassPolicyLockoutSafetyCheck)
 * Action names: https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
 * (UpdateAlias and DeleteAlias are also authorized on the key the alias points to).
 */
export const KEY_TAMPERING_ACTIONS = [
  'kms:DeleteAlias',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:UpdateAlias',
] as const;

function denyKeyTampering(config: BaselineConfig, names: BaselineNames): PolicyStatement {
  const exempt = [names.deploymentRoleArn(config.accounts.logArchive.id), ...(config.logArchive.breakGlassRoleArn ? [config.logArchive.breakGlassRoleArn] : [])];
  return {
    Sid: 'DenyKeyTamperingExceptDeploymentAndBreakGlass',
    Effect: 'Deny',
    Principal: '*',
    Action: KEY_TAMPERING_ACTIONS,
    Resource: '*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
  };
}
