import type { PolicyRule } from '../rule';

/*
 * General purpose bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * 3-63 characters of lowercase letters, digits, dots and hyphens; a letter or digit first and last; no two adjacent
 * periods; not an IP address; none of the prefixes and suffixes S3 reserves.
 */
export const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
export const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** What is wrong with a bucket name, if anything. */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`is ${name.length} characters; S3 accepts 3 to 63`);
  if (!/^[a-z0-9.-]*$/.test(name)) problems.push('has characters other than lowercase letters, digits, dots and hyphens');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push('does not begin and end with a letter or digit');
  if (name.includes('..')) problems.push('has two adjacent periods');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push('is formatted as an IP address');
  for (const prefix of RESERVED_BUCKET_PREFIXES) if (name.startsWith(prefix)) problems.push(`begins with "${prefix}", which S3 reserves`);
  for (const suffix of RESERVED_BUCKET_SUFFIXES) if (name.endsWith(suffix)) problems.push(`ends with "${suffix}", which S3 reserves`);
  return problems;
}

/** Every bucket name is one S3 accepts. */
const S3BucketName: PolicyRule = {
  id: 'Limits.S3BucketName',
  description: 'Every S3 bucket name has 3 to 63 lowercase letters, digits, dots or hyphens, and none of the prefixes (xn--, sthree-, amzn-s3-demo-) or suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3) S3 reserves.',
  rationale: 'S3 refuses the bucket at apply; the log buckets are created first, so everything after them would fail too.',
  fix: 'Change the configuration value the name is built from (prefix, account id, region, monitored bucket name).',
  appliesTo: ['aws_s3_bucket'],
  evaluate(bucket) {
    const name = bucket.config.bucket;
    if (typeof name !== 'string' || name.includes('${')) return [];
    return bucketNameProblems(name).map((problem) => `bucket "${name}" ${problem}`);
  },
};

export default S3BucketName;
