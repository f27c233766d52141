import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BaselineConfig } from '../../config/schema';
import { createDetector } from '../../functions/detector/detector';
import { parseIp } from '../../functions/detector/network';
import { parseCopySource } from '../../functions/detector/s3-object';
import { RULE_LABELS, type RuleId } from '../../functions/detector/finding';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { withDerivedColumns } from '../../lib/hunting/detector-rules/derived-columns';
import { DETECTOR_HUNTS, isDetectorHunt } from '../../lib/hunting/detector-rules/detector-hunts';
import { COPY_SOURCE_STAGES } from '../../lib/hunting/detector-rules/object-sql';
import { SOURCE_ADDRESS_STAGES } from '../../lib/hunting/detector-rules/address-sql';
import { huntRules, huntSql, parameterizedHuntSql } from '../../lib/hunting/hunt-queries';
import { MAX_NAMED_QUERY_BYTES } from '../../lib/hunting/log-hunting';
import { organizationOf } from '../scale/organization';
import { replay } from '../../tools/replay';
import { configWith, exampleConfig } from '../helpers';
import { objectRead, identities } from '../detector/records';
import { crossedRecords, huntingConfig, replayFixtureRecords } from './detector-corpus';
import { layOutArchive, openArchive } from './duckdb-archive';

/*
 * Parity: the detector's rules compiled to SQL, run by DuckDB over CloudTrail files laid out as the log archive holds
 * them, find exactly the records the replay tool finds in the same files, rule by rule. A change to a rule in the
 * detector that its SQL does not follow (or the reverse) changes what one of them finds in this corpus.
 */

const WINDOW = { from: '2026-11-20', to: '2026-11-22' };
const DETECTOR_RULE_IDS = Object.keys(RULE_LABELS) as RuleId[];
/** The rules compiled to SQL; a stateful rule (mass download) has no single-row condition to compare with replay. */
const COMPILED_RULE_IDS = DETECTOR_RULE_IDS.filter((id) => isDetectorHunt(DETECTOR_HUNTS[id]));

interface Archive {
  readonly root: string;
  readonly files: readonly string[];
  readonly connection: DuckDBConnection;
  readonly close: () => void;
}

async function archiveOf(config: BaselineConfig, records: readonly Record<string, unknown>[]): Promise<Archive> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hunt-detector-'));
  const files = layOutArchive(root, config.organization.id, records);
  const { connection, close } = await openArchive(root);
  return { root, files, connection, close };
}

/** What replay finds, as rule -> event ids; the replay must have judged every record. */
async function replayFindings(files: readonly string[], config: BaselineConfig): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>(DETECTOR_RULE_IDS.map((id) => [id, new Set<string>()]));
  const summary = await replay(files, config, (fired) => {
    if (fired.finding) found.get(fired.finding.rule)!.add(fired.finding.what.eventId);
  });
  expect(summary.failures).toEqual([]);
  return found;
}

async function huntFindings(connection: DuckDBConnection, config: BaselineConfig, id: string): Promise<Set<string>> {
  const rule = huntRules(config).find((candidate) => candidate.id === id)!;
  const rows = (await connection.runAndReadAll(huntSql('cloudtrail', rule, WINDOW))).getRowObjects();
  return new Set(rows.map((row) => String(row.eventid)));
}

describe("the detector's rules as Athena SQL", () => {
  const config = huntingConfig();
  const records = [...replayFixtureRecords(), ...crossedRecords()];
  let archive: Archive;
  let replayed: Map<string, Set<string>>;

  beforeAll(async () => {
    archive = await archiveOf(config, records);
    replayed = await replayFindings(archive.files, config);
  }, 120_000);
  afterAll(() => {
    archive?.close();
    if (archive) rmSync(archive.root, { recursive: true, force: true });
  });

  it.each(COMPILED_RULE_IDS)('%s: the hunt finds exactly what replay finds in the same files', async (id) => {
    const expected = replayed.get(id)!;
    const actual = await huntFindings(archive.connection, config, id);
    const missed = [...expected].filter((event) => !actual.has(event)).sort();
    const extra = [...actual].filter((event) => !expected.has(event)).sort();
    expect({ missed: missed.slice(0, 20), extra: extra.slice(0, 20) }).toEqual({ missed: [], extra: [] });
    // The corpus is only a proof if each rule both fires and stays quiet on it.
    expect(expected.size).toBeGreaterThan(20);
    expect(records.length - expected.size).toBeGreaterThan(20);
  });

  it.each([
    ['the replay fixtures', (event: string) => /^7f1c/.test(event)],
    ['IPv6 sources', (event: string) => /\.ipv6/.test(event)],
    ['VPC endpoints', (event: string) => /Endpoint/.test(event)],
    ['network activity', (event: string) => /^networkActivity/.test(event)],
    ['keys needing escaping', (event: string) => /^(escapedKeyRead|wildcardLookAlikeRead|encodedCopy)\./.test(event)],
    ['access points and Object Lambda', (event: string) => /^(aliasRead|accessPointCopy|objectLambda\w+)\./.test(event)],
  ])('the corpus makes findings from %s', (_label, belongs) => {
    const findings = [...replayed.values()].flatMap((events) => [...events]);
    expect(findings.filter(belongs).length).toBeGreaterThan(0);
  });

  it('covers every caller type the detector classifies', () => {
    const detector = createDetector(detectorSettingsFrom(config));
    const kinds = new Set(records.flatMap((record) => detector.evaluate(record).map((finding) => finding.who.kind)));
    expect([...kinds].sort()).toEqual(
      ['anonymous', 'aws-service', 'federated-user', 'iam-user', 'identity-center', 'instance-role-session', 'other-account', 'role-session', 'root', 'saml', 'unknown', 'web-identity'].sort(),
    );
  });
});

describe('the same parity under other configurations', () => {
  const emptyAllowLists = configWith((input) => {
    input.detector = {
      monitoredBuckets: [{ name: 'acme-customer-records', account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['keyword:ssn'] }],
      authorizedCidrs: [],
      authorizedVpcEndpoints: [],
      authorizedPrincipals: [],
      enumerationPrincipals: [],
    };
  });
  it.each([
    ['the shipped example', exampleConfig()],
    ['empty allow-lists', emptyAllowLists],
  ])('%s: every rule finds what replay finds', async (_label, config) => {
    const records = [...replayFixtureRecords(), ...crossedRecords().filter((_, index) => index % 3 === 0)];
    const archive = await archiveOf(config, records);
    try {
      const replayedHere = await replayFindings(archive.files, config);
      for (const id of COMPILED_RULE_IDS) {
        const actual = await huntFindings(archive.connection, config, id);
        expect([id, [...actual].sort()]).toEqual([id, [...replayedHere.get(id)!].sort()]);
        expect(actual.size).toBeGreaterThan(0);
      }
    } finally {
      archive.close();
      rmSync(archive.root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a malformed record in the archive', () => {
  /** Records of the right JSON syntax with fields of the wrong JSON type, as only a forger could write them. */
  const malformed = (): Record<string, unknown>[] => {
    const base = () => objectRead(identities.iamUser, { key: 'customers/x.json' }, { sourceIPAddress: '192.0.2.1' });
    return [
      { ...base(), requestParameters: 'not json' },
      { ...base(), requestParameters: '{"bucketName": "acme-customer-records", "key": ' },
      { ...base(), requestParameters: { bucketName: 7, key: ['customers/x.json'], 'x-amz-copy-source': { a: 1 } }, eventName: 'CopyObject' },
      { ...base(), resources: 'arn:aws:s3:::acme-customer-records/customers/x.json' },
      { ...base(), resources: [null, 5, { ARN: 9, type: 'AWS::S3::Object' }] },
      { ...base(), userIdentity: 'root' },
      { ...base(), userIdentity: { type: 7, arn: { a: 1 }, sessionContext: 'x' } },
      { ...base(), sourceIPAddress: 42, vpcEndpointId: { id: 'vpce-1' } },
      { ...base(), sourceIPAddress: '::ffff:999.1.1.1' },
      { ...base(), eventName: ['GetObject'], eventSource: null },
    ].map((record, index) => ({ ...record, eventID: `malformed-${index}` }));
  };

  it('breaks no hunt, and changes none of the findings of the well-formed records beside it', async () => {
    const config = huntingConfig();
    const good = [...replayFixtureRecords(), ...crossedRecords().filter((_, index) => index % 5 === 0)];
    const clean = await archiveOf(config, good);
    const mixed = await archiveOf(config, [...good, ...malformed()]);
    try {
      for (const rule of huntRules(config)) {
        const sql = huntSql('cloudtrail', rule, WINDOW);
        const before = (await clean.connection.runAndReadAll(sql)).getRowObjects().map((row) => String(row.eventid));
        const after = (await mixed.connection.runAndReadAll(sql)).getRowObjects().map((row) => String(row.eventid));
        expect([rule.id, after.filter((event) => !event.startsWith('malformed-')).sort()]).toEqual([rule.id, before.sort()]);
      }
    } finally {
      for (const archive of [clean, mixed]) {
        archive.close();
        rmSync(archive.root, { recursive: true, force: true });
      }
    }
  }, 120_000);
});

describe('the source address, parsed in SQL', () => {
  /** Spellings of addresses, well-formed and not, around every rule of the detector's parser. */
  function spellings(): string[] {
    const fixed = ['0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ', '1..3.4', '::', '::1', '1::', ':1', '1:', ':::',
      '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', '1:2:3:4:5:6:7::8', '12345::1', 'g::1', 'FFFF::ABCD', '::ffff:1.2.3.4',
      '::FFFF:1.2.3.4', '::ffff:0102:0304', '0:0:0:0:0:ffff:1.2.3.4', '::ffff:1.2.3', '::ffff:1.2.3.256', '1.2.3.4::', '1.2.3.4::5', '1::2.3.4.5', '1:2.3.4.5::', '1:2:3:4:5:6:1.2.3.4',
      '1:2:3:4:5:6:7:1.2.3.4', '::1%eth0', '%eth0', '1.2.3.4%eth0', 'fe80::1%25', '', 'AWS Internal', 's3.amazonaws.com', '2001:db8::/32'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor(seed / 65536) % n;
    };
    const group = () => (random(5) === 0 ? '0' : (random(256) * 256 + random(256)).toString(16).padStart(random(2) ? 4 : 1, '0'));
    const generated = Array.from({ length: 400 }, () => {
      const groups = Array.from({ length: 8 }, group);
      const form = random(4);
      if (form === 0) return groups.join(':');
      const at = random(8);
      const length = 1 + random(8 - at);
      const compressed = `${groups.slice(0, at).join(':')}::${groups.slice(at + length).join(':')}`;
      if (form === 1) return compressed;
      if (form === 2) return `${groups.slice(0, 6).join(':')}:${random(256)}.${random(256)}.${random(256)}.${random(300)}`;
      return random(2) ? compressed.toUpperCase() : `::ffff:${random(256)}.${random(256)}.${random(256)}.${random(256)}`;
    });
    return [...fixed, ...generated];
  }

  it('reads every spelling as the detector does: which family, and the same numbers', async () => {
    const config = huntingConfig();
    const texts = spellings();
    const records = texts.map((text, index) => objectRead(identities.iamUser, {}, { sourceIPAddress: text, eventID: `address-${index}` }));
    const archive = await archiveOf(config, records);
    try {
      const rows = await archive.connection.runAndReadAll(
        `SELECT eventid, hunt_source_v4, hunt_source_v6, ${[1, 2, 3, 4, 5, 6, 7, 8].map((g) => `hunt_v6_g${g}`).join(', ')} FROM ${withDerivedColumns('cloudtrail', SOURCE_ADDRESS_STAGES)}`,
      );
      const read = new Map(rows.getRows().map(([event, v4, v6, ...groups]) => [String(event), { v4: v4 === null ? null : Number(v4), v6: v6 === true, groups: groups.map((value) => (value === null ? null : Number(value))) }]));
      texts.forEach((text, index) => {
        const address = parseIp(text);
        const expected = !address
          ? { v4: null, v6: false }
          : address.v6
            ? { v4: null, v6: true, groups: address.words.flatMap((word) => [word >>> 16, word & 0xffff]) }
            : { v4: address.value, v6: false };
        const actual = read.get(`address-${index}`)!;
        expect([text, { v4: actual.v4, v6: actual.v6, ...(expected.v6 ? { groups: actual.groups } : {}) }]).toEqual([text, expected]);
      });
    } finally {
      archive.close();
      rmSync(archive.root, { recursive: true, force: true });
    }
  });
});

describe('what the hunt reads differently, and says so', () => {
  it('leaves a copy source with escaped UTF-8 bytes as written, where the detector decodes it', async () => {
    const config = huntingConfig();
    const header = 'acme-customer-records/customers/%C3%A9t%C3%A9.json';
    const record = objectRead(identities.iamUser, { eventName: 'CopyObject', bucket: 'acme-public', key: 'c' }, {
      requestParameters: { bucketName: 'acme-public', key: 'c', 'x-amz-copy-source': header },
    });
    const archive = await archiveOf(config, [record]);
    try {
      expect(parseCopySource(header)).toEqual({ bucket: 'acme-customer-records', key: 'customers/été.json' });
      const rows = await archive.connection.runAndReadAll(`SELECT hunt_copy_source FROM ${withDerivedColumns('cloudtrail', COPY_SOURCE_STAGES)}`);
      expect(rows.getRows()).toEqual([[header]]);
    } finally {
      archive.close();
      rmSync(archive.root, { recursive: true, force: true });
    }
  });

  it('decodes escaped ASCII as the detector does, "%25" once', async () => {
    const config = huntingConfig();
    const headers = ['a/b%20c%2Fd%27e%25%32%35f%7e', 'a/%zz', 'a/b%2', 'a/%', 'a/plain'];
    const records = headers.map((header) =>
      objectRead(identities.iamUser, { eventName: 'CopyObject' }, { requestParameters: { 'x-amz-copy-source': header } }),
    );
    const archive = await archiveOf(config, records);
    try {
      const rows = await archive.connection.runAndReadAll(`SELECT hunt_copy_source FROM ${withDerivedColumns('cloudtrail', COPY_SOURCE_STAGES)}`);
      const expected = headers.map((header) => {
        const parsed = parseCopySource(header)!;
        return `${parsed.bucket}/${parsed.key}`;
      });
      expect(rows.getRows().map(([value]) => value).sort()).toEqual(expected.sort());
    } finally {
      archive.close();
      rmSync(archive.root, { recursive: true, force: true });
    }
  });
});

describe('one rule list for the detector and the hunts', () => {
  it('has an entry for every rule of the detector, compiled or declared stateful', () => {
    expect(Object.keys(DETECTOR_HUNTS).sort()).toEqual([...DETECTOR_RULE_IDS].sort());
  });

  it("writes the organization's accounts once per query, so that 5,000 accounts fit Athena's query limit", () => {
    const large = organizationOf(5000, (input) => {
      input.detector = { ...input.detector, authorizedPrincipals: ['acme-a', 'acme-b', 'acme-c'], enumerationPrincipals: ['inventory-*', '7000*'] };
    });
    const member = String(700000000000 + 4000);
    for (const rule of huntRules(large).filter((candidate) => (DETECTOR_RULE_IDS as string[]).includes(candidate.id))) {
      const sql = parameterizedHuntSql('"db"."cloudtrail"', rule);
      // Once, in the table; vpc-endpoint-access asks about resources inside a lambda, where no engine takes a subquery,
      // and lists them there a second time.
      expect([rule.id, sql.split(`'${member}'`).length - 1]).toEqual([rule.id, rule.id === 'vpc-endpoint-access' ? 2 : 1]);
      expect(Buffer.byteLength(sql)).toBeLessThan(MAX_NAMED_QUERY_BYTES);
    }
  });

  it('lists a rule as a hunt exactly when the configuration turns it on', () => {
    const off = configWith((input) => {
      input.detector = { ...input.detector, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } };
    });
    const ids = (config: BaselineConfig) => huntRules(config).map((rule) => rule.id).filter((id) => (DETECTOR_RULE_IDS as string[]).includes(id));
    expect(ids(off)).toEqual(['instance-credentials-outside-aws']);
    // The hunts read the archive, not the function: they stay when the function is off.
    const functionOff = configWith((input) => {
      input.detector = { ...input.detector, enabled: false };
    });
    expect(ids(functionOff)).toEqual(['sensitive-object-access', 'instance-credentials-outside-aws', 'vpc-endpoint-access', 'bucket-enumeration']);
    expect(ids(huntingConfig()).sort()).toEqual(Object.entries(DETECTOR_HUNTS).filter(([, hunt]) => isDetectorHunt(hunt)).map(([id]) => id).sort());
  });
});
