import { denyRootUser } from '../../lib/guardrails/deny-root-user';
import { evaluate } from './simulate';

const MEMBER = '444455556666';
const ROOT = `arn:aws:iam::${MEMBER}:root`;
const BUCKET = 'arn:aws:s3:::acme-locked-bucket';
const scp = denyRootUser('acme-deny-root-user').document;
const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const policies = { identityPolicies: [identity], serviceControlPolicies: [[scp]] };

describe('the deny-root-user guardrail and centralized root access', () => {
  it('denies the root user signing in with its own credentials', async () => {
    // Prepare: a root request carries no aws:AssumedRoot key.
    const request = { principal: ROOT, action: 's3:DeleteBucketPolicy', resource: BUCKET, resourceAccount: MEMBER };
    // Act / Assess
    await expect(evaluate(request, policies)).resolves.toBe('ExplicitlyDenied');
  });

  it('lets a task-scoped sts:AssumeRoot session through', async () => {
    // AWS sets aws:AssumedRoot to true on every request of a session opened with AssumeRoot (here S3UnlockBucketPolicy).
    const request = {
      principal: ROOT,
      action: 's3:DeleteBucketPolicy',
      resource: BUCKET,
      resourceAccount: MEMBER,
      context: { 'aws:AssumedRoot': 'true' },
    };
    await expect(evaluate(request, policies)).resolves.toBe('Allowed');
  });

  it('does not stand in the way of roles', async () => {
    const request = { principal: `arn:aws:iam::${MEMBER}:role/admin`, action: 's3:DeleteBucketPolicy', resource: BUCKET, resourceAccount: MEMBER };
    await expect(evaluate(request, policies)).resolves.toBe('Allowed');
  });
});
