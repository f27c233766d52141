import type { PolicyRule } from '../rule';
import { bucketSettings } from './bucket-relations';

const BLOCKS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** Every S3 bucket has a public-access block with all four settings on. */
const S3BucketPublicAccessBlocked: PolicyRule = {
  id: 'S3.PublicAccessBlocked',
  description: 'Every S3 bucket has an aws_s3_bucket_public_access_block with all four blocks set to true.',
  rationale: 'A bucket-level block keeps the bucket private even if the account-level block is lifted or a policy is mistyped.',
  fix: 'Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.',
  appliesTo: ['aws_s3_bucket'],
  evaluate(bucket, stack) {
    const settings = bucketSettings(bucket, stack, 'aws_s3_bucket_public_access_block');
    if (settings.length === 0) return ['no public access block'];
    const missing = BLOCKS.filter((name) => !settings.some((block) => block.config[name] === true));
    return missing.length === 0 ? [] : [`public access block leaves ${missing.join(', ')} off`];
  },
};

export default S3BucketPublicAccessBlocked;
