import { readPolicy, type ReadStatement } from '../policy-statements';
import type { PolicyRule } from '../rule';
import type { SynthesizedResource } from '../stack-resources';
import { bucketName, bucketSettings } from './bucket-relations';

/** Whether a policy Resource entry covers the bucket itself (`objects` false) or its objects (`objects` true). */
function covers(resource: string, bucket: SynthesizedResource, objects: boolean): boolean {
  if (resource === '*') return true;
  const suffix = objects ? '/*' : '';
  const name = bucketName(bucket);
  return resource === `\${${bucket.address}.arn}${suffix}` || (name !== undefined && resource.endsWith(`:::${name}${suffix}`));
}

function deniesInsecureTransport(statement: ReadStatement, bucket: SynthesizedResource): boolean {
  const everyone = statement.principals['*'] !== undefined || (statement.principals.AWS ?? []).includes('*');
  const allActions = statement.actions.some((action) => action === '*' || action === 's3:*');
  const insecure = statement.conditions.some(
    (condition) => /^Bool(IfExists)?$/.test(condition.operator) && condition.key === 'aws:SecureTransport' && condition.values.includes('false'),
  );
  const both = statement.resources.some((r) => covers(r, bucket, false)) && statement.resources.some((r) => covers(r, bucket, true));
  return statement.effect === 'Deny' && everyone && allActions && insecure && both;
}

/** Every S3 bucket's policy denies requests that do not use TLS. */
const S3BucketTlsOnly: PolicyRule = {
  id: 'S3.TlsOnly',
  description: 'Every S3 bucket has a bucket policy that denies s3:* to everyone when aws:SecureTransport is false, on the bucket and its objects.',
  rationale: 'Without it, clients may read and write logs over plain HTTP, exposing them and their credentials in transit.',
  fix: 'Add an aws_s3_bucket_policy for the bucket with denyInsecureTransport("s3:*", [bucketArn, `${bucketArn}/*`]) from lib/common/policy-document.',
  appliesTo: ['aws_s3_bucket'],
  evaluate(bucket, stack) {
    const policies = [
      ...bucketSettings(bucket, stack, 'aws_s3_bucket_policy').map((resource) => resource.config.policy),
      ...(bucket.config.policy === undefined ? [] : [bucket.config.policy]),
    ];
    if (policies.length === 0) return ['no bucket policy'];
    const problems: string[] = [];
    for (const policy of policies) {
      const read = readPolicy(policy, stack);
      if ('unreadable' in read) problems.push(`its policy cannot be read at synth: ${read.unreadable}`);
      else if (read.statements.some((statement) => deniesInsecureTransport(statement, bucket))) return [];
    }
    return [...problems, 'no statement denies s3:* to "*" on the bucket and its objects when aws:SecureTransport is false'];
  },
};

export default S3BucketTlsOnly;
