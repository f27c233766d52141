import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../tools/replay';
import { PROJECT_ROOT } from '../helpers';
import { identities, objectRead } from './records';

const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'replay');

/** The replay command line's output, captured in memory. */
function capture(env: Record<string, string> = {}, terminal: { isTTY?: boolean; progressMinBytes?: number } = {}) {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: terminal.isTTY },
    env,
    progressMinBytes: terminal.progressMinBytes,
    out: () => out,
    err: () => err,
  };
}

function runReplay(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join('tools', 'replay.ts'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('npm run replay', () => {
  describe('on the sample set, as a process', () => {
    // Spawned before the first test that reads it, not when the file loads: a run that selects none of those tests (a
    // filtered run, or each mutant of a mutation run) does not pay for a process.
    let sample: ReturnType<typeof runReplay>;
    beforeAll(() => {
      sample = runReplay([FIXTURES]);
    });

    it('prints what the sample set (CloudTrail .json and .json.gz, an EventBridge event) would have fired', () => {
      expect(sample.status).toBe(1); // something fired
      const fired = sample.stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
      expect(fired.map((line) => line.split(/\s+/)[1])).toEqual([
        'CIS', 'CIS', 'CIS', 'instance-credentials-outside-aws', 'CIS', 'bucket-enumeration',
        'instance-credentials-outside-aws', 'bucket-enumeration',
        'sensitive-object-access', 'instance-credentials-outside-aws',
        'sensitive-object-access', 'instance-credentials-outside-aws',
        'instance-credentials-outside-aws',
        'sensitive-object-access', 'CIS',
        'vpc-endpoint-access', 'vpc-endpoint-access',
        'sensitive-object-access',
      ]);
      expect(sample.stdout).toContain('Sensitive S3 read by acme-web from 198.51.100.23: acme-customer-records/customers/0001/profile.json');
      expect(sample.stdout).toContain(`Sensitive S3 read by alice from 192.0.2.44: acme-customer-records/customers/0003/profile.json  (${path.join(FIXTURES, 'eventbridge', 'copy-object-event.json')} #1)`);
      expect(sample.stdout).toContain('CIS 5.3 root-account-usage');
      // Network activity records of a VPC endpoint: the denial and another organization's credentials, not the allowed call.
      expect(sample.stdout).toContain('VPC endpoint access (VpceAccessDenied) by acme-web from vpce-0f1e2d3c4b5a69788: PutObject');
      expect(sample.stdout).toContain('VPC endpoint access by account 999999999999 from vpce-0f1e2d3c4b5a69788: PutObject');
      expect(sample.stdout).toMatch(/vpc-endpoint-access\s+2\n/);
      expect(sample.stdout).toMatch(/sensitive-object-access\s+4\n/);
    });

    it('closes with a throughput line', () => {
      expect(sample.stdout).toMatch(/Replayed 19 records from 4 files \([\d.]+ MB of JSON\) in [\d.]+ s: \d+ records\/s, [\d.]+ MB\/s\n$/);
    });

    it('shows no progress bar when stderr is not a terminal', () => {
      expect(sample.stderr).not.toContain('[#');
    });
  });

  it('follows BASELINE_CONFIG: authorizing the network and principal silences the sensitive reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    try {
      const example = require(path.join(PROJECT_ROOT, 'config', 'example.json'));
      const tuned = {
        ...example,
        detector: { ...example.detector, authorizedCidrs: ['0.0.0.0/0'], authorizedPrincipals: ['*', '444444444444'], enumerationPrincipals: ['*'] },
      };
      writeFileSync(path.join(dir, 'tuned.json'), JSON.stringify(tuned));
      const io = capture({ BASELINE_CONFIG: path.join(dir, 'tuned.json') });
      expect(await main(['--json', FIXTURES], io)).toBe(1);
      const rules = io.out().trim().split('\n').map((line) => JSON.parse(line)).filter((item) => item.rule).map((item) => item.rule);
      // Anonymous callers are never authorized; the VPC endpoint findings do not depend on the allow-lists.
      expect(rules).toEqual(['sensitive-object-access', 'vpc-endpoint-access', 'vpc-endpoint-access']);
      expect(io.err()).toMatch(/Replayed 19 records/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists malformed records and unreadable files as not judged and exits 3', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    try {
      const good = objectRead(identities.instanceRole);
      const { eventName: _, ...truncated } = objectRead(identities.iamUser);
      writeFileSync(path.join(dir, 'a.json.gz'), gzipSync(JSON.stringify({ Records: [good, truncated] })));
      writeFileSync(path.join(dir, 'b.json'), '{"Records": [{"eventVersion": "1.10", "userIdentity": {"type": "IAMUser"');
      const io = capture();
      expect(await main([dir], io)).toBe(3);
      expect(io.out()).toContain('Not judged (2)');
      expect(io.out()).toContain(`a.json.gz #2: malformed event ${String(truncated.eventID)}: missing or empty "eventName"`);
      expect(io.out()).toMatch(/b\.json: .*JSON/);
      expect(io.out()).toContain('sensitive-object-access');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws a progress bar on stderr for large inputs, only on a terminal', async () => {
    const onTerminal = capture({}, { isTTY: true, progressMinBytes: 1 });
    expect(await main([FIXTURES], onTerminal)).toBe(1);
    expect(onTerminal.err()).toMatch(/\[#{30}\] 100%  19 records/);
    const belowThreshold = capture({}, { isTTY: true });
    await main([FIXTURES], belowThreshold);
    expect(belowThreshold.err()).toBe('');
  });

  it('explains its usage when given nothing to replay', async () => {
    const io = capture();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('usage: npm run replay --');
  });
});

describe('the CIS filters in a replay', () => {
  const { recordsOf, necessaryConditions, meetsConditions } = require('../../tools/replay') as typeof import('../../tools/replay');
  const { cisMetricFilters } = require('../../lib/monitoring/cis-filters') as typeof import('../../lib/monitoring/cis-filters');
  const { parseFilterPattern, matchesFilterPattern } = require('../../lib/monitoring/filter-pattern') as typeof import('../../lib/monitoring/filter-pattern');
  const { exampleConfig } = require('../helpers') as typeof import('../helpers');
  const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
  const { gunzipSync } = require('node:zlib') as typeof import('node:zlib');

  it('skips a record by its cheap conditions only when the full pattern would not match it', () => {
    const filters = cisMetricFilters(exampleConfig()).map((filter) => parseFilterPattern(filter.pattern));
    const fixtureRecords = [FIXTURES, path.join(FIXTURES, 'eventbridge')].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.json') || name.endsWith('.gz'))
        .flatMap((name) => {
          const raw = readFileSync(path.join(dir, name));
          return recordsOf(JSON.parse((name.endsWith('.gz') ? gunzipSync(raw) : raw).toString()));
        }),
    );
    // Records made to match: every event name a pattern pins, from each fixture record, in upper and lower case.
    const names = ['ConsoleLogin', 'DeleteRolePolicy', 'StopLogging', 'DisableKey', 'PutBucketPolicy', 'AuthorizeSecurityGroupIngress', 'CreateVpc', 'CreateRoute', 'AttachPolicy'];
    const records = fixtureRecords.flatMap((record) => [record, ...names.flatMap((eventName) => [{ ...(record as object), eventName }, { ...(record as object), eventName: eventName.toLowerCase() }])]);
    let matched = 0;
    for (const pattern of filters) {
      const conditions = necessaryConditions(pattern.expression);
      for (const record of records) {
        if (matchesFilterPattern(pattern, record)) {
          matched++;
          expect([pattern.source, meetsConditions(record, conditions)]).toEqual([pattern.source, true]);
        }
      }
    }
    expect(matched).toBeGreaterThan(20);
  });
});
