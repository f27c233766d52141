import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { unzipSync } from 'fflate';
import { TABLE_KEY_SCHEMA } from '../../functions/detector/mass-download/dynamodb-windows';
import { CANARY_CONTENT } from '../../lib/detector/drill/detection-drill';
import { buildRunnerPackage } from '../../lib/detector/drill/runner-package';
import { buildDetectorPackage } from '../../lib/detector/package';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { exampleConfig, PROJECT_ROOT, resourcesOf, synthStack } from '../helpers';
import { eventBridgeEvent, identities, objectRead } from './records';

/*
 * The detection drill end to end, as far as the emulator (moto's server) goes: the BUILT runner reads the canary as
 * the drill role through the S3 API; the CloudTrail record of that read (moto keeps no trail, so the record is written
 * from the session the runner used) goes through the BUILT detector; the detector's heartbeat line is turned into the
 * metric as CloudWatch Logs would extract it, and the metric is the one the synthesized heartbeat alarm watches.
 */

const STATE_TABLE = 'acme-s3-access-detector-state';
const MOTO_SERVER = process.env.MOTO_SERVER ?? path.join(PROJECT_ROOT, '.venv-emulator', 'bin', 'moto_server');
const REGION = 'eu-west-1';
const OWNER = '444444444444';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const available = existsSync(MOTO_SERVER);

if (!available) {
  const why = `${MOTO_SERVER} is missing: create it with "python3 -m venv .venv-emulator && .venv-emulator/bin/pip install -r tools/python/emulator-requirements.txt -c tools/python/emulator-constraints.txt"`;
  if (process.env.CI) throw new Error(`the drill integration test cannot run: ${why}`);
  process.stderr.write(`Skipping the drill integration test: ${why}\n`);
}

const describeWithEmulator = available ? describe : describe.skip;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForEmulator(endpoint: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`moto_server exited (${server.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${output()}`);
}

/** A package's files, unpacked into a new directory as Lambda unpacks them. */
function unpack(zip: Buffer, dirs: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drill-bundle-'));
  dirs.push(dir);
  for (const [name, data] of Object.entries(unzipSync(zip))) writeFileSync(path.join(dir, name), data);
  return dir;
}

describeWithEmulator('the detection drill against the AWS emulator', () => {
  const config = exampleConfig();
  const settings = detectorSettingsFrom(config);
  const canary = settings.drill!.canaries[0];
  const dirs: string[] = [];
  let server: ChildProcess;
  let serverOutput = '';
  let endpoint: string;
  let ownerCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  let topicArn: string;
  let queueUrl: string;
  let sqs: SQSClient;

  /** Runs a bundle's handler on one event in a child node process, as the runtime would. */
  function invoke(dir: string, event: unknown, env: Record<string, string>) {
    const eventFile = path.join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(event));
    const script = `require(${JSON.stringify(path.join(dir, 'index.js'))}).handler(require(${JSON.stringify(eventFile)}))
      .then((result) => console.log(JSON.stringify(result)), (error) => { console.error(error.name + ': ' + error.message); process.exit(3); });`;
    return spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: REGION,
        ...env,
      },
    });
  }

  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));

  async function receiveAll(): Promise<{ Subject: string; Message: string }[]> {
    const bodies: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((message) => message.Body!));
    }
    return bodies.map((body) => JSON.parse(body));
  }

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => (serverOutput += chunk));
    server.stderr!.on('data', (chunk) => (serverOutput += chunk));
    await waitForEmulator(endpoint, server, () => serverOutput);

    // The bucket owner's account (moto creates an account on first use of a role in it).
    const base = { endpoint, region: REGION };
    const { Credentials } = await new STSClient({ ...base, credentials: CREDENTIALS }).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OWNER}:role/deployment`, RoleSessionName: 'setup' }),
    );
    ownerCredentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken };

    // What the account stack creates: the bucket's canary object and the drill role with its synthesized policies.
    const account = synthStack('account-workload-prod', config);
    const s3 = new S3Client({ ...base, credentials: ownerCredentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: canary.bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    const canaryObject = Object.values(resourcesOf(account, 'aws_s3_object'))[0];
    await s3.send(new PutObjectCommand({ Bucket: canaryObject.bucket as string, Key: canaryObject.key as string, Body: canaryObject.content as string }));
    const iam = new IAMClient({ ...base, credentials: ownerCredentials });
    const role = Object.values(resourcesOf(account, 'aws_iam_role')).find((candidate) => candidate.name === 'acme-detector-drill')!;
    const trust = (role.assume_role_policy as string).replace(/\$\{aws_iam_role\.[^}]+\.arn\}/, `arn:aws:iam::${OWNER}:role/acme-detector-drill-runner`);
    await iam.send(new CreateRoleCommand({ RoleName: 'acme-detector-drill', AssumeRolePolicyDocument: trust }));
    const policy = Object.values(resourcesOf(account, 'aws_iam_role_policy')).find((candidate) => candidate.name === 'read-canary-objects')!;
    await iam.send(new PutRolePolicyCommand({ RoleName: 'acme-detector-drill', PolicyName: 'read-canary-objects', PolicyDocument: policy.policy as string }));

    // The detector's state table (the example turns the mass-download rule on), keyed as lib/detector declares it.
    await new DynamoDBClient({ ...base, credentials: CREDENTIALS }).send(
      new CreateTableCommand({
        TableName: STATE_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        ...TABLE_KEY_SCHEMA,
      }),
    );

    // The findings topic, with a queue to see what is published.
    const sns = new SNSClient({ ...base, credentials: CREDENTIALS });
    sqs = new SQSClient({ ...base, credentials: CREDENTIALS });
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'acme-s3-access-findings' }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'drill-findings-inbox' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  }, 60_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('drill read -> CloudTrail record -> detector -> heartbeat metric, and no page', async () => {
    // Act 1: the built runner, with its environment as synthesized, reads the canary as the drill role.
    const account = synthStack('account-workload-prod', config);
    const runnerEnvironment = (Object.values(resourcesOf(account, 'aws_lambda_function'))[0].environment as { variables: Record<string, string> }).variables;
    const runner = invoke(unpack(buildRunnerPackage().zip, dirs), {}, {
      ...runnerEnvironment,
      AWS_ACCESS_KEY_ID: ownerCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ownerCredentials.secretAccessKey,
      AWS_SESSION_TOKEN: ownerCredentials.sessionToken!,
    });
    expect(runner.stderr).not.toMatch(/Error/);
    expect(runner.status).toBe(0);
    const [read, result] = lines(runner.stdout);
    expect(result).toEqual({ read: 1 });
    expect(read).toMatchObject({
      message: 'canary read',
      bucket: canary.bucket,
      key: canary.key,
      bytes: Buffer.byteLength(CANARY_CONTENT),
      sessionArn: `arn:aws:sts::${OWNER}:assumed-role/acme-detector-drill/detection-drill`,
    });

    // Act 2: the record CloudTrail writes for that read, delivered to the built detector.
    const record = objectRead(
      {
        type: 'AssumedRole',
        principalId: read.principalId,
        arn: read.sessionArn,
        accountId: OWNER,
        accessKeyId: 'ASIAEXAMPLEDRILL0001',
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: String(read.principalId).split(':')[0], arn: canary.roleArn, accountId: OWNER, userName: 'acme-detector-drill' },
          attributes: { creationDate: '2026-11-21T10:14:59Z', mfaAuthenticated: 'false' },
        },
      },
      { bucket: canary.bucket, key: canary.key },
      { sourceIPAddress: '52.95.150.10', userAgent: 'aws-sdk-js/3.1169.0' },
    );
    const detectorDir = unpack(buildDetectorPackage(settings).zip, dirs);
    const detectorEnvironment = { FINDINGS_TOPIC_ARN: topicArn, STATE_TABLE_NAME: STATE_TABLE, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
    const detected = invoke(detectorDir, eventBridgeEvent(record), detectorEnvironment);
    expect(detected.stderr).not.toMatch(/Error/);
    expect(detected.status).toBe(0);
    const [heartbeat, outcome] = lines(detected.stdout);
    expect(outcome).toEqual({ eventId: record.eventID, findings: 0 });
    expect(await receiveAll()).toEqual([]);

    // Act 3: the heartbeat line as CloudWatch Logs extracts it (embedded metric format), put into the emulator.
    expect(heartbeat).toMatchObject({ message: 'detection drill arrived', Bucket: canary.bucket, DrillHeartbeat: 1 });
    const [directive] = heartbeat._aws.CloudWatchMetrics;
    const form = new URLSearchParams({ Action: 'PutMetricData', Version: '2010-08-01', Namespace: directive.Namespace });
    directive.Metrics.forEach((metric: { Name: string; Unit: string }, index: number) => {
      const member = `MetricData.member.${index + 1}`;
      form.set(`${member}.MetricName`, metric.Name);
      form.set(`${member}.Value`, String(heartbeat[metric.Name]));
      form.set(`${member}.Unit`, metric.Unit);
      form.set(`${member}.Timestamp`, new Date(heartbeat._aws.Timestamp).toISOString());
      directive.Dimensions[0].forEach((dimension: string, at: number) => {
        form.set(`${member}.Dimensions.member.${at + 1}.Name`, dimension);
        form.set(`${member}.Dimensions.member.${at + 1}.Value`, heartbeat[dimension]);
      });
    });
    const cloudWatch = (body: URLSearchParams) =>
      fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `AWS4-HMAC-SHA256 Credential=testing/20261121/${REGION}/monitoring/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body,
      }).then(async (response) => ({ status: response.status, text: await response.text() }));
    expect((await cloudWatch(form)).status).toBe(200);

    // Assess: the metric the synthesized heartbeat alarm watches now has the heartbeat.
    const alarm = Object.values(resourcesOf(synthStack('security', config), 'aws_cloudwatch_metric_alarm')).find(
      (candidate) => candidate.alarm_name === `acme-detector-drill-${canary.bucket}`,
    )!;
    const query = new URLSearchParams({
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: alarm.namespace as string,
      MetricName: alarm.metric_name as string,
      'Dimensions.member.1.Name': 'Bucket',
      'Dimensions.member.1.Value': (alarm.dimensions as Record<string, string>).Bucket,
      StartTime: new Date(heartbeat._aws.Timestamp - 3_600_000).toISOString(),
      EndTime: new Date(heartbeat._aws.Timestamp + 3_600_000).toISOString(),
      Period: String(alarm.period),
      'Statistics.member.1': alarm.statistic as string,
    });
    const statistics = await cloudWatch(query);
    expect(statistics.status).toBe(200);
    expect(statistics.text).toMatch(/<Sum>1(?:\.0)?<\/Sum>/);
  });

  it('pages, without a heartbeat, for the same read of the canary by any other principal', async () => {
    const detectorDir = unpack(buildDetectorPackage(settings).zip, dirs);
    const record = objectRead(identities.apiRole, { bucket: canary.bucket, key: canary.key }, { sourceIPAddress: '52.95.150.10' });
    const detected = invoke(detectorDir, eventBridgeEvent(record), { FINDINGS_TOPIC_ARN: topicArn, STATE_TABLE_NAME: STATE_TABLE, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    expect(detected.status).toBe(0);
    expect(detected.stdout).not.toContain('DrillHeartbeat');
    const messages = await receiveAll();
    expect(messages.map((message) => JSON.parse(message.Message).rule)).toEqual(['sensitive-object-access']);
    expect(JSON.parse(messages[0].Message)).toMatchObject({ what: { bucket: canary.bucket, key: canary.key } });
  });
});
