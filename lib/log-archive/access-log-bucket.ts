import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { HardenedBucket } from '../common/hardened-bucket';
import type { PolicyStatement } from '../common/policy-document';
import type { BaselineNames } from '../naming';
import { denyTampering } from './log-bucket-policy';

export interface AccessLogBucketProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * The bucket that receives the server access logs of the log bucket: who read, wrote or tried to delete logs.
 * S3 server access logging delivers only to a target encrypted with S3-managed keys (SSE-S3), so this bucket is,
 * unlike the log bucket; it is otherwise as hardened, and as protected against deletion.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: HardenedBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const { config, names } = props;
    const region = config.regions.home;
    const bucketArn = names.accessLogBucketArn;

    const statements: PolicyStatement[] = [
      denyTampering(bucketArn, config.logArchive.breakGlassRoleArn),
      {
        // With ACLs disabled, S3 log delivery is granted by policy, only for the log bucket of this account.
        Sid: 'S3WritesAccessLogsOfLogBucket',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${bucketArn}/${names.accessLogObjectPrefix}*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': names.logBucketArn },
          StringEquals: { 'aws:SourceAccount': config.accounts.logArchive.id },
        },
      },
    ];
    this.bucket = new HardenedBucket(this, 'Bucket', {
      bucketName: names.accessLogBucketName,
      region,
      policyStatements: statements,
    });

    const lifecycle = new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.bucket.id,
      region,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: config.logArchive.accessLogExpireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: config.logArchive.lifecycle.noncurrentVersionExpireAfterDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: config.logArchive.lifecycle.abortIncompleteUploadAfterDays }],
        },
      ],
      dependsOn: [this.bucket.versioning],
    });
    this.bucket.policyAfter(lifecycle);
  }
}
