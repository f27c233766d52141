import { BaselineNames } from '../../lib/naming';
import { exampleConfig, resourcesOf } from '../helpers';
import { evaluate } from '../policy/simulate';
import { synthLogArchive } from './synth';

/* The key policy of the log key as KMS would evaluate it: writers encrypt into the log bucket, readers decrypt through S3. */

const config = exampleConfig();
const names = new BaselineNames(config);
const [key] = Object.values(resourcesOf(synthLogArchive(config), 'aws_kms_key'));
const keyPolicy = JSON.parse(key.policy as string) as { Statement: Array<Record<string, any>> };

const KEY_ARN = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MANAGEMENT = '111111111111';
const WORKLOAD = '444444444444';
const OUTSIDER = '999999999999';
/** An account of the organization that the configuration does not list. */
const UNLISTED = '666666666666';
const ORG = config.organization.id;
const OTHER_ORG = 'o-zzzzzzzzzz';
const IN_ORG = { 'aws:SourceOrgID': ORG };
const S3_CONTEXT = (objectKey?: string) => ({
  'kms:EncryptionContext:aws:s3:arn': objectKey ? `${names.logBucketArn}/${objectKey}` : names.logBucketArn,
});

const onKey = (principal: string, action: string, context: Record<string, string>, identityPolicies: unknown[] = []) =>
  evaluate({ principal, action, resource: KEY_ARN, resourceAccount: '222222222222', context }, { resourcePolicy: keyPolicy, identityPolicies });

describe('the organization trail', () => {
  const trailContext = {
    'aws:SourceArn': names.trailArn,
    'aws:SourceAccount': MANAGEMENT,
    'kms:EncryptionContext:aws:cloudtrail:arn': names.trailArn,
  };

  it('generates data keys for its own logs and describes the key', async () => {
    await expect(onKey('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', trailContext)).resolves.toBe('Allowed');
    await expect(onKey('cloudtrail.amazonaws.com', 'kms:DescribeKey', { 'aws:SourceArn': names.trailArn })).resolves.toBe('Allowed');
  });

  it('uses the bucket-level key of the log bucket, as S3 Bucket Keys require, and nothing else', async () => {
    const bucketKey = { 'aws:SourceArn': names.trailArn, 'aws:SourceAccount': MANAGEMENT, ...S3_CONTEXT() };
    await expect(onKey('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', bucketKey)).resolves.toBe('Allowed');
    await expect(onKey('cloudtrail.amazonaws.com', 'kms:Decrypt', { 'aws:SourceArn': names.trailArn })).resolves.toBe('Allowed');
    await expect(
      onKey('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', { ...bucketKey, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::elsewhere' }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('of another account may not use the key, nor decrypt with it', async () => {
    const otherTrail = `arn:aws:cloudtrail:eu-west-1:${OUTSIDER}:trail/x`;
    await expect(
      onKey('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', {
        'aws:SourceArn': otherTrail,
        'aws:SourceAccount': OUTSIDER,
        'kms:EncryptionContext:aws:cloudtrail:arn': otherTrail,
      }),
    ).resolves.toBe('ImplicitlyDenied');
    await expect(onKey('cloudtrail.amazonaws.com', 'kms:Decrypt', { 'aws:SourceArn': otherTrail, 'aws:SourceAccount': OUTSIDER })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });
});

describe.each([
  ['AWS Config', 'config.amazonaws.com', names.configObjectPrefix(WORKLOAD)],
  ['VPC flow logs', 'delivery.logs.amazonaws.com', names.flowLogObjectPrefix(WORKLOAD)],
])('%s', (_, service, prefix) => {
  it.each([WORKLOAD, UNLISTED])('of organization account %s encrypts into the log bucket, with or without the S3 bucket key', async (account) => {
    await expect(onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': account, ...IN_ORG, ...S3_CONTEXT() })).resolves.toBe('Allowed');
    await expect(onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': account, ...IN_ORG, ...S3_CONTEXT(`${prefix}/file.gz`) })).resolves.toBe('Allowed');
  });

  it('of an account outside the organization may not use the key', async () => {
    await expect(onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': OUTSIDER, 'aws:SourceOrgID': OTHER_ORG, ...S3_CONTEXT() })).resolves.toBe('ImplicitlyDenied');
    await expect(onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': OUTSIDER, ...S3_CONTEXT() })).resolves.toBe('ImplicitlyDenied');
  });

  it('may not use the key for another bucket, or another prefix of the log bucket', async () => {
    await expect(
      onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': WORKLOAD, ...IN_ORG, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::elsewhere/x' }),
    ).resolves.toBe('ImplicitlyDenied');
    await expect(
      onKey(service, 'kms:GenerateDataKey', { 'aws:SourceAccount': WORKLOAD, ...IN_ORG, ...S3_CONTEXT(`${names.trailObjectPrefix}/x`) }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('may not administer the key', async () => {
    await expect(onKey(service, 'kms:ScheduleKeyDeletion', { 'aws:SourceAccount': WORKLOAD, ...IN_ORG })).resolves.toBe('ExplicitlyDenied');
  });
});

describe('readers', () => {
  const reader = config.logArchive.readerRoleArns[0];
  const kmsAnything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

  it('decrypt log objects through S3', async () => {
    const context = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', ...S3_CONTEXT(`${names.trailObjectPrefix}/x.json.gz`) };
    await expect(onKey(reader, 'kms:Decrypt', context, [kmsAnything])).resolves.toBe('Allowed');
  });

  it('may not decrypt outside S3, nor encrypt, nor administer', async () => {
    await expect(onKey(reader, 'kms:Decrypt', S3_CONTEXT(), [kmsAnything])).resolves.toBe('ImplicitlyDenied');
    const viaS3 = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', ...S3_CONTEXT() };
    await expect(onKey(reader, 'kms:GenerateDataKey', viaS3, [kmsAnything])).resolves.toBe('ImplicitlyDenied');
    await expect(onKey(reader, 'kms:PutKeyPolicy', {}, [kmsAnything])).resolves.toBe('ExplicitlyDenied');
    await expect(onKey(reader, 'kms:CreateGrant', {}, [kmsAnything])).resolves.toBe('ImplicitlyDenied');
  });

  it('are named by condition, so another role of their account may not decrypt', async () => {
    const otherRole = reader.replace(/role\/.*$/, 'role/acme-someone-else');
    const context = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', ...S3_CONTEXT(`${names.trailObjectPrefix}/x.json.gz`) };
    await expect(onKey(otherRole, 'kms:Decrypt', context, [kmsAnything])).resolves.toBe('ImplicitlyDenied');
    // KMS refuses a key policy whose principal does not exist yet; the reader's account is deployed later.
    expect(JSON.stringify(keyPolicy)).not.toContain(`"AWS":"${reader}"`);
  });
});

describe('the key policy as a whole', () => {
  it('grants "*" only to the organization and only kms:DescribeKey, and every service grant carries a source condition', () => {
    const denies = keyPolicy.Statement.filter((statement) => statement.Effect === 'Deny').map((statement) => statement.Sid);
    expect(denies).toEqual(['DenyKeyTamperingExceptDeploymentAndBreakGlass']);
    for (const statement of keyPolicy.Statement.filter((candidate) => candidate.Effect === 'Allow')) {
      expect(statement.Principal).not.toBe('*');
      if (statement.Principal.AWS === '*') {
        expect(statement.Action).toBe('kms:DescribeKey');
        expect(statement.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ORG } });
      }
      if (statement.Principal.Service) {
        const keys = Object.values(statement.Condition as Record<string, Record<string, unknown>>).flatMap((block) => Object.keys(block));
        expect(keys.some((conditionKey) => ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID'].includes(conditionKey))).toBe(true);
      }
    }
  });

  it('lets only the log-archive account administer the key', async () => {
    const admin = `arn:aws:iam::222222222222:role/OrganizationAccountAccessRole`;
    const outsider = `arn:aws:iam::${OUTSIDER}:role/admin`;
    const kmsAnything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    await expect(onKey(admin, 'kms:ScheduleKeyDeletion', {}, [kmsAnything])).resolves.toBe('Allowed');
    await expect(onKey(outsider, 'kms:ScheduleKeyDeletion', {}, [kmsAnything])).resolves.toBe('ExplicitlyDenied');
    await expect(onKey(outsider, 'kms:TagResource', {}, [kmsAnything])).resolves.toBe('ImplicitlyDenied');
  });
});

describe('tampering with the key', () => {
  const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
  const admin = 'arn:aws:sts::222222222222:assumed-role/workload-admin/session';
  const deployment = 'arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/baseline';
  const breakGlass = config.logArchive.breakGlassRoleArn!.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/incident';
  const tampering = ['kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation', 'kms:UpdateAlias', 'kms:DeleteAlias'];

  it.each(tampering)('refuses %s to an administrator of the log-archive account, even one allowed kms:* by IAM', async (action) => {
    await expect(onKey(admin, action, {}, [everything])).resolves.toBe('ExplicitlyDenied');
  });

  it.each(tampering)('leaves %s to the deployment role and the break-glass role', async (action) => {
    await expect(onKey(deployment, action, {}, [everything])).resolves.toBe('Allowed');
    await expect(onKey(breakGlass, action, {}, [everything])).resolves.toBe('Allowed');
  });

  it('keeps the deployment role able to change the policy, so KMS does not refuse it as a lockout', async () => {
    await expect(onKey(deployment, 'kms:PutKeyPolicy', {}, [everything])).resolves.toBe('Allowed');
  });

  it('still lets the account administer the key otherwise through IAM', async () => {
    await expect(onKey(admin, 'kms:TagResource', {}, [everything])).resolves.toBe('Allowed');
  });
});

describe('looking the key up by its alias', () => {
  // The trail and every account's Config delivery channel name the key by its ARN, which they look up from the alias.
  it.each([MANAGEMENT, WORKLOAD, '333333333333', UNLISTED])('lets account %s of the organization describe the key, and nothing more', async (account) => {
    const deployer = `arn:aws:sts::${account}:assumed-role/OrganizationAccountAccessRole/baseline`;
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    await expect(onKey(deployer, 'kms:DescribeKey', { 'aws:PrincipalOrgID': ORG }, [everything])).resolves.toBe('Allowed');
    await expect(onKey(deployer, 'kms:Decrypt', { 'aws:PrincipalOrgID': ORG }, [everything])).resolves.toBe('ImplicitlyDenied');
  });

  it('does not let an account outside the organization describe the key', async () => {
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    await expect(onKey(`arn:aws:iam::${OUTSIDER}:role/admin`, 'kms:DescribeKey', { 'aws:PrincipalOrgID': OTHER_ORG }, [everything])).resolves.toBe('ImplicitlyDenied');
    await expect(onKey(`arn:aws:iam::${OUTSIDER}:role/admin`, 'kms:DescribeKey', {}, [everything])).resolves.toBe('ImplicitlyDenied');
  });
});
