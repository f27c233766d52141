import { BaselineNames } from '../../lib/naming';
import { exampleConfig, resourcesOf } from '../helpers';
import { evaluate, type SimulatedRequest } from '../policy/simulate';
import { synthLogArchive } from './synth';

/*
 * The bucket policies as AWS would evaluate them: each log flow of the organization can deliver where it writes,
 * and nothing else gets through (another account, another key, plain HTTP, a delete).
 */

const config = exampleConfig();
const names = new BaselineNames(config);
const stack = synthLogArchive(config);

const KEY_ARN = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LOG_ARCHIVE = '222222222222';
const MANAGEMENT = '111111111111';
const WORKLOAD = '444444444444';
const OUTSIDER = '999999999999';
/** An account of the organization that the configuration does not list (it joined after the last deploy). */
const UNLISTED = '666666666666';
const ORG = config.organization.id;
const OTHER_ORG = 'o-zzzzzzzzzz';
/** The organization AWS reports for a source account, as aws:SourceOrgID. */
const orgOf = (account: string) => (account === OUTSIDER ? OTHER_ORG : ORG);

/** A synthesized bucket policy, with the key's apply-time reference replaced by a concrete key ARN. */
function bucketPolicy(bucketName: string): unknown {
  const buckets = resourcesOf(stack, 'aws_s3_bucket');
  const logicalId = Object.keys(buckets).find((id) => buckets[id].bucket === bucketName);
  const [policy] = Object.values(resourcesOf(stack, 'aws_s3_bucket_policy')).filter((resource) => resource.bucket === `\${aws_s3_bucket.${logicalId}.id}`);
  return JSON.parse((policy.policy as string).replace(/\$\{aws_kms_key\.\w+\.arn\}/g, KEY_ARN));
}

const logBucket = bucketPolicy(names.logBucketName);
const accessLogBucket = bucketPolicy(names.accessLogBucketName);
const object = (key: string) => `${names.logBucketArn}/${key}`;
const OWNER = { 's3:x-amz-acl': 'bucket-owner-full-control' };
const KMS_WITH = (keyId: string) => ({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': keyId });

const onLogBucket = (request: Omit<SimulatedRequest, 'resourceAccount'>) =>
  evaluate({ ...request, resourceAccount: LOG_ARCHIVE }, { resourcePolicy: logBucket });

const trailPut = (key: string, context: Record<string, string> = {}) =>
  onLogBucket({
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: object(key),
    context: { ...OWNER, 'aws:SourceArn': names.trailArn, 'aws:SourceAccount': MANAGEMENT, ...KMS_WITH(KEY_ARN), ...context },
  });
const configPut = (sourceAccount: string, key: string, context: Record<string, string> = {}) =>
  onLogBucket({
    principal: 'config.amazonaws.com',
    action: 's3:PutObject',
    resource: object(key),
    context: { ...OWNER, 'aws:SourceAccount': sourceAccount, 'aws:SourceOrgID': orgOf(sourceAccount), ...context },
  });
const flowLogPut = (sourceAccount: string, key: string, context: Record<string, string> = {}) =>
  onLogBucket({
    principal: 'delivery.logs.amazonaws.com',
    action: 's3:PutObject',
    resource: object(key),
    context: {
      ...OWNER,
      'aws:SourceAccount': sourceAccount,
      'aws:SourceOrgID': orgOf(sourceAccount),
      'aws:SourceArn': `arn:aws:logs:eu-central-1:${sourceAccount}:*`,
      ...context,
    },
  });

const trailKey = (account: string) => `${names.trailObjectPrefix}/${account}/CloudTrail/eu-west-1/2026/11/22/file.json.gz`;
const configKey = (account: string) => `${names.configObjectPrefix(account)}/eu-west-1/2026/11/22/ConfigHistory/file.json.gz`;
const flowLogKey = (account: string) => `${names.flowLogObjectPrefix(account)}/year=2026/month=11/day=22/hour=10/file.log.parquet`;

describe('the organization trail', () => {
  it('checks the bucket ACL and writes under the organization id and the management account id', async () => {
    await expect(
      onLogBucket({ principal: 'cloudtrail.amazonaws.com', action: 's3:GetBucketAcl', resource: names.logBucketArn, context: { 'aws:SourceArn': names.trailArn } }),
    ).resolves.toBe('Allowed');
    await expect(trailPut(trailKey(WORKLOAD))).resolves.toBe('Allowed');
    await expect(trailPut(`${names.trailManagementAccountObjectPrefix}/CloudTrail-Digest/eu-west-1/file.json.gz`)).resolves.toBe('Allowed');
  });

  it('may not write for another trail, outside its prefix, or without handing the object to the bucket owner', async () => {
    const otherTrail = `arn:aws:cloudtrail:eu-west-1:${OUTSIDER}:trail/${names.trailName}`;
    await expect(trailPut(trailKey(WORKLOAD), { 'aws:SourceArn': otherTrail, 'aws:SourceAccount': OUTSIDER })).resolves.toBe('ImplicitlyDenied');
    await expect(trailPut(configKey(WORKLOAD))).resolves.toBe('ImplicitlyDenied');
    await expect(trailPut(trailKey(WORKLOAD), { 's3:x-amz-acl': 'private' })).resolves.toBe('ImplicitlyDenied');
  });
});

describe('AWS Config', () => {
  it('of every account of the organization, listed in the configuration or not, checks the bucket and writes under its account', async () => {
    for (const account of [MANAGEMENT, LOG_ARCHIVE, WORKLOAD, UNLISTED]) {
      for (const action of ['s3:GetBucketAcl', 's3:ListBucket']) {
        await expect(
          onLogBucket({ principal: 'config.amazonaws.com', action, resource: names.logBucketArn, context: { 'aws:SourceAccount': account, 'aws:SourceOrgID': ORG } }),
        ).resolves.toBe('Allowed');
      }
      await expect(configPut(account, configKey(account))).resolves.toBe('Allowed');
    }
  });

  it('delivers with the log key named by its alias ARN, or with no encryption named', async () => {
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), KMS_WITH(names.logKeyAliasArn))).resolves.toBe('Allowed');
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), KMS_WITH(KEY_ARN))).resolves.toBe('Allowed');
  });

  it('of an account outside the organization may do nothing', async () => {
    await expect(
      onLogBucket({
        principal: 'config.amazonaws.com',
        action: 's3:GetBucketAcl',
        resource: names.logBucketArn,
        context: { 'aws:SourceAccount': OUTSIDER, 'aws:SourceOrgID': OTHER_ORG },
      }),
    ).resolves.toBe('ImplicitlyDenied');
    await expect(configPut(OUTSIDER, configKey(OUTSIDER))).resolves.toBe('ImplicitlyDenied');
    // An account in no organization: AWS sends no aws:SourceOrgID at all.
    await expect(
      onLogBucket({ principal: 'config.amazonaws.com', action: 's3:PutObject', resource: object(configKey(OUTSIDER)), context: { ...OWNER, 'aws:SourceAccount': OUTSIDER } }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('may not write outside the Config prefixes', async () => {
    await expect(configPut(WORKLOAD, trailKey(WORKLOAD))).resolves.toBe('ImplicitlyDenied');
    await expect(configPut(WORKLOAD, flowLogKey(WORKLOAD))).resolves.toBe('ImplicitlyDenied');
  });
});

describe('VPC flow logs', () => {
  it('of every account of the organization, listed in the configuration or not, are delivered under the account, encrypted by the bucket default', async () => {
    for (const account of [MANAGEMENT, LOG_ARCHIVE, WORKLOAD, UNLISTED]) {
      await expect(flowLogPut(account, flowLogKey(account))).resolves.toBe('Allowed');
      await expect(
        onLogBucket({
          principal: 'delivery.logs.amazonaws.com',
          action: 's3:GetBucketAcl',
          resource: names.logBucketArn,
          context: { 'aws:SourceAccount': account, 'aws:SourceOrgID': ORG, 'aws:SourceArn': `arn:aws:logs:eu-west-1:${account}:*` },
        }),
      ).resolves.toBe('Allowed');
    }
  });

  it('of an account outside the organization, or outside the flow-log prefix, are refused', async () => {
    await expect(flowLogPut(OUTSIDER, flowLogKey(OUTSIDER))).resolves.toBe('ImplicitlyDenied');
    await expect(flowLogPut(WORKLOAD, configKey(WORKLOAD))).resolves.toBe('ImplicitlyDenied');
  });
});

describe('CloudTrail digest files', () => {
  // Digest files are encrypted with SSE-S3 even when the trail's log files use SSE-KMS.
  const digestKey = (account: string) =>
    `${names.trailObjectPrefix}/${account}/CloudTrail-Digest/eu-west-1/2026/11/22/${account}_CloudTrail-Digest_eu-west-1_acme-organization-trail_eu-west-1_20261122T100000Z.json.gz`;
  const SSE_S3 = { 's3:x-amz-server-side-encryption': 'AES256' };
  const digestPut = (key: string, context: Record<string, string>) =>
    onLogBucket({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: object(key),
      context: { ...OWNER, 'aws:SourceArn': names.trailArn, 'aws:SourceAccount': MANAGEMENT, ...context },
    });

  it('are delivered by the organization trail with SSE-S3, for every account, the management account included', async () => {
    await expect(digestPut(digestKey(WORKLOAD), SSE_S3)).resolves.toBe('Allowed');
    await expect(digestPut(digestKey(WORKLOAD).replace(names.trailObjectPrefix, names.trailManagementAccountObjectPrefix), SSE_S3)).resolves.toBe('Allowed');
  });

  it('only under the digest path: a log file written with SSE-S3 is still refused', async () => {
    await expect(digestPut(trailKey(WORKLOAD), SSE_S3)).resolves.toBe('ExplicitlyDenied');
  });

  it('are still refused with a customer-provided key, another KMS key, or SSE-KMS without a key (the aws/s3 key)', async () => {
    const otherKey = `arn:aws:kms:eu-west-1:${OUTSIDER}:key/0000abcd-12ab-34cd-56ef-1234567890ab`;
    await expect(digestPut(digestKey(WORKLOAD), { 's3:x-amz-server-side-encryption': 'aws:kms' })).resolves.toBe('ExplicitlyDenied');
    await expect(digestPut(digestKey(WORKLOAD), { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' })).resolves.toBe('ExplicitlyDenied');
    await expect(digestPut(digestKey(WORKLOAD), { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' })).resolves.toBe('ExplicitlyDenied');
    await expect(digestPut(digestKey(WORKLOAD), KMS_WITH(otherKey))).resolves.toBe('ExplicitlyDenied');
  });
});

describe('encryption of every write', () => {
  it('refuses a write that names another algorithm, another key, SSE-KMS without a key, or a customer key', async () => {
    const otherKey = `arn:aws:kms:eu-west-1:${OUTSIDER}:key/0000abcd-12ab-34cd-56ef-1234567890ab`;
    await expect(trailPut(trailKey(WORKLOAD), KMS_WITH(otherKey))).resolves.toBe('ExplicitlyDenied');
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), { 's3:x-amz-server-side-encryption': 'AES256' })).resolves.toBe('ExplicitlyDenied');
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' })).resolves.toBe('ExplicitlyDenied');
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), KMS_WITH(otherKey))).resolves.toBe('ExplicitlyDenied');
    await expect(configPut(WORKLOAD, configKey(WORKLOAD), { 's3:x-amz-server-side-encryption': 'aws:kms' })).resolves.toBe('ExplicitlyDenied');
    await expect(
      flowLogPut(WORKLOAD, flowLogKey(WORKLOAD), { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' }),
    ).resolves.toBe('ExplicitlyDenied');
  });

  it('refuses every request over plain HTTP', async () => {
    await expect(
      onLogBucket({
        principal: 'config.amazonaws.com',
        action: 's3:PutObject',
        resource: object(configKey(WORKLOAD)),
        context: { ...OWNER, 'aws:SourceAccount': WORKLOAD },
        secureTransport: false,
      }),
    ).resolves.toBe('ExplicitlyDenied');
  });
});

describe('readers', () => {
  const reader = config.logArchive.readerRoleArns[0];
  const readIdentity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: '*' }] };
  const asReader = (action: string, resource: string) =>
    evaluate({ principal: reader, action, resource, resourceAccount: LOG_ARCHIVE }, { resourcePolicy: logBucket, identityPolicies: [readIdentity] });

  it('may list and read logs from their own account', async () => {
    await expect(asReader('s3:ListBucket', names.logBucketArn)).resolves.toBe('Allowed');
    await expect(asReader('s3:GetObject', object(trailKey(WORKLOAD)))).resolves.toBe('Allowed');
  });

  it('may not write', async () => {
    await expect(asReader('s3:PutObject', object(trailKey(WORKLOAD)))).resolves.toBe('ImplicitlyDenied');
  });

  it('are named by condition, so another role of their account may not read', async () => {
    const otherRole = reader.replace(/role\/.*$/, 'role/acme-someone-else');
    const request = { principal: otherRole, action: 's3:GetObject', resource: object(trailKey(WORKLOAD)), resourceAccount: LOG_ARCHIVE };
    await expect(evaluate(request, { resourcePolicy: logBucket, identityPolicies: [readIdentity] })).resolves.toBe('ImplicitlyDenied');
    // A role named as a principal must exist when the policy is written; the reader's account is deployed later.
    expect(JSON.stringify(logBucket)).not.toContain(`"AWS":"${reader}"`);
  });
});

describe('tampering', () => {
  const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  const as = (principal: string, action: string, resource: string, resourcePolicy = logBucket) =>
    evaluate({ principal, action, resource, resourceAccount: LOG_ARCHIVE }, { resourcePolicy, identityPolicies: [everything] });
  const administrator = `arn:aws:iam::${LOG_ARCHIVE}:role/OrganizationAccountAccessRole`;
  const workload = `arn:aws:iam::${WORKLOAD}:role/acme-batch-loader`;
  const breakGlass = config.logArchive.breakGlassRoleArn!;

  it('refuses a delete by a workload role, even one allowed s3:* by its own policy', async () => {
    await expect(as(workload, 's3:DeleteObject', object(trailKey(WORKLOAD)))).resolves.toBe('ExplicitlyDenied');
    await expect(as(workload, 's3:PutObject', object(trailKey(WORKLOAD)))).resolves.toBe('ImplicitlyDenied');
  });

  it.each(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'])(
    'refuses %s on a log object to the account administrator',
    async (action) => {
      await expect(as(administrator, action, object(configKey(WORKLOAD)))).resolves.toBe('ExplicitlyDenied');
    },
  );

  it.each(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:DeleteBucket'])(
    'refuses %s on the bucket to the account administrator',
    async (action) => {
      await expect(as(administrator, action, names.logBucketArn)).resolves.toBe('ExplicitlyDenied');
    },
  );

  // Each would silently stop the access logging or open the bucket: logging off, ACLs back on, public access, a copy
  // of every log replicated elsewhere.
  const settings = ['s3:PutBucketLogging', 's3:PutBucketOwnershipControls', 's3:PutBucketAcl', 's3:PutBucketPublicAccessBlock', 's3:PutReplicationConfiguration'];

  it.each(settings)('refuses %s on the log bucket and the access-log bucket to the account administrator', async (action) => {
    await expect(as(administrator, action, names.logBucketArn)).resolves.toBe('ExplicitlyDenied');
    await expect(as(administrator, action, names.accessLogBucketArn, accessLogBucket)).resolves.toBe('ExplicitlyDenied');
  });

  it.each(settings)('leaves %s to the break-glass role', async (action) => {
    await expect(as(breakGlass, action, names.logBucketArn)).resolves.toBe('Allowed');
  });

  it('leaves deletes and policy changes to the break-glass role', async () => {
    await expect(as(breakGlass, 's3:DeleteObjectVersion', object(configKey(WORKLOAD)))).resolves.toBe('Allowed');
    await expect(as(breakGlass, 's3:PutBucketPolicy', names.logBucketArn)).resolves.toBe('Allowed');
  });

  it('protects the access-log bucket the same way', async () => {
    const accessLog = `${names.accessLogBucketArn}/${names.accessLogObjectPrefix}2026-11-22-10-00-00-ABCDEF`;
    await expect(as(administrator, 's3:DeleteObject', accessLog, accessLogBucket)).resolves.toBe('ExplicitlyDenied');
    await expect(as(administrator, 's3:PutBucketPolicy', names.accessLogBucketArn, accessLogBucket)).resolves.toBe('ExplicitlyDenied');
    await expect(as(breakGlass, 's3:DeleteObject', accessLog, accessLogBucket)).resolves.toBe('Allowed');
  });
});

describe('server access logs', () => {
  const key = `${names.accessLogBucketArn}/${names.accessLogObjectPrefix}2026-11-22-10-00-00-ABCDEF`;
  const put = (sourceArn: string, secureTransport = true) =>
    evaluate(
      {
        principal: 'logging.s3.amazonaws.com',
        action: 's3:PutObject',
        resource: key,
        resourceAccount: LOG_ARCHIVE,
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': LOG_ARCHIVE },
        secureTransport,
      },
      { resourcePolicy: accessLogBucket },
    );

  it('are delivered for the log bucket only, over TLS', async () => {
    await expect(put(names.logBucketArn)).resolves.toBe('Allowed');
    await expect(put('arn:aws:s3:::some-other-bucket')).resolves.toBe('ImplicitlyDenied');
    await expect(put(names.logBucketArn, false)).resolves.toBe('ExplicitlyDenied');
  });
});

describe('the policies as a whole', () => {
  it('grant services only under a source condition, and grant nothing to everyone', () => {
    for (const policy of [logBucket, accessLogBucket] as Array<{ Statement: Array<Record<string, any>> }>) {
      for (const statement of policy.Statement.filter((candidate) => candidate.Effect === 'Allow')) {
        expect(statement.Principal).not.toBe('*');
        if (statement.Principal.Service) {
          const keys = Object.values(statement.Condition as Record<string, Record<string, unknown>>).flatMap((block) => Object.keys(block));
          expect(keys.some((key) => ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID'].includes(key))).toBe(true);
        }
      }
    }
  });
});
