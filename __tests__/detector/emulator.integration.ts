import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { unzipSync } from 'fflate';
import { buildDetectorPackage } from '../../lib/detector/package';
import { PROJECT_ROOT } from '../helpers';
import { eventBridgeEvent, identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/*
 * The BUILT detector (the zip the stacks deploy) against moto's server: real SNS and SQS calls through the AWS SDK. A
 * topic with an SQS subscriber stands in for the findings topic; the handler runs in a child node process, as the
 * runtime would run it, with AWS_ENDPOINT_URL pointing at the emulator.
 */

const MOTO_SERVER = process.env.MOTO_SERVER ?? path.join(PROJECT_ROOT, '.venv-emulator', 'bin', 'moto_server');
const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const available = existsSync(MOTO_SERVER);

if (!available) {
  const why = `${MOTO_SERVER} is missing: create it with "python3 -m venv .venv-emulator && .venv-emulator/bin/pip install -r tools/python/emulator-requirements.txt -c tools/python/emulator-constraints.txt"`;
  // CI must run this test: there, a missing emulator is a failure, not a skip.
  if (process.env.CI) throw new Error(`the emulator integration test cannot run: ${why}`);
  process.stderr.write(`Skipping the emulator integration test: ${why}\n`);
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
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${output()}`);
}

const unpacked: string[] = [];

function unpack(packageSettings: typeof settings): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'detector-bundle-'));
  unpacked.push(dir);
  for (const [name, data] of Object.entries(unzipSync(buildDetectorPackage(packageSettings).zip))) writeFileSync(path.join(dir, name), data);
  return dir;
}

describeWithEmulator('the built detector against the AWS emulator', () => {
  let server: ChildProcess;
  let serverOutput = '';
  let endpoint: string;
  let bundleDir: string;
  let topicArn: string;
  let queueUrl: string;
  let sqs: SQSClient;

  /** Runs the bundle's handler on one event in a child node process; returns its exit status and output. */
  function invoke(event: unknown, dir = bundleDir) {
    const eventFile = path.join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(event));
    const script = `require(${JSON.stringify(path.join(dir, 'index.js'))}).handler(require(${JSON.stringify(eventFile)}))
      .then((result) => console.log(JSON.stringify(result)), (error) => { console.error(error.name + ': ' + error.message); process.exit(3); });`;
    return spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        // The SDK v3 clients come from the runtime in Lambda; here from the project's node_modules.
        NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
        NODE_OPTIONS: '--enable-source-maps',
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        FINDINGS_TOPIC_ARN: topicArn,
      },
    });
  }

  async function receiveAll(expected: number): Promise<{ Subject: string; Message: string; MessageAttributes?: Record<string, { Value: string }> }[]> {
    const bodies: string[] = [];
    const deadline = Date.now() + 15_000;
    while (bodies.length < expected && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((message) => message.Body!));
    }
    // One more short look, so that a surplus message is caught too.
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    bodies.push(...Messages.map((message) => message.Body!));
    return bodies.map((body) => JSON.parse(body));
  }

  beforeAll(async () => {
    // Prepare: the emulator on a free local port.
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => (serverOutput += chunk));
    server.stderr!.on('data', (chunk) => (serverOutput += chunk));
    await waitForEmulator(endpoint, server, () => serverOutput);

    // The package exactly as the stacks deploy it, unpacked as Lambda unpacks it.
    bundleDir = unpack(settings);

    // A findings topic with a queue subscribed to it.
    const clientConfig = { endpoint, region: REGION, credentials: CREDENTIALS };
    const sns = new SNSClient(clientConfig);
    sqs = new SQSClient(clientConfig);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'acme-s3-access-findings' }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'findings-inbox' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  }, 60_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    for (const dir of unpacked) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a finding that arrives on the subscribed queue with subject, attributes and body', async () => {
    // Act
    const record = objectRead(identities.instanceRole);
    const result = invoke(eventBridgeEvent(record));
    // Assess
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toEqual({ eventId: record.eventID, findings: 2 });
    const messages = await receiveAll(2);
    expect(messages).toHaveLength(2);
    const byRule = Object.fromEntries(messages.map((message) => [JSON.parse(message.Message).rule, message]));
    const sensitive = byRule['sensitive-object-access'];
    expect(sensitive.Subject).toBe('Sensitive S3 read by acme-web from 198.51.100.7: acme-customer-records/customers/2026/accounts.json');
    expect(sensitive.MessageAttributes?.rule?.Value).toBe('sensitive-object-access');
    expect(JSON.parse(sensitive.Message)).toMatchObject({
      who: { type: 'AssumedRole', kind: 'instance-role-session', accessKeyId: 'ASIAEXAMPLEWEB000001', instanceId: 'i-0abc1234def567890' },
      from: { sourceIp: '198.51.100.7' },
      what: { bucket: 'acme-customer-records', key: 'customers/2026/accounts.json', eventName: 'GetObject', eventId: record.eventID, region: 'eu-west-1' },
    });
    expect(byRule['instance-credentials-outside-aws'].Subject).toMatch(/^Instance credentials used outside AWS by acme-web from 198\.51\.100\.7/);
  });

  it('publishes nothing for an authorized call', async () => {
    const result = invoke(eventBridgeEvent(listBuckets({ ...identities.apiRole, sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::444444444444:role/inventory', userName: 'inventory' } } }, { sourceIPAddress: '203.0.113.5' })));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toMatchObject({ findings: 0 });
    expect(await receiveAll(0)).toEqual([]);
  });

  it('fails the invocation on a truncated event, logging the MalformedEvents metric, and publishes nothing', async () => {
    const result = invoke(eventBridgeEvent({ eventVersion: '1.10', eventTime: '2026-11-21T10:15:00Z', eventSource: 's3.amazonaws.com' }));
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('MalformedEventError: malformed event: missing or empty "eventName"');
    expect(result.stdout).toContain('"MalformedEvents":1');
    expect(await receiveAll(0)).toEqual([]);
  });
  it('revokes the flagged role\'s sessions in enforce mode through the response role of its account', async () => {
    // Prepare: in the workload account, the flagged role and the response role (reached like the function would).
    const sts = new STSClient({ endpoint, region: REGION, credentials: CREDENTIALS });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`, RoleSessionName: 'setup' }),
    );
    const iam = new IAMClient({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken },
    });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'acme-web', AssumeRolePolicyDocument: trust }));
    const enforcing = unpack({ ...settings, response: 'enforce' });
    // Act
    // A successful read of a sensitive key with instance credentials from a public address: two findings.
    const result = invoke(eventBridgeEvent(objectRead(identities.instanceRole)), enforcing);
    // Assess
    expect(result.status).toBe(0);
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: 'acme-web', PolicyName: 'RevokeOlderSessions' }));
    const statement = JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0];
    // As of the event's second, not the time the function ran.
    expect(statement).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T10:15:01Z' } } });
    const messages = await receiveAll(2);
    // The second finding reads the policy the first one put: already covered, not moved.
    expect(messages.map((message) => JSON.parse(message.Message).response).sort((a, b) => Number(b.applied) - Number(a.applied))).toEqual([
      expect.objectContaining({ action: 'revoke-role-sessions', mode: 'enforce', applied: true, decision: 'apply' }),
      expect.objectContaining({ action: 'revoke-role-sessions', mode: 'enforce', applied: false, decision: 'covered' }),
    ]);
  });
});
