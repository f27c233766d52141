import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { dependable, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { denyInsecureTransport, type PolicyStatement, policyJson } from './policy-document';

/** A bucket policy may hold at most 20 KB; S3 rejects a larger one at deploy time. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

export interface HardenedBucketProps {
  readonly bucketName: string;
  /** Region of the bucket and of its settings. */
  readonly region: string;
  /** KMS key for default encryption, with the S3 bucket key on. @default - S3-managed keys (SSE-S3) */
  readonly kmsKeyArn?: string;
  /** Statements of the bucket policy, after the TLS-only deny the construct always adds. @default - none */
  readonly policyStatements?: readonly PolicyStatement[];
}

/**
 * An S3 bucket as every bucket of the baseline is: encrypted by default (SSE-C refused), versioned, private (all four
 * public-access blocks), ACLs disabled (`BucketOwnerEnforced`), TLS-only, kept by `prevent_destroy` and never
 * force-destroyed. The policy is applied last, after every setting of the bucket (see `policyAfter`), so that a
 * policy denying changes to those settings cannot block the first deploy.
 */
export class HardenedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
  readonly bucketName: string;
  /** `arn:aws:s3:::<name>`, known before the bucket exists. */
  readonly bucketArn: string;
  /** The statements of the bucket policy as synthesized, TLS-only deny first. */
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    this.bucketArn = `arn:aws:s3:::${props.bucketName}`;
    const region = props.region;

    this.bucket = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      region,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;

    this.versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
      region,
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          // One data key per bucket and period instead of one KMS call per object: cheaper, and within KMS quotas.
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined,
          // Objects under keys the caller holds (SSE-C) could not be read by anyone else, investigators included.
          blockedEncryptionTypes: ['SSE-C'],
        },
      ],
      region,
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      region,
    });
    const ownership = new S3BucketOwnershipControls(this, 'Ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
      region,
    });

    this.policyStatements = [
      denyInsecureTransport('s3:*', [this.bucketArn, `${this.bucketArn}/*`]),
      ...(props.policyStatements ?? []),
    ];
    const policy = policyJson(this.policyStatements);
    if (Buffer.byteLength(policy) > BUCKET_POLICY_MAX_BYTES) {
      throw new Error(
        `The policy of bucket ${props.bucketName} has ${Buffer.byteLength(policy)} bytes; S3 accepts at most ${BUCKET_POLICY_MAX_BYTES}`,
      );
    }
    this.policy = new S3BucketPolicy(this, 'Policy', { bucket, policy, region });
    this.policyAfter(this.versioning, encryption, publicAccess, ownership);
  }

  /** Applies the bucket policy only once the given resources exist. */
  policyAfter(...resources: ITerraformDependable[]): void {
    this.policy.dependsOn = [...(this.policy.dependsOn ?? []), ...resources.map((resource) => dependable(resource))];
  }
}
