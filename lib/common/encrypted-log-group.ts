import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** A retention CloudWatch Logs accepts (validated in the configuration). */
  readonly retentionInDays: number;
  readonly accountId: string;
  /** Region of the group and its key. */
  readonly region: string;
  /** Alias of the key created for the group, without `alias/`. */
  readonly keyAlias: string;
}

/** A CloudWatch Logs group encrypted with a key of its own that only CloudWatch Logs, for this group, may use. */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const groupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${props.name}`;
    this.key = new EncryptionKey(this, 'Key', {
      description: `Encrypts the CloudWatch Logs group ${props.name}`,
      alias: props.keyAlias,
      accountId: props.accountId,
      region: props.region,
      statements: [
        {
          Sid: 'CloudWatchLogsEncryptsThisGroup',
          Effect: 'Allow',
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': groupArn } },
        },
      ],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: props.name,
      retentionInDays: props.retentionInDays,
      kmsKeyId: this.key.key.arn,
      region: props.region,
      lifecycle: { preventDestroy: true },
    });
  }
}
