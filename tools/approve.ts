import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { configPathFromEnvironment, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import type { BaselineConfig } from '../config/schema';
import type { Finding } from '../functions/detector/finding';
import { keys } from '../functions/detector/mass-download/dynamodb-windows';
import { BaselineNames, organizationAccounts } from '../lib/naming';
import { ApprovalError, type ApprovalApi, approve } from './approve/approval';
import { defineCommand, runCommand, USAGE_EXIT_CODE } from './command-line/flags';

/*
 * `npm run approve -- <finding-id>`: prints what lifting a mass-download cut-off would do; with --apply, does it and
 * records who approved. Reached with the deployment credentials: the security account's deployment role (or its
 * profile) for the detector's table, the flagged role's account's deployment role for the role's policy.
 */

const APPROVE = defineCommand({
  name: 'npm run approve --',
  summary:
    'Lifts the cut-off the S3 access detector put on a role after a mass download, once a person has approved:\n' +
    'prints what it would remove; with --apply, removes the role policy and records who approved on the finding.',
  flags: {
    apply: { description: 'remove the cut-off and record the approval (default: print only)' },
  },
  operands: { name: '<finding-id>', description: 'the id the finding names (md-...)' },
  environment: {
    BASELINE_CONFIG: 'the configuration file, relative to your directory (default: config/example.json)',
    AWS_PROFILE: 'the credentials that can assume the deployment roles (or the profiles the configuration names)',
  },
});

/** Credentials for an account the way the stacks reach it: its profile, else its deployment role, else the caller's. */
function clientConfig(config: BaselineConfig, names: BaselineNames, accountId: string, base: STSClient) {
  const region = config.regions.home;
  const account = organizationAccounts(config).find((candidate) => candidate.id === accountId);
  const profile = account ? config.deployment.profiles?.[account.name] : undefined;
  if (profile) return { region, profile };
  const roleArn = names.assumedDeploymentRoleArn(accountId);
  if (!roleArn) return { region };
  return {
    region,
    credentials: async () => {
      const { Credentials: credentials } = await base.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'approve-mass-download', ExternalId: config.deployment.externalId, DurationSeconds: 900 }),
      );
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`no credentials from ${roleArn}`);
      return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
    },
  };
}

export function awsApprovalApi(config: BaselineConfig): ApprovalApi {
  const names = new BaselineNames(config);
  const base = new STSClient({ region: config.regions.home });
  const table = names.detectorStateTableName;
  const security = config.accounts.security.id;
  const dynamodb = () => new DynamoDBClient(clientConfig(config, names, security, base));
  const key = (findingId: string) => ({ pk: { S: keys.finding(findingId) }, sk: { N: '0' } });
  return {
    async finding(findingId) {
      const { Item: item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: key(findingId), ConsistentRead: true }));
      if (!item?.finding?.S) return undefined;
      return {
        finding: JSON.parse(item.finding.S) as Finding,
        ...(item.approvedBy?.S ? { approvedBy: item.approvedBy.S } : {}),
        ...(item.approvedAt?.S ? { approvedAt: item.approvedAt.S } : {}),
      };
    },
    async caller() {
      const { Arn: arn } = await base.send(new GetCallerIdentityCommand({}));
      return arn ?? 'unknown caller';
    },
    async removeRolePolicy(accountId, roleName, policyName) {
      const iam = new IAMClient(clientConfig(config, names, accountId, base));
      try {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchEntityException' || (error as { name?: string }).name === 'NoSuchEntity') return false;
        throw error;
      }
    },
    async recordApproval(findingId, approvedBy, approvedAt) {
      await dynamodb().send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(findingId),
          UpdateExpression: 'SET #by = :by, #at = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk', '#by': 'approvedBy', '#at': 'approvedAt' },
          ExpressionAttributeValues: { ':by': { S: approvedBy }, ':at': { S: approvedAt } },
        }),
      );
    },
  };
}

if (require.main === module) {
  runCommand(APPROVE, process.argv.slice(2), async ({ flags, operands }) => {
    if (operands.length !== 1) {
      process.stderr.write(`npm run approve: expected one finding id, got ${operands.length}\nRun "npm run approve -- --help" for the flags.\n`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
    try {
      const config = loadConfigFile(configPathFromEnvironment());
      const lines = await approve(operands[0], flags.apply === true, awsApprovalApi(config));
      process.stdout.write(`${lines.join('\n')}\n`);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof ApprovalError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`npm run approve failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  });
}
