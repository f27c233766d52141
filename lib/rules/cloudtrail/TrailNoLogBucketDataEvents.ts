import type { PolicyRule } from '../rule';
import { blocks, type StackResources, type SynthesizedResource } from '../stack-resources';

const S3_ARN = 'arn:aws:s3:::';

/** The buckets a trail must never select data events on: the one it delivers to, and where that one logs its access. */
function deliveryBuckets(trail: SynthesizedResource, stack: StackResources): string[] {
  const bucket = trail.config.s3_bucket_name;
  if (typeof bucket !== 'string' || bucket.includes('${')) return [];
  const accessLogTargets = stack
    .ofType('aws_s3_bucket_logging')
    .filter((logging) => logging.config.bucket === bucket)
    .map((logging) => logging.config.target_bucket)
    .filter((target): target is string => typeof target === 'string' && !target.includes('${'));
  return [bucket, ...accessLogTargets];
}

/** Whether an ARN prefix (or exact ARN) selects objects of the bucket. */
function selectsBucket(prefix: string, bucket: string): boolean {
  const objects = `${S3_ARN}${bucket}/`;
  return objects.startsWith(prefix) || prefix.startsWith(objects);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The trail never records S3 data events on the bucket it delivers to, nor on that bucket's access-log bucket. */
const TrailNoLogBucketDataEvents: PolicyRule = {
  id: 'CloudTrail.NoLogBucketDataEvents',
  description: 'No trail selects S3 data events on the bucket it delivers its logs to (or on that bucket\'s access-log bucket).',
  rationale:
    'Every log file the trail delivers is itself an S3 data event on that bucket: selecting it makes the trail log its own delivery, in a loop billed per event.',
  fix: 'Scope the S3 data-event selector with resources.ARN starts_with the monitored buckets only (never the log archive buckets), or add not_starts_with "arn:aws:s3:::<log bucket>/" to a selector on all buckets.',
  appliesTo: ['aws_cloudtrail'],
  evaluate(trail, stack) {
    const buckets = deliveryBuckets(trail, stack);
    const problems: string[] = [];
    for (const selector of blocks(trail.config.advanced_event_selector)) {
      const fields = blocks(selector.field_selector);
      const field = (name: string) => fields.find((candidate) => candidate.field === name);
      const types = strings(field('resources.type')?.equals);
      if (!types.includes('AWS::S3::Object')) continue;
      const arn = field('resources.ARN');
      const included = [...strings(arn?.equals), ...strings(arn?.starts_with)];
      const excluded = [...strings(arn?.not_equals), ...strings(arn?.not_starts_with)];
      const name = String(selector.name ?? '(unnamed selector)');
      for (const bucket of buckets) {
        const selected = included.length === 0 ? true : included.some((prefix) => selectsBucket(prefix, bucket));
        const left = excluded.some((prefix) => `${S3_ARN}${bucket}/`.startsWith(prefix));
        if (selected && !left) problems.push(`selector "${name}" records S3 data events on ${bucket}, where the trail delivers`);
      }
    }
    for (const selector of blocks(trail.config.event_selector)) {
      for (const resource of blocks(selector.data_resource).filter((candidate) => candidate.type === 'AWS::S3::Object')) {
        for (const bucket of buckets) {
          if (strings(resource.values).some((value) => value === 'arn:aws:s3' || value === S3_ARN || selectsBucket(value, bucket))) {
            problems.push(`event selector records S3 data events on ${bucket}, where the trail delivers`);
          }
        }
      }
    }
    return problems;
  },
};

export default TrailNoLogBucketDataEvents;
