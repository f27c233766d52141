import type * as S3 from '@aws-sdk/client-s3';
import type * as Sts from '@aws-sdk/client-sts';
import { canariesFrom, runDrill } from './run';

/*
 * The Lambda entry point, invoked by EventBridge Scheduler. The runner's own role may only assume the drill role; the
 * drill role may only read the canaries. A fresh session per run, so the read is made with the credentials an
 * intruder would hold: a role session, from an address on the internet, not through an AWS service.
 */

const roleArn = process.env.DRILL_ROLE_ARN;
if (!roleArn) throw new Error('DRILL_ROLE_ARN is not set: the runner has no role to read the canaries as');
const canaries = canariesFrom(process.env.DRILL_CANARIES);

export const handler = async (): Promise<{ read: number }> => {
  // require, not import(): CommonJS resolution finds the runtime's SDK through NODE_PATH, as Lambda sets it.
  const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts') as typeof Sts;
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3') as typeof S3;
  const run = await runDrill(canaries, {
    assumeDrillRole: async () => {
      const { Credentials, AssumedRoleUser } = await new STSClient({}).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'detection-drill', DurationSeconds: 900 }),
      );
      if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error(`no credentials from ${roleArn}`);
      return {
        credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken },
        sessionArn: AssumedRoleUser?.Arn,
        principalId: AssumedRoleUser?.AssumedRoleId,
      };
    },
    readObject: async (credentials, canary) => {
      const s3 = new S3Client({ credentials: credentials as S3.S3ClientConfig['credentials'] });
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: canary.bucket, Key: canary.key }));
      // The whole body, so the read is complete as a harvest would be.
      return (await Body!.transformToByteArray()).length;
    },
  });
  return { read: run.read.length };
};
