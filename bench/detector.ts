import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { writeLogTree } from './log-tree';
import { formatFigures, measureNode } from './measure';

/*
 * Detector benchmarks, each measurement in a process of its own: rule throughput against JSON.parse of the same
 * records, the worst case of key and principal matching, replay throughput against JSON.parse of the same files,
 * replay's peak memory on a 1 GB log file, bundle size, and cold start of the built bundle.
 * `node --import tsx bench/detector.ts` prints them alone; bench/run.ts prints them after the synth figures.
 */

const ROOT = path.join(__dirname, '..');
const TSX = ['--import', 'tsx'];
const SELF = path.join(__dirname, 'detector.ts');

/**
 * CloudTrail records shaped like the traffic of a monitored bucket under the example configuration: mostly authorized
 * reads and writes (through the authorized VPC endpoint, from the authorized networks, IPv4 and IPv6, by the authorized
 * roles; an instance role through its own VPC endpoint; another bucket), and about one event in twenty that fires
 * (an instance role's credentials used from outside: enumeration, then sensitive reads).
 */
export function syntheticRecords(count: number): Record<string, unknown>[] {
  const account = '444444444444';
  const role = (name: string, session: string, instance = false) => ({
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE${name.length}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
    accessKeyId: 'ASIAEXAMPLEKEY000001',
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${name}`, accountId: account, userName: name },
      attributes: { creationDate: '2026-11-21T09:00:00Z', mfaAuthenticated: 'false' },
      ...(instance ? { ec2RoleDelivery: '2.0' } : {}),
    },
  });
  const api = role('acme-records-api', 'task-1');
  const batch = role('acme-batch-nightly', 'run-7');
  const web = role('acme-web', 'i-0abc1234def567890', true);
  const keys = ['customers/0001/profile.json', 'assets/logo.png', 'exports/2026-11-20.csv', 'archive/ssn-list.txt', 'public/index.html'];
  type Shape = { identity: object; source: string; endpoint?: string; eventName: string; bucket: string; keys: string[] };
  const own = 'vpce-07e6d5c4b3a291807';
  const shapes: Shape[] = [
    { identity: api, source: '10.20.1.15', endpoint: 'vpce-0a1b2c3d4e5f60718', eventName: 'GetObject', bucket: 'acme-customer-records', keys },
    { identity: batch, source: '203.0.113.10', eventName: 'GetObject', bucket: 'acme-customer-records', keys },
    { identity: batch, source: '2001:db8:1234::10', eventName: 'GetObject', bucket: 'acme-customer-records', keys },
    { identity: web, source: '10.20.3.7', endpoint: own, eventName: 'GetObject', bucket: 'acme-customer-records', keys: ['assets/logo.png', 'public/index.html'] },
    { identity: api, source: '10.20.1.15', endpoint: 'vpce-0a1b2c3d4e5f60718', eventName: 'PutObject', bucket: 'acme-customer-records', keys },
    { identity: web, source: '10.20.3.7', endpoint: own, eventName: 'GetObject', bucket: 'acme-website', keys },
  ];
  return Array.from({ length: count }, (_, index) => {
    const attack = index % 20 === 19;
    const listing = attack && index % 100 === 99;
    const shape: Shape = attack
      ? { identity: web, source: '198.51.100.23', eventName: listing ? 'ListBuckets' : 'GetObject', bucket: 'acme-customer-records', keys }
      : shapes[index % shapes.length];
    const key = shape.keys[Math.floor(index / shapes.length) % shape.keys.length];
    return {
      eventVersion: '1.10',
      userIdentity: shape.identity,
      eventTime: '2026-11-21T10:15:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: shape.eventName,
      awsRegion: 'eu-west-1',
      sourceIPAddress: shape.source,
      userAgent: '[aws-sdk-java/2.25.60 Linux/6.1.112 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS]',
      requestParameters: listing
        ? { Host: 's3.amazonaws.com' }
        : { bucketName: shape.bucket, Host: `${shape.bucket}.s3.eu-west-1.amazonaws.com`, key },
      responseElements: null,
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader' },
      requestID: `REQ${index.toString(16).padStart(12, '0')}`,
      eventID: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
      readOnly: true,
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${shape.bucket}/${key}` }],
      eventType: 'AwsApiCall',
      managementEvent: listing,
      recipientAccountId: account,
      ...(shape.endpoint ? { vpcEndpointId: shape.endpoint, vpcEndpointAccountId: account } : {}),
      eventCategory: listing ? 'Management' : 'Data',
    };
  });
}

// Workers: each prints one JSON line of figures. Times are the process's CPU time (user + system), so that other
// load on a shared machine does not count against the code measured.

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function rulesWorker(): void {
  const { createDetector } = require('../functions/detector/detector') as typeof import('../functions/detector/detector');
  const { detectorSettingsFrom } = require('../lib/detector/settings') as typeof import('../lib/detector/settings');
  const { EXAMPLE_CONFIG_PATH, loadConfigFile } = require('../config/load') as typeof import('../config/load');
  const detector = createDetector(detectorSettingsFrom(loadConfigFile(EXAMPLE_CONFIG_PATH)));
  const texts = syntheticRecords(Number(process.env.BENCH_EVENTS ?? 200_000)).map((record) => JSON.stringify(record));
  const best = (run: () => number) => {
    let fastest = Infinity;
    let result = 0;
    for (let round = 0; round < 5; round++) {
      const start = cpuSeconds();
      result = run();
      fastest = Math.min(fastest, cpuSeconds() - start);
    }
    return { seconds: fastest, result };
  };
  let records: unknown[] = [];
  const parse = best(() => {
    records = texts.map((text) => JSON.parse(text));
    return records.length;
  });
  const rules = best(() => {
    let findings = 0;
    for (const record of records) findings += detector.evaluate(record).length;
    return findings;
  });
  process.stdout.write(
    `${JSON.stringify({ events: records.length, findings: rules.result, rulesPerSecond: records.length / rules.seconds, parsePerSecond: records.length / parse.seconds })}\n`,
  );
}

function parseWorker(dir: string): void {
  const files = readdirSync(dir).sort().map((name) => path.join(dir, name));
  const start = cpuSeconds();
  let bytes = 0;
  let records = 0;
  for (const file of files) {
    const raw = readFileSync(file);
    const data = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    bytes += data.length;
    records += JSON.parse(data.toString('utf8')).Records.length;
  }
  process.stdout.write(`${JSON.stringify({ seconds: cpuSeconds() - start, bytes, records })}\n`);
}

async function replayWorker(dir: string): Promise<void> {
  const { replay, replayFiles } = require('../tools/replay') as typeof import('../tools/replay');
  const { EXAMPLE_CONFIG_PATH, loadConfigFile } = require('../config/load') as typeof import('../config/load');
  const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
  const start = cpuSeconds();
  let fired = 0;
  const summary = await replay(replayFiles([dir]), config, () => fired++);
  process.stdout.write(`${JSON.stringify({ seconds: cpuSeconds() - start, bytes: summary.bytes, records: summary.records, fired })}\n`);
}

/**
 * The worst case of matching a caller controls: `*a*a*a*b` against a 1,024-character key of "a" (S3's longest key; for
 * a denied read, the caller's choice), through the whole detector and through the matchers alone, and for contrast
 * the backtracking regular expression the globs used to compile to, for one "*a" fewer (the full pattern takes minutes).
 */
function matchingWorker(): void {
  const { createDetector } = require('../functions/detector/detector') as typeof import('../functions/detector/detector');
  const { compileKeyPatterns } = require('../functions/detector/patterns') as typeof import('../functions/detector/patterns');
  const { PrincipalMatcher } = require('../functions/detector/principals') as typeof import('../functions/detector/principals');
  const key = 'a'.repeat(1024);
  const pattern = '*a*a*a*b';
  const base = syntheticRecords(1)[0];
  const record = { ...base, errorCode: 'AccessDenied', requestParameters: { bucketName: 'acme-customer-records', key }, resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::acme-customer-records/${key}` }] };
  const detector = createDetector({
    monitoredBuckets: [{ name: 'acme-customer-records', keyPatterns: [pattern, `keyword:${pattern}`] }],
    authorizedCidrs: [],
    authorizedVpcEndpoints: [],
    authorizedPrincipals: [pattern, `arn:aws:iam::*${pattern}`],
    enumerationPrincipals: [],
    rules: { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: false, bucketEnumeration: false, vpcEndpointAccess: false },
    response: 'off',
    responseRoleName: 'bench',
    authorizedServices: [],
    organizationAccountIds: ['444444444444'],
    protectedRoles: [],
    responseAccountIds: [],
  });
  const keys = compileKeyPatterns([pattern]);
  const principals = new PrincipalMatcher([pattern], ['444444444444']);
  const identity = { type: 'AssumedRole', arn: `arn:aws:sts::444444444444:assumed-role/${'a'.repeat(64)}/${'a'.repeat(64)}`, sessionContext: { sessionIssuer: { userName: 'a'.repeat(64) } } };
  const perCall = (run: () => unknown, calls: number) => {
    const start = cpuSeconds();
    for (let call = 0; call < calls; call++) run();
    return (cpuSeconds() - start) / calls;
  };
  const evaluate = perCall(() => detector.evaluate(record), 2000);
  const keyMatch = perCall(() => keys(key), 2000);
  const principalMatch = perCall(() => principals.matchesIdentity(identity), 2000);
  const regex = /^(?:.*a.*a.*b)$/is;
  const regexSeconds = perCall(() => regex.test(key), 1);
  process.stdout.write(`${JSON.stringify({ evaluate, keyMatch, principalMatch, regexSeconds })}\n`);
}

/** Loads the built bundle and judges one event: require to first result, as a Lambda cold start does. */
const COLD_START_SCRIPT = `
const path = require('node:path');
const dir = process.argv[1];
const event = JSON.parse(require('node:fs').readFileSync(path.join(dir, 'event.json'), 'utf8'));
const start = process.hrtime.bigint();
const { handler } = require(path.join(dir, 'index.js'));
handler(event).then((result) => {
  process.stdout.write(JSON.stringify({ seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, findings: result.findings }) + '\\n');
});
`;

// Orchestration

function worker(args: string[], env: Record<string, string> = {}): Record<string, number> {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs every detector measurement and returns the lines to print. */
export function detectorBenchmarks(scratch: string): string[] {
  const lines: string[] = [];
  const label = (text: string) => text.padEnd(58);

  const rules = worker([...TSX, SELF, '--worker', 'rules']);
  lines.push(`${label(`detector rules, ${rules.events} events, one core`)} ${Math.round(rules.rulesPerSecond).toLocaleString('en-US').padStart(12)} events/s`);
  lines.push(`${label('JSON.parse of the same records, same process')} ${Math.round(rules.parsePerSecond).toLocaleString('en-US').padStart(12)} events/s`);

  // A day of a busy bucket: 8 CloudTrail files of 12,500 records, half of them gzipped as CloudTrail writes them.
  const logs = path.join(scratch, 'cloudtrail');
  mkdirSync(logs, { recursive: true });
  const records = syntheticRecords(100_000);
  for (let file = 0; file < 8; file++) {
    const text = JSON.stringify({ Records: records.slice(file * 12_500, (file + 1) * 12_500) });
    const name = path.join(logs, `444444444444_CloudTrail_eu-west-1_20261121T${String(file).padStart(2, '0')}00Z_bench.json`);
    if (file % 2 === 0) writeFileSync(name, text);
    else writeFileSync(`${name}.gz`, gzipSync(text, { level: 6 }));
  }
  const parseRuns = [0, 1, 2].map(() => worker([...TSX, SELF, '--worker', 'parse', logs]));
  const parseSeconds = median(parseRuns.map((run) => run.seconds));
  const replayRuns = [0, 1, 2].map(() => worker([...TSX, SELF, '--worker', 'replay', logs]));
  const replaySeconds = replayRuns.map((run) => run.seconds);
  const replayMb = replayRuns[0].bytes / 1e6;
  const replay = median(replaySeconds);
  lines.push(`${label(`replay, ${records.length} records in 8 files (${replayMb.toFixed(0)} MB of JSON)`)} ${(replayMb / replay).toFixed(1).padStart(12)} MB/s  ${replay.toFixed(2)} s`);
  lines.push(`${label('read + gunzip + JSON.parse of the same files')} ${(replayMb / parseSeconds).toFixed(1).padStart(12)} MB/s  ${parseSeconds.toFixed(2)} s  (replay takes ${(replay / parseSeconds).toFixed(2)}x)`);

  const matching = worker([...TSX, SELF, '--worker', 'matching']);
  lines.push(`${label('worst-case key match: *a*a*a*b vs a 1,024-char key')} ${(matching.keyMatch * 1e6).toFixed(1).padStart(12)} µs`);
  lines.push(`${label('worst-case principal match: *a*a*a*b vs a 64-char role')} ${(matching.principalMatch * 1e6).toFixed(1).padStart(12)} µs`);
  lines.push(`${label('the denied read of that key, whole detector')} ${(matching.evaluate * 1e6).toFixed(1).padStart(12)} µs`);
  lines.push(`${label('backtracking regular expression, *a*a*b (one *a fewer)')} ${(matching.regexSeconds * 1e6).toFixed(0).padStart(12)} µs`);

  // Replay's memory stays flat: peak resident memory on a 1 GB log file (plus a digest and an Insights file, which it
  // must skip, and exit 0), against a 10 MB one. The tree is written here and removed right after.
  for (const [size, name] of [[10e6, '10 MB'], [1e9, '1 GB']] as const) {
    const tree = path.join(scratch, `awslogs-${name.replace(' ', '')}`);
    try {
      writeLogTree(tree, size);
      const figures = measureNode([...TSX, path.join(ROOT, 'tools', 'replay.ts'), tree], { cwd: ROOT, runs: 1 });
      lines.push(formatFigures(`replay of an AWSLogs/ tree with a ${name} log file (exit 0)`, figures));
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }

  const built = worker([...TSX, SELF, '--worker', 'package', scratch]);
  lines.push(`${label('detector package (zip: bundle + source map + settings)')} ${(built.zipBytes / 1024).toFixed(1).padStart(12)} KB  (bundle ${(built.bundleBytes / 1024).toFixed(1)} KB)`);

  const bundleDir = path.join(scratch, 'bundle');
  // Plain node, no TypeScript loader: the process is what the runtime runs.
  const cold = [0, 1, 2, 3, 4].map(() =>
    worker(['--enable-source-maps', '-e', COLD_START_SCRIPT, bundleDir], {
      NODE_PATH: path.join(ROOT, 'node_modules'),
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:bench',
      AWS_REGION: 'eu-west-1',
    }),
  );
  lines.push(`${label('cold start of the bundle, require to first result')} ${(median(cold.map((run) => run.seconds)) * 1000).toFixed(1).padStart(12)} ms  (median of ${cold.length})`);
  return lines;
}

function packageWorker(scratch: string): void {
  const { buildDetectorPackage } = require('../lib/detector/package') as typeof import('../lib/detector/package');
  const { detectorSettingsFrom } = require('../lib/detector/settings') as typeof import('../lib/detector/settings');
  const { EXAMPLE_CONFIG_PATH, loadConfigFile } = require('../config/load') as typeof import('../config/load');
  const built = buildDetectorPackage(detectorSettingsFrom(loadConfigFile(EXAMPLE_CONFIG_PATH)));
  const dir = path.join(scratch, 'bundle');
  mkdirSync(dir, { recursive: true });
  const files = unzipSync(built.zip);
  for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
  // An authorized read: the cold start measured is judging an event, not publishing (which needs the network).
  const event = {
    'detail-type': 'AWS API Call via CloudTrail',
    detail: syntheticRecords(2)[1],
  };
  writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event));
  process.stdout.write(`${JSON.stringify({ zipBytes: built.zip.length, bundleBytes: files['index.js'].length })}\n`);
}

if (require.main === module) {
  const [flag, mode, argument] = process.argv.slice(2);
  if (flag === '--worker') {
    if (mode === 'rules') rulesWorker();
    else if (mode === 'parse') parseWorker(argument);
    else if (mode === 'replay') void replayWorker(argument);
    else if (mode === 'package') packageWorker(argument);
    else if (mode === 'matching') matchingWorker();
    else throw new Error(`unknown worker ${mode}`);
  } else {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'detector-bench-'));
    try {
      process.stdout.write(`Detector benchmarks (node ${process.version})\n${detectorBenchmarks(scratch).join('\n')}\n`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
