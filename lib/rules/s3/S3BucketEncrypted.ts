import type { PolicyRule } from '../rule';
import { block, blocks } from '../stack-resources';
import { bucketSettings } from './bucket-relations';

const ALGORITHMS = ['aws:kms', 'aws:kms:dsse', 'AES256'];

/** Every S3 bucket has default encryption configured. */
const S3BucketEncrypted: PolicyRule = {
  id: 'S3.Encrypted',
  description: 'Every S3 bucket has a default server-side encryption configuration (SSE-KMS, or SSE-S3 where KMS cannot be used).',
  rationale: 'Objects written without explicit encryption headers must still be encrypted at rest under a key the organization controls.',
  fix: 'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with sse_algorithm "aws:kms" and a customer-managed key.',
  appliesTo: ['aws_s3_bucket'],
  evaluate(bucket, stack) {
    const rules = [
      ...bucketSettings(bucket, stack, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((settings) => blocks(settings.config.rule)),
      ...blocks(block(bucket.config.server_side_encryption_configuration)?.rule),
    ];
    const algorithms = rules.map((rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm);
    if (algorithms.some((algorithm) => ALGORITHMS.includes(String(algorithm)))) return [];
    return rules.length === 0 ? ['no default encryption configuration'] : [`default encryption algorithm is ${algorithms.join(', ')}`];
  },
};

export default S3BucketEncrypted;
