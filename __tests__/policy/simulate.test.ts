import { evaluate } from './simulate';

/* The simulator wrapper itself: it must tell allowed, denied and ignored requests apart, or policy tests prove nothing. */

const bucket = 'arn:aws:s3:::example-logs';
const policy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket, `${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    {
      Sid: 'Trail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucket}/AWSLogs/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ],
};
const put = {
  principal: 'cloudtrail.amazonaws.com',
  action: 's3:PutObject',
  resource: `${bucket}/AWSLogs/o-abc/file.json.gz`,
  resourceAccount: '222222222222',
};

describe('policy evaluation in tests', () => {
  it('allows what a statement grants when its conditions hold', async () => {
    await expect(evaluate({ ...put, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } }, { resourcePolicy: policy })).resolves.toBe('Allowed');
  });

  it('denies implicitly when a condition does not hold', async () => {
    await expect(evaluate(put, { resourcePolicy: policy })).resolves.toBe('ImplicitlyDenied');
  });

  it('denies explicitly without TLS', async () => {
    const request = { ...put, secureTransport: false, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } };
    await expect(evaluate(request, { resourcePolicy: policy })).resolves.toBe('ExplicitlyDenied');
  });

  it('fails loudly on a context key the simulator would ignore', async () => {
    await expect(evaluate({ ...put, context: { 's3:x-amz-acll': 'x' } }, { resourcePolicy: policy })).rejects.toThrow(/ignored context keys/);
  });

  it('evaluates KMS encryption-context conditions', async () => {
    const keyPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Trail',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } },
        },
      ],
    };
    const request = (account: string) => ({
      principal: 'cloudtrail.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      resourceAccount: '222222222222',
      context: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:eu-west-1:${account}:trail/t` },
    });
    await expect(evaluate(request('111111111111'), { resourcePolicy: keyPolicy })).resolves.toBe('Allowed');
    await expect(evaluate(request('999999999999'), { resourcePolicy: keyPolicy })).resolves.toBe('ImplicitlyDenied');
  });

  it('applies service control policies to roles but not to services', async () => {
    const scp = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] };
    const role = { ...put, principal: 'arn:aws:iam::222222222222:role/writer' };
    const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] };
    await expect(evaluate(role, { identityPolicies: [identity] })).resolves.toBe('Allowed');
    await expect(evaluate(role, { identityPolicies: [identity], serviceControlPolicies: [[scp]] })).resolves.toBe('ExplicitlyDenied');
    const trailPut = { ...put, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } };
    await expect(evaluate(trailPut, { resourcePolicy: policy, serviceControlPolicies: [[scp]] })).resolves.toBe('Allowed');
  });
});
