import type { StackResources, SynthesizedResource } from '../stack-resources';

/** The attributes that name a bucket literally, for settings resources that use the name instead of a reference. */
const BUCKET_NAME_ATTRIBUTES = ['bucket'];

/** The resources of a settings type (`aws_s3_bucket_versioning`, ...) that apply to the bucket. */
export function bucketSettings(bucket: SynthesizedResource, stack: StackResources, type: string): SynthesizedResource[] {
  return stack.pointingAt(type, 'bucket', bucket, BUCKET_NAME_ATTRIBUTES);
}

/** The bucket's literal name, when it has one. */
export function bucketName(bucket: SynthesizedResource): string | undefined {
  const name = bucket.config.bucket;
  return typeof name === 'string' && !name.includes('${') ? name : undefined;
}
