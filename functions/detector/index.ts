import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Sns from '@aws-sdk/client-sns';
import type * as Sts from '@aws-sdk/client-sts';
import { createHandler } from './handler';
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
let sns: { client: Sns.SNSClient; Publish: typeof Sns.PublishCommand } | undefined;
function snsClient(): NonNullable<typeof sns> {
  if (!sns) {
    // require, not import(): CommonJS resolution finds the runtime's SDK through NODE_PATH, as Lambda sets it.
    const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as typeof Sns;
    sns = { client: new SNSClient({}), Publish: PublishCommand };
  }
  return sns;
}

export const handler = createHandler({
  settings,
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
    // Loaded only in enforce mode: the clients cost cold-start time the default mode never needs.
    const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts') as typeof Sts;
    const { IAMClient, GetRolePolicyCommand, PutRolePolicyCommand } = require('@aws-sdk/client-iam') as typeof Iam;
    const assumed = await new STSClient({}).send(
      new AssumeRoleCommand({ RoleArn: plan.responseRoleArn, RoleSessionName: 's3-access-detector', DurationSeconds: 900 }),
    );
    const credentials = assumed.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`no credentials from ${plan.responseRoleArn}`);
    const iam = new IAMClient({
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      },
    });
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
