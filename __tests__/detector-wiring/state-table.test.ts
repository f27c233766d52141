import { configWith, resourcesOf, synthStack } from '../helpers';
import { logicalIdOf, only, resolvedPolicy } from './wiring';

/* The mass-download rule's state in the security account: a table, its key, and the function's access to both. */

const SECURITY = '333333333333';
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${SECURITY}:table/acme-s3-access-detector-state`;

describe('the detector state table (mass-download rule on, the default)', () => {
  const security = synthStack('security');
  const table = only(security, 'aws_dynamodb_table');
  const keyId = (only(security, 'aws_kms_alias', { name: 'alias/acme-s3-access-detector-state' }).target_key_id as string).match(/aws_kms_key\.([^.]+)\./)![1];

  it('is billed on demand, encrypted with its own key, with TTL, point-in-time recovery, and no way to destroy it', () => {
    expect(table).toMatchObject({
      name: 'acme-s3-access-detector-state',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      range_key: 'sk',
      ttl: { attribute_name: 'expiresAt', enabled: true },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: `\${aws_kms_key.${keyId}.arn}` },
      deletion_protection_enabled: true,
      region: 'eu-west-1',
      lifecycle: { prevent_destroy: true },
    });
    expect(resourcesOf(security, 'aws_kms_key')[keyId]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  it('lets principals of the account use its key only through DynamoDB in the region', () => {
    const policy = JSON.parse(resourcesOf(security, 'aws_kms_key')[keyId].policy as string);
    expect(policy.Statement.find((statement: { Sid: string }) => statement.Sid === 'UseThroughDynamoDbInThisAccount')).toEqual({
      Sid: 'UseThroughDynamoDbInThisAccount',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': SECURITY, 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
    });
  });

  it('gives the function item reads and writes on this table only, never deletes, and names it in the environment', () => {
    const roleId = logicalIdOf(security, 'aws_iam_role', { name: 'acme-s3-access-detector' });
    const policy = resolvedPolicy(security, only(security, 'aws_iam_role_policy', { role: `\${aws_iam_role.${roleId}.name}` }).policy, SECURITY) as {
      Statement: { Sid: string; Action: string | string[]; Resource: unknown }[];
    };
    const dynamodb = policy.Statement.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));
    expect(dynamodb).toEqual([{ Sid: 'KeepWindowState', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: TABLE_ARN }]);
    const lambda = only(security, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' }) as { environment: { variables: Record<string, string> }; filename: string };
    expect(lambda.environment.variables.STATE_TABLE_NAME).toBe('acme-s3-access-detector-state');
  });
});

describe('the detector with the mass-download rule off', () => {
  const security = synthStack('security', configWith((input) => {
    input.detector!.rules = { ...input.detector!.rules, massDownload: false };
  }));

  it('has no table, no key for it, no permission and no table in its environment', () => {
    expect(resourcesOf(security, 'aws_dynamodb_table')).toEqual({});
    expect(JSON.stringify(resourcesOf(security, 'aws_iam_role_policy'))).not.toContain('dynamodb:');
    const lambda = only(security, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' }) as { environment: { variables: Record<string, string> } };
    expect(lambda.environment.variables.STATE_TABLE_NAME).toBeUndefined();
  });
});
