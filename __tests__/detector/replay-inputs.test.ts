import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { JsonItemStream, JsonStreamError } from '../../tools/json-stream';
import { EXIT, main } from '../../tools/replay';
import { PROJECT_ROOT } from '../helpers';
import { eventBridgeEvent, identities, objectRead } from './records';

/* Replay on what an AWSLogs/ tree really holds, and on what a caller can put in a record. */

function capture() {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    out: () => out,
    err: () => err,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'replay-inputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: unknown, gzip = name.endsWith('.gz')) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
};

/** A digest file of log file validation, shaped as CloudTrail writes one every hour per region. */
const digest = {
  awsAccountId: '111111111111',
  digestStartTime: '2026-11-21T08:00:00Z',
  digestEndTime: '2026-11-21T09:00:00Z',
  digestS3Bucket: 'acme-log-archive',
  digestS3Object: 'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/11/21/111111111111_CloudTrail-Digest_us-east-1_org_us-east-1_20261121T090000Z.json.gz',
  digestPublicKeyFingerprint: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  digestSignatureAlgorithm: 'SHA256withRSA',
  newestEventTime: '2026-11-21T08:59:58Z',
  oldestEventTime: '2026-11-21T08:00:01Z',
  previousDigestS3Bucket: 'acme-log-archive',
  previousDigestS3Object: 'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/11/21/previous.json.gz',
  previousDigestHashValue: '31e8b5433410dfb61a9dc45cc65b22ff',
  previousDigestHashAlgorithm: 'SHA-256',
  previousDigestSignature: '6e3d1b9c',
  logFiles: [{ s3Bucket: 'acme-log-archive', s3Object: 'AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/x.json.gz', hashValue: '9bb6196fc6b84d6f075a56548feca262', hashAlgorithm: 'SHA-256', newestEventTime: '2026-11-21T08:59:58Z', oldestEventTime: '2026-11-21T08:00:01Z' }],
};

/** A CloudTrail Insights event: no caller, no call, only the anomaly. */
const insight = {
  eventVersion: '1.08',
  eventTime: '2026-11-21T08:00:00Z',
  awsRegion: 'us-east-1',
  eventID: 'a9edc959-9488-4790-be0f-05d60e56b547',
  eventType: 'AwsCloudTrailInsight',
  recipientAccountId: '111111111111',
  sharedEventID: '12edc982-3348-4794-83d3-a3db26525049',
  insightDetails: { state: 'Start', eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation', insightType: 'ApiCallRateInsight', insightContext: { statistics: { baseline: { average: 85.9 }, insight: { average: 664 } } } },
  eventCategory: 'Insight',
};

const attack = objectRead(identities.instanceRole, { key: 'customers/0009/profile.json' });

describe('replay of a real AWSLogs/ tree', () => {
  it('skips digest and Insights files by their content, counts them, and exits 0 when nothing fired', async () => {
    // Prepare: names that do not say what the files are, so only the content can.
    write('AWSLogs/111111111111/a/1.json.gz', digest);
    write('AWSLogs/111111111111/a/2.json.gz', { Records: [insight, { ...insight, eventID: 'b' }] });
    write('AWSLogs/111111111111/a/3.json', { Records: [objectRead(identities.apiRole, {}, { sourceIPAddress: '203.0.113.40' })] });
    const io = capture();
    // Act
    const status = await main([dir], io);
    // Assess
    expect(io.out()).toContain('Skipped (not CloudTrail API calls): 1 digest files, 2 CloudTrail Insights events (1 files).');
    expect(io.out()).toContain('Nothing fired.');
    expect(io.out()).toMatch(/Replayed 1 records from 3 files/);
    expect(status).toBe(0);
  });

  it('judges each event of an EventBridge array on its own: another kind of event does not hide the next', async () => {
    const notification = { version: '0', id: 'n-1', 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'acme-customer-records' } } };
    write('events.json', [notification, eventBridgeEvent(attack)]);
    const io = capture();
    expect(await main([dir], io)).toBe(1);
    expect(io.out()).toContain('1 EventBridge events of other kinds');
    expect(io.out()).toContain(`acme-customer-records/customers/0009/profile.json  (${path.join(dir, 'events.json')} #2)`);
  });

  it('names the file and record of a field of the wrong JSON type and goes on to the findings after it', async () => {
    const broken: Record<string, unknown> = { ...objectRead(identities.iamUser), sourceIPAddress: ['198.51.100.7'] };
    const file = write('mixed.json.gz', { Records: [broken, { ...attack, userIdentity: 'root' }, attack] });
    const io = capture();
    expect(await main([dir], io)).toBe(3);
    expect(io.out()).toContain(`${file} #1: malformed event ${String(broken.eventID)}: "sourceIPAddress" is an array, expected a string`);
    expect(io.out()).toContain(`${file} #2: malformed event ${String(attack.eventID)}: "userIdentity" is a string, expected an object`);
    expect(io.out()).toContain(`customers/0009/profile.json  (${file} #3)`);
  });

  it('reports a file named on the command line that it does not read, and exits 3', async () => {
    const named = write('trail.log', { Records: [attack] }, false);
    const io = capture();
    expect(await main([named], io)).toBe(3);
    expect(io.out()).toContain(`${named}: not replayed: only .json and .json.gz files are read`);
  });
});

describe('replay on the terminal', () => {
  it('prints whole keys, not the 100-character SNS subject', async () => {
    const key = `customers/${'k'.repeat(300)}.json`;
    write('long.json', { Records: [objectRead(identities.instanceRole, { key })] });
    const io = capture();
    await main([dir], io);
    expect(io.out()).toContain(`acme-customer-records/${key}  (`);
  });

  it('prints record fields with newlines, escape sequences and control characters escaped', async () => {
    const forged = objectRead(identities.instanceRole, { key: 'customers/a\u001b[2K\rb.json' }, { eventTime: '2026-11-21T10:15:00Z\n2026-11-21T10:15:01Z  nothing to see', userAgent: 'x' });
    write('forged.json', { Records: [forged] });
    const text = capture();
    await main([dir], text);
    const lines = text.out().split('\n');
    expect(lines.filter((line) => line.startsWith('2026-11-21T10:15:01Z'))).toEqual([]);
    expect(text.out()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.out()).toContain('2026-11-21T10:15:00Z\\x0a2026-11-21T10:15:01Z  nothing to see');
    expect(text.out()).toContain('customers/a\\x1b[2K\\x0db.json');

    const json = capture();
    write('c1.json', { Records: [objectRead(identities.instanceRole, { key: 'customers/\u009b31m.json' })] });
    await main(['--json', dir], json);
    expect(json.out()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(json.out().trim().split('\n').map((line) => JSON.parse(line).what?.key)).toContain('customers/\u009b31m.json');
  });
});

describe('the replay command line', () => {
  it('documents its flags and exit statuses under --help', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Exit status:\n\s+0 .*nothing fired\n\s+1 .*something fired\n\s+2 .*usage or configuration error.*\n\s+3 .*could not be judged/);
  });

  it('has the exit statuses docs/detector.md lists', () => {
    const docs = require('node:fs').readFileSync(path.join(PROJECT_ROOT, 'docs', 'detector.md'), 'utf8') as string;
    const table = [...docs.matchAll(/^\| (\d) \| (.+) \|$/gm)].map(([, status, meaning]) => [Number(status), meaning.split(/[,;(]/)[0].trim()]);
    expect(table).toEqual([
      [EXIT.clean, 'every input judged'],
      [EXIT.fired, 'every input judged'],
      [EXIT.usage, 'usage or configuration error'],
      [EXIT.notJudged, 'some files or records could not be judged'],
    ]);
  });

  it.each([
    [['--hlc', 'x'], 'unknown flag --hlc'],
    [['--config'], '--config needs a value'],
    [['--config', '--json', 'x'], '--config needs a value'],
  ])('refuses %j, naming the flag', async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('takes the configuration from --config', async () => {
    const io = capture();
    expect(await main(['--config', path.join(dir, 'missing.json'), dir], io)).toBe(2);
    expect(io.err()).toContain('missing.json');
  });
});

describe('reading a document a piece at a time', () => {
  const records = Array.from({ length: 50 }, (_, index) => ({ eventID: `e-${index}`, text: 'é "quoted" \\ [not] {a} , : ü'.repeat(index % 3) }));
  const document = Buffer.from(JSON.stringify({ other: { Records: [1] }, Records: records, after: 'x' }), 'utf8');

  it('yields the same records whatever the chunk size, holding one record at a time', () => {
    for (const size of [1, 2, 7, 64, document.length]) {
      const seen: unknown[] = [];
      const fields: Record<string, unknown> = {};
      const stream = new JsonItemStream({ item: (text) => seen.push(JSON.parse(text)), field: (key, value) => (fields[key] = value) }, 200);
      for (let at = 0; at < document.length; at += size) stream.write(document.subarray(at, at + size));
      stream.end();
      expect(seen).toEqual(records);
      expect(fields).toEqual({ other: { Records: [1] }, after: 'x' });
    }
  });

  it('refuses a truncated document, a bare scalar, and a value larger than its limit', () => {
    const feed = (text: string, limit?: number) => () => {
      const stream = new JsonItemStream({ item: () => undefined, field: () => undefined }, limit);
      stream.write(Buffer.from(text));
      stream.end();
    };
    expect(feed('{"Records": [{"a": 1}')).toThrow(/unexpected end of JSON input/);
    expect(feed('42')).toThrow(JsonStreamError);
    expect(feed('')).toThrow(/empty file/);
    expect(feed(`[${JSON.stringify('x'.repeat(100))}]`, 50)).toThrow(/larger than/);
  });
});

describe('paths on the replay command line', () => {
  it('are read from where the user typed the command (INIT_CWD, as npm sets it), not the project root', async () => {
    const file = write('here/trail.json', { Records: [attack] });
    const io = { ...capture(), env: { INIT_CWD: path.join(dir, 'here') } };
    expect(await main(['trail.json'], io)).toBe(1);
    expect(io.out()).toContain('customers/0009/profile.json  (');
    expect(io.out()).toContain(`(${file} #1)`);
  });
});
