import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { unzipSync } from 'fflate';
import { keys, TABLE_KEY_SCHEMA } from '../../functions/detector/mass-download/dynamodb-windows';
import { buildDetectorPackage } from '../../lib/detector/package';
import { PROJECT_ROOT } from '../helpers';
import { eventBridgeEvent, objectRead, WORKLOAD_ACCOUNT } from './records';
import { ATTACKER_ADDRESS, attacker, PAYROLL_BUCKET, RECORDS_BUCKET, seedScenario, seedSettings } from './seed-scenario';

/*
 * The BUILT detector (the zip the stacks deploy) with the mass-download rule on, against moto's server: its state in
 * a DynamoDB table, its findings through SNS to a queue, its cut-off through the response role of the workload
 * account. The seed scenario runs through one warm copy of the function, as a burst of events would; retries run in a
 * fresh (cold) copy, which knows only what the table knows.
 */

const MOTO_SERVER = process.env.MOTO_SERVER ?? path.join(PROJECT_ROOT, '.venv-emulator', 'bin', 'moto_server');
const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const TABLE = 'acme-s3-access-detector-state';
const available = existsSync(MOTO_SERVER);

if (!available) {
  const why = `${MOTO_SERVER} is missing: create it with "python3 -m venv .venv-emulator && .venv-emulator/bin/pip install -r tools/python/emulator-requirements.txt -c tools/python/emulator-constraints.txt"`;
  if (process.env.CI) throw new Error(`the mass-download integration test cannot run: ${why}`);
  process.stderr.write(`Skipping the mass-download integration test: ${why}\n`);
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

describeWithEmulator('the built detector counts mass downloads in DynamoDB (emulator)', () => {
  let server: ChildProcess;
  let endpoint: string;
  let bundleDir: string;
  let topicArn: string;
  let queueUrl: string;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;
  let workloadIam: IAMClient;
  const events = seedScenario().map((record) => eventBridgeEvent(record));

  /** Runs the bundle's handler over events in one child node process (one running copy); returns its results. */
  function invoke(batch: readonly unknown[]) {
    const result = run(batch, topicArn);
    if (result.status !== 0) throw new Error(`the handler failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as { eventId: string; findings: number }[];
  }

  /** One running copy of the function over the events, publishing to the given topic; the process's result. */
  function run(batch: readonly unknown[], findingsTopicArn: string) {
    const eventFile = path.join(bundleDir, `events-${Math.random()}.json`);
    writeFileSync(eventFile, JSON.stringify(batch));
    const script = `const { handler } = require(${JSON.stringify(path.join(bundleDir, 'index.js'))});
      (async () => { const results = []; for (const event of require(${JSON.stringify(eventFile)})) results.push(await handler(event)); console.log(JSON.stringify(results)); })()
        .catch((error) => { console.error(error.name + ': ' + error.message); process.exit(3); });`;
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
        NODE_OPTIONS: '--enable-source-maps',
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        FINDINGS_TOPIC_ARN: findingsTopicArn,
        STATE_TABLE_NAME: TABLE,
      },
    });
    return result;
  }

  async function drain(): Promise<{ rule: string; message: Record<string, any> }[]> {
    const found: { rule: string; message: Record<string, any> }[] = [];
    for (let empty = 0; empty < 2; ) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) empty++;
      for (const message of Messages) {
        const body = JSON.parse(message.Body!);
        found.push({ rule: body.MessageAttributes.rule.Value, message: JSON.parse(body.Message) });
      }
    }
    return found;
  }

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    // The emulator logs every request to a file: a pipe would fill while the handler's process holds this one in
    // spawnSync, and the emulator would stop answering.
    bundleDir = mkdtempSync(path.join(os.tmpdir(), 'mass-download-bundle-'));
    const serverLog = path.join(bundleDir, 'moto.log');
    const logFd = openSync(serverLog, 'w');
    server = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    await waitForEmulator(endpoint, server, () => readFileSync(serverLog, 'utf8').slice(-4000));

    const enforcing = { ...seedSettings, response: 'enforce' as const };
    for (const [name, data] of Object.entries(unzipSync(buildDetectorPackage(enforcing).zip))) writeFileSync(path.join(bundleDir, name), data);

    const clientConfig = { endpoint, region: REGION, credentials: CREDENTIALS };
    // The table as lib/detector/detector-state-table.ts declares it (key schema, on demand).
    dynamodb = new DynamoDBClient(clientConfig);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        ...TABLE_KEY_SCHEMA,
      }),
    );
    const sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'acme-s3-access-findings' }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'findings-inbox' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));

    // The workload account's roles: the one whose credentials were stolen, and the batch job's.
    const sts = new STSClient(clientConfig);
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`, RoleSessionName: 'setup' }));
    workloadIam = new IAMClient({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken },
    });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    for (const role of ['acme-reporting', 'acme-batch-nightly', 'acme-exporter']) await workloadIam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trust }));
  }, 60_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  let massDownloads: Record<string, any>[] = [];

  it('finds the sync of each bucket once, cuts the role off each, and stays quiet for the exempt batch reader', async () => {
    // Act
    const results = invoke(events);
    // Assess
    expect(results).toHaveLength(events.length);
    const messages = await drain();
    massDownloads = messages.filter((item) => item.rule === 'mass-download').map((item) => item.message);
    expect(massDownloads.map((finding) => finding.what.bucket).sort()).toEqual([RECORDS_BUCKET, PAYROLL_BUCKET].sort());
    expect(massDownloads.every((finding) => finding.who.roleArn === `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-reporting`)).toBe(true);
    for (const finding of massDownloads) {
      expect(finding.response.cutOff).toMatchObject({ action: 'cut-off-bucket', applied: true, approve: `npm run approve -- ${finding.id}` });
      const { PolicyDocument } = await workloadIam.send(new GetRolePolicyCommand({ RoleName: 'acme-reporting', PolicyName: `S3CutOff-${finding.id}` }));
      expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0]).toMatchObject({ Effect: 'Deny', Action: 's3:*', Resource: expect.arrayContaining([`arn:aws:s3:::${finding.what.bucket}/*`]) });
    }
    const records = massDownloads.find((finding) => finding.what.bucket === RECORDS_BUCKET)!;
    expect(records.volume).toMatchObject({ reads: 100, deniedReads: 0, sourceIps: ['198.51.100.66'], readThreshold: 100 });
    // The existing rules report beside it.
    expect(messages.some((item) => item.rule === 'bucket-enumeration')).toBe(true);
    await expect(workloadIam.send(new GetRolePolicyCommand({ RoleName: 'acme-batch-nightly', PolicyName: 'RevokeOlderSessions' }))).rejects.toThrow();
  }, 240_000);

  it('counts every read once in the table, and a retried event in a cold copy neither counts again nor finds again', async () => {
    const completing = events.find((event) => (event as { detail: { eventID: string } }).detail.eventID === massDownloads[0].what.eventId)!;
    const before = await readsCounted(RECORDS_BUCKET);
    // Act: Lambda retries the event that completed the window, and a later one, in a fresh copy of the function.
    invoke([completing, completing, events[events.length - 1]]);
    // Assess
    expect(await readsCounted(RECORDS_BUCKET)).toBe(before);
    expect(before).toBe(150);
    const again = await drain();
    expect(again.filter((item) => item.rule === 'mass-download')).toEqual([]);
  }, 120_000);

  it('publishes, from a cold copy, the finding whose first attempt failed to publish, and only once', async () => {
    // Another role copies the records bucket an hour later; the event that completes its window fails to publish.
    const exporter = JSON.parse(JSON.stringify(attacker).replaceAll('acme-reporting', 'acme-exporter')) as object;
    const later = Date.parse('2026-11-21T11:00:00Z');
    const reads = Array.from({ length: 100 }, (_, index) =>
      eventBridgeEvent(
        objectRead(exporter, { bucket: RECORDS_BUCKET, key: `exports/2026/part-${String(index).padStart(4, '0')}.json` }, {
          sourceIPAddress: ATTACKER_ADDRESS,
          eventTime: new Date(later + index * 1000).toISOString().replace('.000Z', 'Z'),
        }),
      ),
    );
    invoke(reads.slice(0, 99));
    expect((await drain()).filter((item) => item.rule === 'mass-download')).toEqual([]);
    // Act: the completing read, first with SNS refusing (a topic that does not exist), then retried by Lambda in a
    // fresh copy. The retry finds its incident and its finding already in the table (both conditions fail).
    const failed = run([reads[99]], `${topicArn}-missing`);
    expect(failed.status).not.toBe(0);
    invoke([reads[99]]);
    invoke([reads[99]]);
    // Assess
    const published = (await drain()).filter((item) => item.rule === 'mass-download').map((item) => item.message);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ who: { roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-exporter` }, what: { bucket: RECORDS_BUCKET } });
    expect(await readsCounted(RECORDS_BUCKET, 'acme-exporter')).toBe(100);
  }, 120_000);

  async function readsCounted(bucket: string, role = 'acme-reporting'): Promise<number> {
    const { Items = [] } = await dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: keys.reads(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${role}`, bucket) } },
      }),
    );
    return Items.reduce((sum, item) => sum + Number(item.reads.N), 0);
  }
});
