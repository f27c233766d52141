import type { PolicyRule } from '../rule';
import { block } from '../stack-resources';
import { bucketSettings } from './bucket-relations';

/** Every S3 bucket has versioning enabled. */
const S3BucketVersioned: PolicyRule = {
  id: 'S3.Versioned',
  description: 'Every S3 bucket has an aws_s3_bucket_versioning with status "Enabled".',
  rationale: 'Versions keep overwritten and deleted objects recoverable, which log integrity and incident response depend on.',
  fix: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.',
  appliesTo: ['aws_s3_bucket'],
  evaluate(bucket, stack) {
    const statuses = [
      ...bucketSettings(bucket, stack, 'aws_s3_bucket_versioning').map((settings) => block(settings.config.versioning_configuration)?.status),
      block(bucket.config.versioning)?.enabled === true ? 'Enabled' : undefined,
    ].filter((status) => status !== undefined);
    if (statuses.includes('Enabled')) return [];
    return statuses.length === 0 ? ['no versioning configuration'] : [`versioning status is ${statuses.join(', ')}`];
  },
};

export default S3BucketVersioned;
