import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { TABLE_KEY, TTL_ATTRIBUTE } from '../../functions/detector/mass-download/dynamodb-windows';
import { EncryptionKey } from '../common/encryption-key';

export interface DetectorStateTableProps {
  /** Table name; the key's alias is derived from it. */
  readonly name: string;
  /** The security account. */
  readonly accountId: string;
  /** The detector's region (the function's, so the calls stay in-region). */
  readonly region: string;
}

/**
 * Where the detector's stateful rules keep their windows (mass download: functions/detector/mass-download): a
 * DynamoDB table billed on demand (no capacity to exhaust during the very sync it must count), encrypted with its own
 * customer-managed key, with TTL on window items and point-in-time recovery. Like the other data stores of the
 * baseline, neither the table nor its key can be destroyed by a deploy, and the table refuses deletion.
 */
export class DetectorStateTable extends Construct {
  readonly table: DynamodbTable;
  readonly key: EncryptionKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DetectorStateTableProps) {
    super(scope, id);
    const { accountId, region } = props;
    this.arn = `arn:aws:dynamodb:${region}:${accountId}:table/${props.name}`;
    // The permissions a table's users need on its customer managed key, as "How Amazon DynamoDB uses AWS KMS" lists
    // them: principals of this account, only through DynamoDB in this region (kms:ViaService, kms:CallerAccount).
    // https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
    // Which principals reach the table at all is decided by their IAM policies (the key delegates to IAM as well).
    this.key = new EncryptionKey(this, 'Key', {
      description: `Encrypts ${props.name}, the S3 access detector's window state`,
      alias: props.name,
      accountId,
      region,
      statements: [
        {
          Sid: 'UseThroughDynamoDbInThisAccount',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
        },
      ],
    });
    this.table = new DynamodbTable(this, 'Table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: TABLE_KEY.partition,
      rangeKey: TABLE_KEY.sort,
      attribute: [
        { name: TABLE_KEY.partition, type: 'S' },
        { name: TABLE_KEY.sort, type: 'N' },
      ],
      // Window counters, event markers and incidents expire; findings (and their approvals) have no expiry.
      ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.key.arn },
      deletionProtectionEnabled: true,
      region,
      lifecycle: { preventDestroy: true },
    });
  }
}
