import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { HardenedBucket } from '../common/hardened-bucket';
import type { BaselineNames } from '../naming';
import type { AccessLogBucket } from './access-log-bucket';
import { logBucketPolicyStatements } from './log-bucket-policy';

export interface LogArchiveBucketProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  /** ARN of the key that encrypts the logs. */
  readonly keyArn: string;
  /** Where the bucket's server access logs go. */
  readonly accessLogs: AccessLogBucket;
}

/**
 * The central log bucket of the organization: CloudTrail, Config and flow logs of every account, encrypted with the
 * log key, moved to cheaper storage and expired on schedule, access-logged, optionally under Object Lock.
 */
export class LogArchiveBucket extends Construct {
  readonly bucket: HardenedBucket;

  constructor(scope: Construct, id: string, props: LogArchiveBucketProps) {
    super(scope, id);
    const { config, names } = props;
    const region = config.regions.home;
    const { lifecycle: days, objectLock } = config.logArchive;

    this.bucket = new HardenedBucket(this, 'Bucket', {
      bucketName: names.logBucketName,
      region,
      kmsKeyArn: props.keyArn,
      policyStatements: logBucketPolicyStatements({ config, names, keyArn: props.keyArn }),
    });
    const bucket = this.bucket.bucket.id;

    const lifecycle = new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      region,
      rule: [
        {
          id: 'archive-then-expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [
            { days: days.infrequentAccessAfterDays, storageClass: 'STANDARD_IA' },
            { days: days.glacierAfterDays, storageClass: 'GLACIER' },
          ],
          expiration: [{ days: days.expireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: days.noncurrentVersionExpireAfterDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: days.abortIncompleteUploadAfterDays }],
        },
      ],
      dependsOn: [this.bucket.versioning],
    });

    const logging = new S3BucketLoggingA(this, 'AccessLogging', {
      bucket,
      region,
      targetBucket: props.accessLogs.bucket.bucket.id,
      targetPrefix: names.accessLogObjectPrefix,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      // The target must let S3 log delivery write before logging is switched on.
      dependsOn: [props.accessLogs.bucket.policy],
    });
    this.bucket.policyAfter(lifecycle, logging);

    if (objectLock) {
      // Enabled through this resource (not the bucket's own argument), so turning it on later updates the bucket in
      // place instead of replacing it. Once on, Object Lock cannot be turned off.
      const lock = new S3BucketObjectLockConfigurationA(this, 'ObjectLock', {
        bucket,
        region,
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: objectLock.mode, days: objectLock.retentionDays } },
        dependsOn: [this.bucket.versioning],
      });
      this.bucket.policyAfter(lock);
    }
  }
}
