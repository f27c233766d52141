import { AnnotationMetadataEntryType, Testing } from 'cdktf';
import { BUCKET_POLICY_MAX_BYTES } from '../../lib/common/hardened-bucket';
import { policyJson } from '../../lib/common/policy-document';
import { logBucketPolicyStatements } from '../../lib/log-archive/log-bucket-policy';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import { LogArchiveStack } from '../../stacks/log-archive-stack';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack } from '../helpers';
import { synthLogArchive } from './synth';

/* What the log-archive stack creates, read from its synthesized Terraform JSON. */

const config = exampleConfig();
const names = new BaselineNames(config);
const stack = synthLogArchive(config);

/** The one resource of a type whose `bucket` refers to the bucket with the given name. */
function forBucket(synthesized: SynthesizedStack, type: string, bucketName: string): Record<string, any> {
  const buckets = resourcesOf(synthesized, 'aws_s3_bucket');
  const logicalId = Object.keys(buckets).find((id) => buckets[id].bucket === bucketName);
  const matches = Object.values(resourcesOf(synthesized, type)).filter((resource) => resource.bucket === `\${aws_s3_bucket.${logicalId}.id}`);
  expect(matches).toHaveLength(1);
  return matches[0] as Record<string, any>;
}

const bucketNames = [names.logBucketName, names.accessLogBucketName];

describe('the log key', () => {
  const [key] = Object.values(resourcesOf(stack, 'aws_kms_key')) as Record<string, any>[];

  it('is one rotating key, kept by prevent_destroy, with the longest deletion window', () => {
    expect(Object.keys(resourcesOf(stack, 'aws_kms_key'))).toHaveLength(1);
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true }, region: 'eu-west-1' });
  });

  it('is reachable by the alias the other stacks name', () => {
    const [alias] = Object.values(resourcesOf(stack, 'aws_kms_alias')) as Record<string, any>[];
    expect(alias.name).toBe(names.logKeyAliasName);
    expect(names.logKeyAliasArn).toBe(`arn:aws:kms:eu-west-1:222222222222:${alias.name}`);
  });
});

describe.each(bucketNames)('bucket %s', (bucketName) => {
  it('is kept by prevent_destroy and never force-destroyed', () => {
    const [bucket] = Object.values(resourcesOf(stack, 'aws_s3_bucket')).filter((resource) => resource.bucket === bucketName);
    expect(bucket).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true }, region: 'eu-west-1' });
  });

  it('is versioned, private, and has ACLs disabled', () => {
    expect(forBucket(stack, 'aws_s3_bucket_versioning', bucketName).versioning_configuration).toEqual({ status: 'Enabled' });
    expect(forBucket(stack, 'aws_s3_bucket_public_access_block', bucketName)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(forBucket(stack, 'aws_s3_bucket_ownership_controls', bucketName).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('gets its policy only after every setting the policy protects', () => {
    const policy = forBucket(stack, 'aws_s3_bucket_policy', bucketName);
    for (const type of ['aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_lifecycle_configuration']) {
      const logicalId = Object.entries(resourcesOf(stack, type)).find(([, resource]) => resource === forBucket(stack, type, bucketName))![0];
      expect(policy.depends_on).toContain(`${type}.${logicalId}`);
    }
  });
});

describe('the log bucket', () => {
  it('encrypts with the log key and the S3 bucket key, and refuses customer-provided keys', () => {
    const [keyId] = Object.keys(resourcesOf(stack, 'aws_kms_key'));
    expect(forBucket(stack, 'aws_s3_bucket_server_side_encryption_configuration', names.logBucketName).rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` },
        bucket_key_enabled: true,
        blocked_encryption_types: ['SSE-C'],
      },
    ]);
  });

  it('moves logs to cheaper storage and expires them on the configured days', () => {
    const [rule] = forBucket(stack, 'aws_s3_bucket_lifecycle_configuration', names.logBucketName).rule;
    expect(rule).toMatchObject({
      status: 'Enabled',
      filter: [{ prefix: '' }],
      transition: [
        { days: 90, storage_class: 'STANDARD_IA' },
        { days: 365, storage_class: 'GLACIER' },
      ],
      expiration: [{ days: 2557 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });

  it('sends its server access logs to the access-log bucket', () => {
    const logging = forBucket(stack, 'aws_s3_bucket_logging', names.logBucketName);
    const [accessLogBucketId] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, bucket]) => bucket.bucket === names.accessLogBucketName)!;
    expect(logging).toMatchObject({ target_bucket: `\${aws_s3_bucket.${accessLogBucketId}.id}`, target_prefix: names.accessLogObjectPrefix });
  });

  it('has no Object Lock unless configured', () => {
    expect(resourcesOf(stack, 'aws_s3_bucket_object_lock_configuration')).toEqual({});
  });

  it('has Object Lock with the configured mode and default retention when asked', () => {
    const locked = synthLogArchive(
      configWith((input) => {
        input.logArchive = { ...input.logArchive, objectLock: { mode: 'COMPLIANCE', retentionDays: 400 } };
      }),
    );
    const lock = forBucket(locked, 'aws_s3_bucket_object_lock_configuration', names.logBucketName);
    expect(lock).toMatchObject({ object_lock_enabled: 'Enabled', rule: { default_retention: { mode: 'COMPLIANCE', days: 400 } } });
    const [lockId] = Object.keys(resourcesOf(locked, 'aws_s3_bucket_object_lock_configuration'));
    expect(forBucket(locked, 'aws_s3_bucket_policy', names.logBucketName).depends_on).toContain(`aws_s3_bucket_object_lock_configuration.${lockId}`);
  });

  it('warns at synth that AWS Config cannot deliver to a locked bucket', () => {
    const warningsOf = (objectLock?: { mode: 'GOVERNANCE'; retentionDays: number }) => {
      const config = configWith((input) => void (input.logArchive = { ...input.logArchive, objectLock }));
      const account = organizationAccounts(config).find((candidate) => candidate.role === 'log-archive')!;
      const built = new LogArchiveStack(Testing.app(), 'log-archive', { config, account });
      return built.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
    };
    expect(warningsOf({ mode: 'GOVERNANCE', retentionDays: 30 })).toEqual([expect.stringMatching(/AWS Config cannot deliver to a bucket with Object Lock/)]);
    expect(warningsOf(undefined)).toEqual([]);
  });
});

describe('the access-log bucket', () => {
  it('uses S3-managed keys, the only default encryption S3 server access logging delivers to', () => {
    expect(forBucket(stack, 'aws_s3_bucket_server_side_encryption_configuration', names.accessLogBucketName).rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, blocked_encryption_types: ['SSE-C'] },
    ]);
  });

  it('expires access logs on the configured day', () => {
    const [rule] = forBucket(stack, 'aws_s3_bucket_lifecycle_configuration', names.accessLogBucketName).rule;
    expect(rule).toMatchObject({ status: 'Enabled', expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });
});

describe('outputs', () => {
  it('give the same names as the naming module, so no stack needs this one', () => {
    const value = (name: string) => stack.output?.[name]?.value;
    expect(value('log_bucket_name')).toBe(names.logBucketName);
    expect(value('log_bucket_arn')).toBe(names.logBucketArn);
    expect(value('log_key_alias_arn')).toBe(names.logKeyAliasArn);
    expect(value('log_key_arn')).toMatch(/^\$\{aws_kms_key\.[\w]+\.arn\}$/);
    expect(value('access_log_bucket_name')).toBe(names.accessLogBucketName);
    expect(value('trail_object_prefix')).toBe(names.trailObjectPrefix);
    expect(value('config_object_prefixes')).toMatchObject({ '444444444444': names.configObjectPrefix('444444444444') });
    expect(value('flow_log_object_prefixes')).toMatchObject({ '555555555555': names.flowLogObjectPrefix('555555555555') });
  });

  it('name the flow-log prefix as flow logs write it, with or without Hive-compatible partitions', () => {
    expect(names.flowLogObjectPrefix('555555555555')).toBe('flow-logs/AWSLogs/aws-account-id=555555555555');
    const plain = new BaselineNames(configWith((input) => void (input.flowLogs = { hiveCompatiblePartitions: false })));
    expect(plain.flowLogObjectPrefix('555555555555')).toBe('flow-logs/AWSLogs/555555555555');
  });
});

describe('policy size', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const withMembers = (count: number) =>
    configWith((input) => {
      input.accounts.members = Array.from({ length: count }, (_, index) => ({
        name: index === 0 ? 'workload-prod' : `workload-${index}`,
        id: String(600000000000 + index),
      }));
    });

  it('does not grow with the organization: 5,000 accounts get the policy 3 accounts get', () => {
    const small = logBucketPolicyStatements({ config: withMembers(1), names: new BaselineNames(withMembers(1)), keyArn });
    const large = withMembers(4997);
    const statements = logBucketPolicyStatements({ config: large, names: new BaselineNames(large), keyArn });
    expect(policyJson(statements)).toBe(policyJson(small));
    expect(Buffer.byteLength(policyJson(statements))).toBeLessThan(BUCKET_POLICY_MAX_BYTES);
  });

  it('fails the synth, naming the bucket, for grants S3 could not hold', () => {
    const huge = configWith((input) => {
      input.logArchive = { readerRoleArns: Array.from({ length: 400 }, (_, index) => `arn:aws:iam::${String(600000000000 + index)}:role/log-reader-${index}`) };
    });
    expect(() => synthLogArchive(huge)).toThrow(`The policy of bucket ${names.logBucketName} has`);
  });
});
