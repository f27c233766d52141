import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { Construct } from 'constructs';
import type { BaselineNames } from '../naming';

export interface LogKeyLookupProps {
  readonly names: BaselineNames;
  /** The home region, where the log key lives. */
  readonly region: string;
}

/**
 * The ARN of the log key, looked up at plan time from its alias in the log-archive account.
 *
 * CloudTrail stores and returns the key ARN whatever form of KmsKeyId it is given, so a trail configured with the alias
 * ARN shows a change in every plan (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html,
 * KmsKeyId); Config's delivery channel is given the same ARN so that both name the key one way. The key ARN cannot be
 * derived from the configuration (KMS chooses the key id), and a cross-stack reference would couple the stacks'
 * state; a lookup keeps each stack plannable on its own once the log-archive stack is applied, which the deploy order
 * requires anyway (CloudTrail and Config check the bucket and key when they are created). The log key's policy lets
 * the organization's accounts call kms:DescribeKey, which resolves an alias ARN of another account
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html: "To perform this operation on a KMS key
 * in a different AWS account, specify the key ARN or alias ARN").
 */
export class LogKeyLookup extends Construct {
  /** `arn:aws:kms:<home>:<log archive>:key/<id>`, known at plan time. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogKeyLookupProps) {
    super(scope, id);
    const key = new DataAwsKmsKey(this, 'Key', { keyId: props.names.logKeyAliasArn, region: props.region });
    this.keyArn = key.arn;
  }
}
