import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Ddb from '@aws-sdk/client-dynamodb';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Sns from '@aws-sdk/client-sns';
import type * as Sts from '@aws-sdk/client-sts';
import { createHandler } from './handler';
import { DynamoDbWindows } from './mass-download/dynamodb-windows';
import { revocationDecision } from './response';
import { parseDetectorSettings } from './settings';

/*
 * The Lambda entry point. Cold start reads and validates settings.json (packaged beside this file) once; invalid
 * settings fail the initialization loudly instead of every event quietly. The SDK clients are loaded on first use
 * and kept: most events are authorized and publish nothing, and loading the SNS client is most of a cold start.
 */

const topicArn = process.env.FINDINGS_TOPIC_ARN;
if (!topicArn) throw new Error('FINDINGS_TOPIC_ARN is not set: the detector has nowhere to publish findings');

const settings = parseDetectorSettings(JSON.parse(readFileSync(path.join(__dirname, 'settings.json'), 'utf8')));
const stateTable = process.env.STATE_TABLE_NAME;
if (settings.massDownload && !stateTable) throw new Error('STATE_TABLE_NAME is not set: the mass-download rule has no table to count in');
// The DynamoDB client is loaded at cold start when the mass-download rule is on: every object read calls it.
const windows =
  settings.massDownload && stateTable
    ? (() => {
        const sdk = require('@aws-sdk/client-dynamodb') as typeof Ddb;
        return new DynamoDbWindows(sdk, new sdk.DynamoDBClient({}), stateTable);
      })()
    : undefined;
let sns: { client: Sns.SNSClient; Publish: typeof Sns.PublishCommand } | undefined;
function snsClient(): NonNullable<typeof sns> {
  if (!sns) {
    // require, not import(): CommonJS resolution finds the runtime's SDK through NODE_PATH, as Lambda sets it.
    const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as typeof Sns;
    sns = { client: new SNSClient({}), Publish: PublishCommand };
  }
  return sns;
}

/** An IAM client acting as the response role of a flagged role's account (enforce mode only). */
async function responseIam(responseRoleArn: string): Promise<{ iam: Iam.IAMClient; sdk: typeof Iam }> {
  // Loaded only in enforce mode: the clients cost cold-start time the default mode never needs.
  const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts') as typeof Sts;
  const sdk = require('@aws-sdk/client-iam') as typeof Iam;
  const assumed = await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: responseRoleArn, RoleSessionName: 's3-access-detector', DurationSeconds: 900 }));
  const credentials = assumed.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`no credentials from ${responseRoleArn}`);
  const iam = new sdk.IAMClient({
    credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
  });
  return { iam, sdk };
}

export const handler = createHandler({
  settings,
  ...(windows ? { windows } : {}),
  cutOff: async (plan) => {
    const { iam, sdk } = await responseIam(plan.responseRoleArn);
    // Put, never deleted here: only a person lifts a cut-off (npm run approve).
    await iam.send(new sdk.PutRolePolicyCommand({ RoleName: plan.roleName, PolicyName: plan.policyName, PolicyDocument: plan.policyDocument }));
  },
  publish: async ({ subject, message, rule }) => {
    const { client, Publish } = snsClient();
    await client.send(
      new Publish({
        TopicArn: topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: { rule: { DataType: 'String', StringValue: rule } },
      }),
    );
  },
  revoke: async (plan) => {
    const { iam, sdk } = await responseIam(plan.responseRoleArn);
    const { GetRolePolicyCommand, PutRolePolicyCommand } = sdk;
    // The policy already on the role is the state every copy of the function shares (cooldown, never moving back).
    let existing: string | undefined;
    try {
      const current = await iam.send(new GetRolePolicyCommand({ RoleName: plan.roleName, PolicyName: plan.policyName }));
      existing = current.PolicyDocument === undefined ? undefined : decodeURIComponent(current.PolicyDocument);
    } catch (error) {
      if ((error as { name?: string }).name !== 'NoSuchEntityException') throw error;
    }
    const decision = revocationDecision(existing, plan);
    if (decision === 'apply') {
      await iam.send(new PutRolePolicyCommand({ RoleName: plan.roleName, PolicyName: plan.policyName, PolicyDocument: plan.policyDocument }));
    }
    return decision;
  },
});
