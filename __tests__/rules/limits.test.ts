import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { S3Backend, type TerraformStack } from 'cdktf';
import { policyJson } from '../../lib/common/policy-document';
import { BASELINE_RULES } from '../../lib/rules';
import { bucketNameProblems } from '../../lib/rules/limits/S3BucketName';
import { findingsOf, synthError, TestBucket } from './fixture';

/* AWS's own limits, checked at synth: each rule fails what AWS or Terraform would refuse at apply, and passes the rest. */

/** The synth failure line of a rule, which names the rule, the construct and the fix. */
function expectFailure(error: string | undefined, ruleId: string, constructPath: string, problem: string | RegExp): void {
  expect(error).toBeDefined();
  const rule = BASELINE_RULES.find((candidate) => candidate.id === ruleId)!;
  const line = error!.split('\n').find((candidate) => candidate.includes(`[${ruleId}]`) && candidate.includes(`[${constructPath}]`));
  expect(line).toBeDefined();
  expect(line).toMatch(problem);
  expect(line).toContain(`Fix: ${rule.fix}`);
}

const failuresOf = (ruleId: string, build: (stack: TerraformStack) => void) =>
  findingsOf(build).filter((finding) => finding.ruleId === ruleId && finding.status === 'fail');

const trust = policyJson([{ Sid: 'Lambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

describe('Limits.S3BucketName', () => {
  it.each([
    ['ab', /3 to 63/],
    ['a'.repeat(64), /3 to 63/],
    ['Acme-Logs', /lowercase/],
    ['-acme-logs', /begin and end/],
    ['acme..logs', /adjacent periods/],
    ['192.168.5.4', /IP address/],
    ['xn--acme-logs', /"xn--"/],
    ['sthree-logs', /"sthree-"/],
    ['amzn-s3-demo-logs', /"amzn-s3-demo-"/],
    ['acme-logs-s3alias', /"-s3alias"/],
    ['acme-logs--ol-s3', /"--ol-s3"/],
  ])('refuses "%s"', (name, problem) => {
    expect(bucketNameProblems(name).join('; ')).toMatch(problem);
  });

  it('fails the synth on a bucket S3 would refuse, naming the construct', () => {
    const error = synthError((stack) => new TestBucket(stack, 'Logs').bucket.addOverride('bucket', 'sthree-logs'));
    expectFailure(error, 'Limits.S3BucketName', 'test/Logs/Bucket', /begins with "sthree-"/);
  });

  it('passes the names the baseline builds', () => {
    expect(bucketNameProblems('acme-logs-222222222222-eu-west-1')).toEqual([]);
    expect(failuresOf('Limits.S3BucketName', (stack) => new TestBucket(stack, 'Logs'))).toEqual([]);
  });
});

describe('Limits.ResourceName', () => {
  it('fails an IAM role name over 64 characters, a Lambda function name over 64, an SQS queue name over 80', () => {
    const error = synthError((stack) => {
      new IamRole(stack, 'Role', { name: 'r'.repeat(65), assumeRolePolicy: trust });
      new SqsQueue(stack, 'Queue', { name: 'q'.repeat(81), kmsMasterKeyId: 'alias/x' });
      new LambdaFunction(stack, 'Fn', {
        functionName: 'f'.repeat(65),
        role: 'arn:aws:iam::111111111111:role/fn',
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        filename: 'fn.zip',
        reservedConcurrentExecutions: 1,
        deadLetterConfig: { targetArn: 'arn:aws:sqs:eu-west-1:111111111111:dlq' },
      });
    });
    expectFailure(error, 'Limits.ResourceName', 'test/Role', /name "r+" is 65 characters; IAM quotas accepts at most 64/);
    expectFailure(error, 'Limits.ResourceName', 'test/Queue', /is 81 characters; SQS CreateQueue accepts at most 80/);
    expectFailure(error, 'Limits.ResourceName', 'test/Fn', /function_name .* is 65 characters/);
  });

  it('fails an EventBridge rule name over 64 characters', () => {
    const error = synthError((stack) => new CloudwatchEventRule(stack, 'Rule', { name: 'e'.repeat(65), eventPattern: '{"source":["aws.s3"]}' }));
    expectFailure(error, 'Limits.ResourceName', 'test/Rule', /EventBridge PutRule accepts at most 64/);
  });

  it('passes names at the limit, and names only known at apply', () => {
    expect(
      failuresOf('Limits.ResourceName', (stack) => {
        new IamRole(stack, 'Role', { name: 'r'.repeat(64), assumeRolePolicy: trust });
        new SqsQueue(stack, 'Queue', { name: 'q'.repeat(80), kmsMasterKeyId: 'alias/x' });
        new CloudwatchEventRule(stack, 'Rule', { name: '${var.name}', eventPattern: '{"source":["aws.s3"]}' });
      }),
    ).toEqual([]);
  });
});

describe('Limits.PolicySize', () => {
  const statements = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      Sid: `Statement${index}`,
      Effect: 'Allow' as const,
      Principal: { AWS: `arn:aws:iam::${String(index).padStart(12, '1')}:root` },
      Action: 'sts:AssumeRole',
    }));

  it('fails a trust policy over 2,048 characters', () => {
    const error = synthError((stack) => new IamRole(stack, 'Role', { name: 'wide', assumeRolePolicy: policyJson(statements(30)) }));
    expectFailure(error, 'Limits.PolicySize', 'test/Role', /assume_role_policy is \d+ characters without whitespace; IAM \(role trust policy, default quota\) accepts at most 2048/);
  });

  it('counts characters as IAM does, without the whitespace outside strings', () => {
    const compact = policyJson(statements(15));
    const spaced = JSON.stringify(JSON.parse(compact), null, 8);
    expect(compact.length).toBeLessThanOrEqual(2048);
    expect(spaced.length).toBeGreaterThan(2048);
    expect(failuresOf('Limits.PolicySize', (stack) => new IamRole(stack, 'Role', { name: 'spaced', assumeRolePolicy: spaced }))).toEqual([]);
  });

  it('adds up the inline policies of one role, which IAM limits to 10,240 characters together', () => {
    const grant = (index: number) =>
      policyJson(
        Array.from({ length: 40 }, (_, n) => ({ Sid: `S${index}x${n}`, Effect: 'Allow' as const, Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${index}-${n}/*` })),
      );
    expect(grant(0).length).toBeLessThan(10240);
    const build = (count: number) => (stack: TerraformStack) => {
      const role = new IamRole(stack, 'Role', { name: 'reader', assumeRolePolicy: trust });
      for (let index = 0; index < count; index++) new IamRolePolicy(stack, `Policy${index}`, { role: role.name, name: `p${index}`, policy: grant(index) });
    };
    expectFailure(synthError(build(4)), 'Limits.PolicySize', 'test/Policy0', /the 4 inline policies of role .* together; IAM \(inline role policies\) accepts at most 10240/);
    expect(failuresOf('Limits.PolicySize', build(1))).toEqual([]);
  });

  it('fails a bucket policy over 20 KB', () => {
    const error = synthError((stack) => {
      new TestBucket(stack, 'Big', {
        policy: (arn) => [
          { Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Sid: 'Many', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: Array.from({ length: 600 }, (_, i) => `${arn}/prefix-${i}/*`) },
        ],
      });
    });
    expectFailure(error, 'Limits.PolicySize', 'test/Big/Policy', /policy is \d+ bytes; S3 \(bucket policy\) accepts at most 20480/);
  });

  it('fails an event bus policy over 10,240 characters, and passes one within', () => {
    const busPolicy = (senders: number) =>
      policyJson([
        {
          Sid: 'Senders',
          Effect: 'Allow',
          Principal: { AWS: Array.from({ length: senders }, (_, index) => `arn:aws:iam::${String(index).padStart(12, '4')}:root`) },
          Action: 'events:PutEvents',
          Resource: 'arn:aws:events:eu-west-1:333333333333:event-bus/detector',
        },
      ]);
    expect(busPolicy(400).length).toBeGreaterThan(10240);
    const build = (senders: number) => (stack: TerraformStack) => new CloudwatchEventBusPolicy(stack, 'BusPolicy', { eventBusName: 'detector', policy: busPolicy(senders) });
    expectFailure(synthError(build(400)), 'Limits.PolicySize', 'test/BusPolicy', /policy is \d+ characters; EventBridge \(event bus policy, default quota\) accepts at most 10240/);
    expect(failuresOf('Limits.PolicySize', build(100))).toEqual([]);
  });
});

describe('Limits.EventPatternSize', () => {
  const pattern = (buckets: number) =>
    JSON.stringify({ source: ['aws.s3'], detail: { requestParameters: { bucketName: Array.from({ length: buckets }, (_, i) => `acme-bucket-${i}`) } } });

  it('fails a pattern over 2,048 characters', () => {
    expect(pattern(150).length).toBeGreaterThan(2048);
    const error = synthError((stack) => new CloudwatchEventRule(stack, 'Rule', { name: 'forward', eventPattern: pattern(150) }));
    expectFailure(error, 'Limits.EventPatternSize', 'test/Rule', /event_pattern is \d+ characters; EventBridge accepts at most 2048 by default/);
  });

  it('passes a pattern within the quota', () => {
    expect(failuresOf('Limits.EventPatternSize', (stack) => new CloudwatchEventRule(stack, 'Rule', { name: 'forward', eventPattern: pattern(10) }))).toEqual([]);
  });
});

describe('Limits.Tags', () => {
  const withDefaultTags = (count: number) => (stack: TerraformStack) => {
    const provider = stack.node.tryFindChild('aws') as AwsProvider;
    provider.defaultTags = [{ tags: Object.fromEntries(Array.from({ length: count }, (_, i) => [`team-${i}`, 'x'])) }];
  };

  it('counts the default tags: 48 of them and 3 of the resource is one too many', () => {
    const error = synthError((stack) => {
      withDefaultTags(48)(stack);
      new SqsQueue(stack, 'Queue', { name: 'q', kmsMasterKeyId: 'alias/x', tags: { a: '1', b: '2', c: '3' } });
    });
    expectFailure(error, 'Limits.Tags', 'test/Queue', /has 51 tags with the default tags; AWS accepts at most 50/);
  });

  it('refuses keys with the reserved "aws:" prefix', () => {
    const error = synthError((stack) => new SqsQueue(stack, 'Queue', { name: 'q', kmsMasterKeyId: 'alias/x', tags: { 'aws:owner': 'me' } }));
    expectFailure(error, 'Limits.Tags', 'test/Queue', /"aws:owner" uses the reserved "aws:" prefix/);
  });

  it('passes 50 tags, a tag overriding a default one counted once', () => {
    expect(
      failuresOf('Limits.Tags', (stack) => {
        withDefaultTags(48)(stack);
        new SqsQueue(stack, 'Queue', { name: 'q', kmsMasterKeyId: 'alias/x', tags: { 'team-0': 'y', a: '1', b: '2' } });
      }),
    ).toEqual([]);
  });
});

describe('Limits.BackendKey', () => {
  const backend = (key: string) => (stack: TerraformStack) => new S3Backend(stack, { bucket: 'acme-state', key, region: 'eu-west-1' });

  it.each([
    ['/aws-baseline/log-archive.tfstate', /begins or ends with "\/"/],
    ['aws-baseline//log-archive.tfstate', /contains "\/\/"/],
  ])('fails the key "%s" on the stack itself', (key, problem) => {
    expectFailure(synthError(backend(key)), 'Limits.BackendKey', 'test', problem);
  });

  it('passes the keys the baseline writes', () => {
    expect(failuresOf('Limits.BackendKey', backend('aws-baseline/log-archive.tfstate'))).toEqual([]);
  });
});
