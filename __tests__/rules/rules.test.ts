import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Fn, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { buildBaselineApp } from '../../lib/app';
import { EncryptedLogGroup } from '../../lib/common/encrypted-log-group';
import { EncryptionKey } from '../../lib/common/encryption-key';
import { denyInsecureTransport, policyJson } from '../../lib/common/policy-document';
import { acknowledgeRule, applyPolicyRules, BASELINE_RULES } from '../../lib/rules';
import { exampleConfig } from '../helpers';
import { findingsOf, ruleStack, synthError, TestBucket } from './fixture';

/** Every rule's synth failure names the rule, the construct and the fix. */
function expectFailure(error: string | undefined, ruleId: string, constructPath: string, problem: string | RegExp): void {
  expect(error).toBeDefined();
  const rule = BASELINE_RULES.find((candidate) => candidate.id === ruleId)!;
  const line = error!.split('\n').find((candidate) => candidate.includes(`[${ruleId}]`) && candidate.includes(`[${constructPath}]`));
  expect(line).toBeDefined();
  expect(line).toMatch(problem);
  expect(line).toContain(`Fix: ${rule.fix}`);
}

const failedRules = (build: (stack: TerraformStack) => void) =>
  findingsOf(build)
    .filter((finding) => finding.status === 'fail')
    .map((finding) => finding.ruleId);

function lambda(scope: Construct, id: string, props: Partial<ConstructorParameters<typeof LambdaFunction>[2]> = {}): LambdaFunction {
  return new LambdaFunction(scope, id, {
    functionName: `fn-${id.toLowerCase()}`,
    role: 'arn:aws:iam::111111111111:role/fn',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    filename: 'fn.zip',
    reservedConcurrentExecutions: 2,
    deadLetterConfig: { targetArn: 'arn:aws:sqs:eu-west-1:111111111111:dlq' },
    ...props,
  });
}

describe('the rule catalog', () => {
  it('gives every rule a unique id, a one-line description, a rationale and a fix', () => {
    const ids = BASELINE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of BASELINE_RULES) {
      expect(rule.description).not.toContain('\n');
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  it('passes a stack where every resource is compliant', () => {
    expect(
      synthError((stack) => {
        new TestBucket(stack, 'Logs');
        new TestBucket(stack, 'Named', { byName: true });
        new EncryptedLogGroup(stack, 'Group', { name: '/test', retentionInDays: 365, accountId: '111111111111', region: 'eu-west-1', keyAlias: 'test' });
        lambda(stack, 'Fn');
      }),
    ).toBeUndefined();
  });
});

describe('S3.Encrypted', () => {
  it('fails a bucket without default encryption', () => {
    expectFailure(synthError((stack) => new TestBucket(stack, 'Plain', { encryption: false })), 'S3.Encrypted', 'test/Plain/Bucket', /no default encryption/);
  });
  it('passes a bucket whose encryption configuration refers to it', () => {
    expect(failedRules((stack) => new TestBucket(stack, 'Encrypted'))).not.toContain('S3.Encrypted');
  });
  it('does not count another bucket’s encryption', () => {
    expect(
      failedRules((stack) => {
        new TestBucket(stack, 'Encrypted');
        new TestBucket(stack, 'Plain', { encryption: false });
      }),
    ).toEqual(['S3.Encrypted']);
  });
});

describe('S3.PublicAccessBlocked', () => {
  it('fails a bucket without a public access block', () => {
    expectFailure(synthError((stack) => new TestBucket(stack, 'Open', { publicAccessBlock: false })), 'S3.PublicAccessBlocked', 'test/Open/Bucket', /no public access block/);
  });
  it('fails a block that leaves one of the four off', () => {
    expectFailure(
      synthError((stack) => new TestBucket(stack, 'Half', { publicAccessBlock: { restrictPublicBuckets: false } })),
      'S3.PublicAccessBlocked',
      'test/Half/Bucket',
      /restrict_public_buckets/,
    );
  });
  it('passes all four blocks, related by reference or by name', () => {
    expect(failedRules((stack) => new TestBucket(stack, 'Closed'))).toEqual([]);
    expect(failedRules((stack) => new TestBucket(stack, 'Closed', { byName: true }))).toEqual([]);
  });
});

describe('S3.TlsOnly', () => {
  it('fails a bucket without a policy', () => {
    expectFailure(synthError((stack) => new TestBucket(stack, 'NoPolicy', { policy: () => [] })), 'S3.TlsOnly', 'test/NoPolicy/Bucket', /no bucket policy/);
  });
  it('fails a policy whose TLS statement leaves out the objects', () => {
    expectFailure(
      synthError((stack) => new TestBucket(stack, 'BucketOnly', { policy: (arn) => [denyInsecureTransport('s3:*', arn)] })),
      'S3.TlsOnly',
      'test/BucketOnly/Bucket',
      /aws:SecureTransport/,
    );
  });
  it('fails a policy it cannot read, saying why', () => {
    expectFailure(
      synthError((stack) => {
        const bucket = new TestBucket(stack, 'Encoded', { policy: () => [] });
        new S3BucketPolicy(bucket, 'Policy', {
          bucket: bucket.bucket.id,
          policy: Fn.jsonencode({ Statement: [] }),
        });
      }),
      'S3.TlsOnly',
      'test/Encoded/Bucket',
      /cannot be read at synth/,
    );
  });
  it('passes the TLS-only statement, with the bucket ARN as a reference or a literal', () => {
    expect(failedRules((stack) => new TestBucket(stack, 'Tls'))).toEqual([]);
    expect(failedRules((stack) => new TestBucket(stack, 'Tls', { byName: true }))).toEqual([]);
  });
  it('reads a policy given as an aws_iam_policy_document data source', () => {
    const build = (secure: string) => (stack: TerraformStack) => {
      const bucket = new TestBucket(stack, 'Doc', { policy: () => [] });
      const document = new DataAwsIamPolicyDocument(bucket, 'Document', {
        statement: [
          {
            effect: 'Deny',
            principals: [{ type: '*', identifiers: ['*'] }],
            actions: ['s3:*'],
            resources: [bucket.bucket.arn, `${bucket.bucket.arn}/*`],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: [secure] }],
          },
        ],
      });
      new S3BucketPolicy(bucket, 'Policy', { bucket: bucket.bucket.id, policy: document.json });
    };
    expect(failedRules(build('false'))).toEqual([]);
    expect(failedRules(build('true'))).toEqual(['S3.TlsOnly']);
  });
});

describe('S3.Versioned', () => {
  it('fails a bucket without versioning, and one with versioning suspended', () => {
    expectFailure(synthError((stack) => new TestBucket(stack, 'Unversioned', { versioning: false })), 'S3.Versioned', 'test/Unversioned/Bucket', /no versioning/);
    expectFailure(synthError((stack) => new TestBucket(stack, 'Suspended', { versioning: 'Suspended' })), 'S3.Versioned', 'test/Suspended/Bucket', /Suspended/);
  });
  it('passes versioning enabled', () => {
    expect(failedRules((stack) => new TestBucket(stack, 'Versioned'))).toEqual([]);
  });
});

describe('Logs.Retention and Logs.Encrypted', () => {
  it('fail a group kept 30 days, without a key', () => {
    const error = synthError((stack) => new CloudwatchLogGroup(stack, 'Short', { name: '/short', retentionInDays: 30 }));
    expectFailure(error, 'Logs.Retention', 'test/Short', /retention_in_days is 30/);
    expectFailure(error, 'Logs.Encrypted', 'test/Short', /kms_key_id is not set/);
  });
  it('fail a group with no retention set', () => {
    expectFailure(synthError((stack) => new CloudwatchLogGroup(stack, 'Unset', { name: '/unset', kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' })), 'Logs.Retention', 'test/Unset', /not set/);
  });
  it('pass a group kept a year with a key, and one never expiring', () => {
    expect(failedRules((stack) => new CloudwatchLogGroup(stack, 'Year', { name: '/year', retentionInDays: 365, kmsKeyId: 'k' }))).toEqual([]);
    expect(failedRules((stack) => new CloudwatchLogGroup(stack, 'Forever', { name: '/forever', retentionInDays: 0, kmsKeyId: 'k' }))).toEqual([]);
  });
});

describe('KMS.Rotation', () => {
  it('fails a symmetric key without rotation', () => {
    expectFailure(synthError((stack) => new KmsKey(stack, 'Static', { description: 'static' })), 'KMS.Rotation', 'test/Static', /enable_key_rotation/);
  });
  it('passes a rotating key, and leaves asymmetric keys alone', () => {
    expect(failedRules((stack) => new EncryptionKey(stack, 'Rotating', { description: 'r', alias: 'r', accountId: '111111111111' }))).toEqual([]);
    expect(failedRules((stack) => new KmsKey(stack, 'Signing', { keyUsage: 'SIGN_VERIFY', customerMasterKeySpec: 'ECC_NIST_P256' }))).toEqual([]);
  });
});

describe('SNS.Encrypted and SQS.Encrypted', () => {
  it('fail a topic and a queue without a key', () => {
    const error = synthError((stack) => {
      new SnsTopic(stack, 'Topic', { name: 'plain' });
      new SqsQueue(stack, 'Queue', { name: 'plain', sqsManagedSseEnabled: true });
    });
    expectFailure(error, 'SNS.Encrypted', 'test/Topic', /kms_master_key_id/);
    expectFailure(error, 'SQS.Encrypted', 'test/Queue', /kms_master_key_id/);
  });
  it('pass a topic and a queue with a key', () => {
    expect(
      failedRules((stack) => {
        new SnsTopic(stack, 'Topic', { name: 'secret', kmsMasterKeyId: 'alias/t' });
        new SqsQueue(stack, 'Queue', { name: 'secret', kmsMasterKeyId: 'alias/q' });
      }),
    ).toEqual([]);
  });
});

describe('IAM.NoWildcardAdmin', () => {
  const policy = (action: string, resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S', Effect: 'Allow', Action: action, Resource: resource }] });
  it('fails a policy allowing * on *, and an AdministratorAccess attachment', () => {
    const error = synthError((stack) => {
      new IamPolicy(stack, 'Admin', { name: 'admin', policy: policy('*', '*') });
      new IamRolePolicyAttachment(stack, 'Attach', { role: 'r', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    });
    expectFailure(error, 'IAM.NoWildcardAdmin', 'test/Admin', /statement S allows everything/);
    expectFailure(error, 'IAM.NoWildcardAdmin', 'test/Attach', /AdministratorAccess/);
  });
  it('passes named actions on *, and * actions of one service', () => {
    expect(failedRules((stack) => new IamPolicy(stack, 'Read', { name: 'read', policy: policy('s3:GetObject', '*') }))).toEqual([]);
    expect(failedRules((stack) => new EncryptionKey(stack, 'Key', { description: 'k', alias: 'k', accountId: '111111111111' }))).toEqual([]);
  });
});

describe('IAM.ServiceGrantSourceCondition', () => {
  const topicPolicy = (condition: Record<string, unknown> | undefined) =>
    policyJson([{ Sid: 'Alarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: '*', ...(condition ? { Condition: condition as never } : {}) }]);
  it('fails a service grant without a source condition, or with a negated one', () => {
    expectFailure(
      synthError((stack) => new SnsTopicPolicy(stack, 'Open', { arn: 'arn:aws:sns:eu-west-1:111111111111:t', policy: topicPolicy(undefined) })),
      'IAM.ServiceGrantSourceCondition',
      'test/Open',
      /statement Alarms grants cloudwatch.amazonaws.com without a source condition/,
    );
    expect(failedRules((stack) => new SnsTopicPolicy(stack, 'Not', { arn: 't', policy: topicPolicy({ StringNotEquals: { 'aws:SourceAccount': '1' } }) }))).toEqual([
      'IAM.ServiceGrantSourceCondition',
    ]);
  });
  it('fails a Lambda permission for a service without source_arn', () => {
    expectFailure(
      synthError((stack) => new LambdaPermission(stack, 'Invoke', { functionName: 'f', action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com' })),
      'IAM.ServiceGrantSourceCondition',
      'test/Invoke',
      /without source_arn/,
    );
  });
  it('passes grants scoped by source ARN or account, and the key of an encrypted log group', () => {
    expect(
      failedRules((stack) => {
        new SnsTopicPolicy(stack, 'Scoped', { arn: 't', policy: topicPolicy({ ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' } }) });
        new LambdaPermission(stack, 'Invoke', { functionName: 'f', action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com', sourceArn: 'arn:aws:events:eu-west-1:111111111111:rule/r' });
        new EncryptedLogGroup(stack, 'Group', { name: '/g', retentionInDays: 365, accountId: '111111111111', region: 'eu-west-1', keyAlias: 'g' });
      }),
    ).toEqual([]);
  });
});

describe('Lambda.FailureDestination and Lambda.ReservedConcurrency', () => {
  it('fail a function with neither a dead-letter queue nor reserved concurrency', () => {
    const error = synthError((stack) => lambda(stack, 'Bare', { deadLetterConfig: undefined, reservedConcurrentExecutions: undefined }));
    expectFailure(error, 'Lambda.FailureDestination', 'test/Bare', /neither a dead-letter queue nor an on-failure destination/);
    expectFailure(error, 'Lambda.ReservedConcurrency', 'test/Bare', /not set/);
  });
  it('pass a dead-letter queue, or an on-failure destination in an invoke config', () => {
    expect(failedRules((stack) => lambda(stack, 'Dlq'))).toEqual([]);
    expect(
      failedRules((stack) => {
        const fn = lambda(stack, 'Destination', { deadLetterConfig: undefined });
        new LambdaFunctionEventInvokeConfig(stack, 'OnFailure', { functionName: fn.functionName, destinationConfig: { onFailure: { destination: 'arn:aws:sqs:eu-west-1:111111111111:q' } } });
      }),
    ).toEqual([]);
  });
});

describe('acknowledgements', () => {
  it('let a construct break a rule for a stated reason, which the findings carry', () => {
    const findings = findingsOf((stack) => {
      const bucket = new TestBucket(stack, 'Scratch', { versioning: false });
      acknowledgeRule(bucket, { ruleId: 'S3.Versioned', reason: 'Scratch space rewritten every hour; versions would only cost money' });
    });
    const versioned = findings.find((finding) => finding.ruleId === 'S3.Versioned')!;
    expect(versioned.status).toBe('acknowledged');
    expect(versioned.reason).toMatch(/Scratch space/);
    expect(synthError((stack) => acknowledgeRule(new TestBucket(stack, 'Scratch', { versioning: false }), { ruleId: 'S3.Versioned', reason: 'Rewritten every hour, no versions needed' }))).toBeUndefined();
  });
  it('cover only the rule they name', () => {
    const error = synthError((stack) => {
      const bucket = new TestBucket(stack, 'Scratch', { versioning: false, encryption: false });
      acknowledgeRule(bucket, { ruleId: 'S3.Versioned', reason: 'Rewritten every hour, no versions needed' });
    });
    expectFailure(error, 'S3.Encrypted', 'test/Scratch/Bucket', /no default encryption/);
    expect(error).not.toContain('[S3.Versioned]');
  });
  it('need a reason', () => {
    expect(() => findingsOf((stack) => acknowledgeRule(new Construct(stack, 'X'), { ruleId: 'S3.Versioned', reason: 'n/a' }))).toThrow(
      /expected a reason of at least 20 characters/,
    );
  });
});

describe('applyPolicyRules on a construct of your own', () => {
  it('judges only the resources below that construct, relating them to the rest of the stack', () => {
    const { app, stack } = ruleStack();
    const mine = new Construct(stack, 'Mine');
    const theirs = new Construct(stack, 'Theirs');
    new SnsTopic(mine, 'Topic', { name: 'plain' });
    new SnsTopic(theirs, 'Topic', { name: 'plain' });
    applyPolicyRules(mine);
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/\[test\/Mine\/Topic\] \[SNS.Encrypted\] aws_sns_topic\.Mine_Topic_[0-9A-F]+: kms_master_key_id is not set\./);
    expect(message).not.toContain('test/Theirs');
  });
});

describe('the baseline app', () => {
  it('runs the rules on every synth: a non-compliant resource added to a stack fails it', () => {
    const app = buildBaselineApp(exampleConfig(), { outdir: mkdtempSync(path.join(os.tmpdir(), 'rules-app-')) });
    new SnsTopic(app.node.findChild('log-archive') as Construct, 'Unencrypted', { name: 'plain' });
    expect(() => app.synth()).toThrow(/\[log-archive\/Unencrypted\] \[SNS\.Encrypted\] aws_sns_topic\.Unencrypted: kms_master_key_id is not set\./);
  });
});
