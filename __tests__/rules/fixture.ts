import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { denyInsecureTransport, type PolicyStatement, policyJson } from '../../lib/common/policy-document';
import { applyPolicyRules, evaluatePolicyRules, type RuleFinding } from '../../lib/rules';

/** A stack of its own for a rule test, with the rules applied. */
export function ruleStack(): { app: App; stack: TerraformStack } {
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'rules-test-')), stackTraces: false });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return { app, stack };
}

/** Synthesizes a stack built by `build` with the rules applied; the synth error, or undefined when it passes. */
export function synthError(build: (stack: TerraformStack) => void): string | undefined {
  const { app, stack } = ruleStack();
  build(stack);
  applyPolicyRules(app);
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The findings of every rule on a stack built by `build`. */
export function findingsOf(build: (stack: TerraformStack) => void): RuleFinding[] {
  const { stack } = ruleStack();
  build(stack);
  return evaluatePolicyRules(stack);
}

export interface BucketParts {
  readonly encryption?: boolean;
  readonly publicAccessBlock?: Partial<Record<'blockPublicAcls' | 'blockPublicPolicy' | 'ignorePublicAcls' | 'restrictPublicBuckets', boolean>> | false;
  readonly versioning?: 'Enabled' | 'Suspended' | false;
  /** The bucket policy's statements; the TLS-only statement by default. */
  readonly policy?: (bucketArn: string) => PolicyStatement[];
  /** Relate settings to the bucket by its literal name instead of a reference. */
  readonly byName?: boolean;
}

/** A bucket with its settings as separate resources, all compliant unless told otherwise. */
export class TestBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, parts: BucketParts = {}) {
    super(scope, id);
    const name = `test-${id.toLowerCase()}`;
    this.bucket = new S3Bucket(this, 'Bucket', { bucket: name });
    const bucketRef = parts.byName ? name : this.bucket.id;
    const bucketArn = parts.byName ? `arn:aws:s3:::${name}` : this.bucket.arn;
    if (parts.encryption !== false) {
      new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
        bucket: bucketRef,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
      });
    }
    if (parts.publicAccessBlock !== false) {
      new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
        bucket: bucketRef,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        ...(parts.publicAccessBlock ?? {}),
      });
    }
    if (parts.versioning !== false) {
      new S3BucketVersioningA(this, 'Versioning', { bucket: bucketRef, versioningConfiguration: { status: parts.versioning ?? 'Enabled' } });
    }
    const statements = parts.policy ? parts.policy(bucketArn) : [denyInsecureTransport('s3:*', [bucketArn, `${bucketArn}/*`])];
    if (statements.length > 0) new S3BucketPolicy(this, 'Policy', { bucket: bucketRef, policy: policyJson(statements) });
  }
}
