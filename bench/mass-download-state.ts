import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import * as Ddb from '@aws-sdk/client-dynamodb';
import { createHandler } from '../functions/detector/handler';
import { DynamoDbWindows, TABLE_KEY_SCHEMA } from '../functions/detector/mass-download/dynamodb-windows';
import type { DetectorSettings } from '../functions/detector/settings';

/*
 * The mass-download rule's cost per event with its state calls (a transaction and a consistent query per object read,
 * more at a finding), measured against the AWS emulator (moto's server from .venv-emulator). The emulator answers on
 * this machine: the figure bounds the function's own work and the SDK's, not DynamoDB's latency in AWS (single-digit
 * milliseconds per call there). Run alone: `node --import tsx bench/mass-download-state.ts [reads]`.
 */

const ROOT = path.join(__dirname, '..');
const MOTO_SERVER = process.env.MOTO_SERVER ?? path.join(ROOT, '.venv-emulator', 'bin', 'moto_server');
const ACCOUNT = '444444444444';
const TABLE = 'bench-s3-access-detector-state';

const settings: DetectorSettings = {
  monitoredBuckets: [{ name: 'acme-customer-records', keyPatterns: ['customers/*'] }],
  authorizedCidrs: [],
  authorizedVpcEndpoints: [],
  authorizedServices: [],
  authorizedPrincipals: [],
  enumerationPrincipals: [],
  rules: { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, bucketEnumeration: true, vpcEndpointAccess: false },
  response: 'off',
  responseRoleName: 'bench-detector-response',
  organizationAccountIds: [ACCOUNT],
  protectedRoles: [],
  responseAccountIds: [],
  massDownload: { windowSeconds: 600, readThreshold: 100, sharePercent: 20, minimumReadsForShare: 10, buckets: [], exemptions: [] },
};

/** One EventBridge event per read: a sync of `count` objects by one role from one address, a read per 100 ms. */
function syncEvents(count: number): Record<string, unknown>[] {
  const start = Date.parse('2026-11-21T10:00:00Z');
  return Array.from({ length: count }, (_, index) => ({
    version: '0',
    id: `bench-${index}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: ACCOUNT,
    region: 'eu-west-1',
    detail: {
      eventVersion: '1.10',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/acme-reporting/bench`,
        accountId: ACCOUNT,
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/acme-reporting`, accountId: ACCOUNT, userName: 'acme-reporting' } },
      },
      eventTime: new Date(start + index * 100).toISOString(),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '198.51.100.66',
      userAgent: 'aws-cli/2.17.0 md/command#s3.sync',
      requestParameters: { bucketName: 'acme-customer-records', key: `exports/part-${index}.json` },
      eventID: `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Data',
    },
  }));
}

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

async function started(endpoint: string, server: ChildProcess): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (server.exitCode !== null) throw new Error(`moto_server exited (${server.exitCode})`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint}`);
}

/** The line to print: events per second through the handler with the state calls, or why it was not measured. */
export async function massDownloadStateBenchmark(reads = 1000): Promise<string> {
  const label = `mass-download rule with DynamoDB state (emulator), ${reads} reads`.padEnd(58);
  if (!existsSync(MOTO_SERVER)) return `${label} not measured: ${MOTO_SERVER} is missing`;
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    await started(endpoint, server);
    const client = new Ddb.DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await client.send(
      new Ddb.CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        ...TABLE_KEY_SCHEMA,
      }),
    );
    let published = 0;
    const handler = createHandler({
      settings,
      windows: new DynamoDbWindows(Ddb, client, TABLE),
      publish: async () => {
        published++;
      },
      revoke: async () => 'apply',
      log: () => undefined,
    });
    const events = syncEvents(reads);
    const start = process.hrtime.bigint();
    for (const event of events) await handler(event);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return `${label} ${Math.round(reads / seconds).toLocaleString('en-US').padStart(12)} events/s  (${((seconds / reads) * 1000).toFixed(1)} ms per read, ${published} findings published)`;
  } finally {
    server.kill('SIGTERM');
  }
}

if (require.main === module) {
  massDownloadStateBenchmark(Number(process.argv[2] ?? 1000)).then(
    (line) => process.stdout.write(`${line}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
