import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { WORKLOAD_ACCOUNT } from './records';
import { PAYROLL_BUCKET, RECORDS_BUCKET, seedSettings } from './seed-scenario';

/*
 * settings.massDownload as the detector reads it from settings.json at cold start. A wrong threshold or exemption
 * must stop the detector with a problem naming the path, never be read as something else: an exemption decides who
 * may copy a bucket out without a finding.
 */

const BATCH_ROLE = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-batch-*`;

const OBJECT_EXPECTED = 'an object { windowSeconds, readThreshold, sharePercent, minimumReadsForShare, buckets, exemptions }';
const PRINCIPALS_EXPECTED = 'principals (role names, role or user ARNs, account ids)';
const VPC_ENDPOINTS_EXPECTED = 'VPC endpoint ids such as "vpce-0abc1234"';

function rawSettings(massDownload: unknown): Record<string, unknown> {
  return { ...JSON.parse(JSON.stringify(seedSettings)), massDownload };
}

/** The problems the detector reports for these mass-download settings; none when it accepts them. */
function problemsWith(massDownload: unknown): readonly string[] {
  try {
    parseDetectorSettings(rawSettings(massDownload));
    return [];
  } catch (caught) {
    // Anything but a settings error (a crash on an odd value) is a failure of its own, not a refusal.
    if (caught instanceof DetectorSettingsError) return caught.problems;
    throw caught;
  }
}

function withRule(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...JSON.parse(JSON.stringify(seedSettings.massDownload)), ...changes };
}

describe('mass-download settings: the section itself', () => {
  it.each([
    ['true (the switch of the configuration, not the settings)', true, 'true'],
    ['null', null, 'null'],
    ['a list', [], '[]'],
    ['a word', 'on', '"on"'],
  ])('refuses %s with a single problem naming settings.massDownload', (_, massDownload, shown) => {
    expect(problemsWith(massDownload)).toEqual([`settings.massDownload: ${shown}: expected ${OBJECT_EXPECTED}`]);
  });

  it('names every missing threshold and list of an empty section', () => {
    expect(problemsWith({})).toEqual([
      'settings.massDownload.windowSeconds: missing: expected a whole number from 10 to 86400',
      'settings.massDownload.readThreshold: missing: expected a whole number from 1 to 10000000',
      'settings.massDownload.sharePercent: missing: expected a whole number from 1 to 100',
      'settings.massDownload.minimumReadsForShare: missing: expected a whole number from 1 to 10000000',
      'settings.massDownload.buckets: missing: expected an array of { name, readThreshold?, objectCount? }',
      'settings.massDownload.exemptions: missing: expected an array of { principals?, cidrs?, vpcEndpoints? }',
    ]);
  });

  it('refuses buckets and exemptions given as a single object instead of a list', () => {
    expect(problemsWith(withRule({ buckets: { name: PAYROLL_BUCKET }, exemptions: { principals: ['acme-batch'] } }))).toEqual([
      'settings.massDownload.buckets: {"name":"acme-payroll-exports"}: expected an array of { name, readThreshold?, objectCount? }',
      'settings.massDownload.exemptions: {"principals":["acme-batch"]}: expected an array of { principals?, cidrs?, vpcEndpoints? }',
    ]);
  });
});

describe('mass-download settings: window and thresholds', () => {
  it('accepts every threshold at its lowest allowed value', () => {
    const lowest = withRule({
      windowSeconds: 10,
      readThreshold: 1,
      sharePercent: 1,
      minimumReadsForShare: 1,
      buckets: [{ name: PAYROLL_BUCKET, readThreshold: 1, objectCount: 1 }],
    });
    expect(parseDetectorSettings(rawSettings(lowest)).massDownload).toEqual(lowest);
  });

  it('accepts every threshold at its highest allowed value', () => {
    const highest = withRule({
      windowSeconds: 86_400,
      readThreshold: 10_000_000,
      sharePercent: 100,
      minimumReadsForShare: 10_000_000,
      buckets: [{ name: PAYROLL_BUCKET, readThreshold: 10_000_000, objectCount: Number.MAX_SAFE_INTEGER }],
    });
    expect(parseDetectorSettings(rawSettings(highest)).massDownload).toEqual(highest);
  });

  it('refuses a window of no time or of more than a day, naming the window', () => {
    expect(problemsWith(withRule({ windowSeconds: 0 }))).toEqual(['settings.massDownload.windowSeconds: 0: expected a whole number from 10 to 86400']);
    expect(problemsWith(withRule({ windowSeconds: 86_410 }))).toEqual(['settings.massDownload.windowSeconds: 86410: expected a whole number from 10 to 86400']);
  });
});

describe('mass-download settings: monitored buckets', () => {
  it('refuses a bucket entry without a usable name, naming the entry', () => {
    expect(problemsWith(withRule({ buckets: [PAYROLL_BUCKET, { name: '' }, { name: 5 }, {}, null, { objectCount: 200 }] }))).toEqual([
      'settings.massDownload.buckets[0]: "acme-payroll-exports": expected an object { name, readThreshold?, objectCount? }',
      'settings.massDownload.buckets[1]: {"name":""}: expected an object { name, readThreshold?, objectCount? }',
      'settings.massDownload.buckets[2]: {"name":5}: expected an object { name, readThreshold?, objectCount? }',
      'settings.massDownload.buckets[3]: {}: expected an object { name, readThreshold?, objectCount? }',
      'settings.massDownload.buckets[4]: null: expected an object { name, readThreshold?, objectCount? }',
      'settings.massDownload.buckets[5]: {"objectCount":200}: expected an object { name, readThreshold?, objectCount? }',
    ]);
  });

  it('lets a bucket give only its own read threshold, or only its object count', () => {
    const buckets = [{ name: PAYROLL_BUCKET, readThreshold: 500 }, { name: RECORDS_BUCKET, objectCount: 80_000 }];
    expect(parseDetectorSettings(rawSettings(withRule({ buckets }))).massDownload?.buckets).toEqual(buckets);
  });

  it("checks a bucket's own read threshold like the default one", () => {
    expect(problemsWith(withRule({ buckets: [{ name: PAYROLL_BUCKET, readThreshold: 0 }] }))).toEqual([
      'settings.massDownload.buckets[0].readThreshold: 0: expected a whole number from 1 to 10000000',
    ]);
  });

  it('refuses a misspelt threshold of a bucket rather than silently keeping the default', () => {
    expect(problemsWith(withRule({ buckets: [{ name: PAYROLL_BUCKET, readTreshold: 500 }] }))).toEqual([
      'settings.massDownload.buckets[0].readTreshold: 500: expected one of name, readThreshold, objectCount',
    ]);
  });
});

describe('mass-download settings: exemptions', () => {
  it('accepts an exemption by principals alone, by networks alone, or by VPC endpoints alone', () => {
    const exemptions = [{ principals: [BATCH_ROLE] }, { cidrs: ['10.0.0.0/8', '2001:db8:1234::/48'] }, { vpcEndpoints: ['vpce-0abc1234', 'vpce-0a1b2c3d4e5f60718'] }];
    expect(parseDetectorSettings(rawSettings(withRule({ exemptions }))).massDownload?.exemptions).toEqual(exemptions);
  });

  it('refuses an exemption entry that is not an object, such as a role listed directly', () => {
    expect(problemsWith(withRule({ exemptions: ['acme-batch', null] }))).toEqual([
      'settings.massDownload.exemptions[0]: "acme-batch": expected an object { principals?, cidrs?, vpcEndpoints? }',
      'settings.massDownload.exemptions[1]: null: expected an object { principals?, cidrs?, vpcEndpoints? }',
    ]);
  });

  it('refuses an empty list, or a single value where a list is expected, naming the part of the exemption', () => {
    const exemptions = [{ principals: [], cidrs: ['10.0.0.0/8'] }, { principals: 'acme-batch' }, { vpcEndpoints: 'vpce-0abc1234' }];
    expect(problemsWith(withRule({ exemptions }))).toEqual([
      `settings.massDownload.exemptions[0].principals: []: expected a non-empty array of ${PRINCIPALS_EXPECTED}`,
      `settings.massDownload.exemptions[1].principals: "acme-batch": expected a non-empty array of ${PRINCIPALS_EXPECTED}`,
      `settings.massDownload.exemptions[2].vpcEndpoints: "vpce-0abc1234": expected a non-empty array of ${VPC_ENDPOINTS_EXPECTED}`,
    ]);
  });

  it('refuses an empty principal and a principal that is not a string', () => {
    expect(problemsWith(withRule({ exemptions: [{ principals: ['', ['acme-batch']] }] }))).toEqual([
      `settings.massDownload.exemptions[0].principals[0]: "": expected ${PRINCIPALS_EXPECTED}`,
      `settings.massDownload.exemptions[0].principals[1]: ["acme-batch"]: expected ${PRINCIPALS_EXPECTED}`,
    ]);
  });

  it('refuses a VPC endpoint given with more than its id, such as its ARN or two ids in one string', () => {
    const arn = `arn:aws:ec2:eu-west-1:${WORKLOAD_ACCOUNT}:vpc-endpoint/vpce-0abc1234`;
    expect(problemsWith(withRule({ exemptions: [{ vpcEndpoints: [arn, 'vpce-0abc1234,vpce-0def5678'] }] }))).toEqual([
      // The value is shown shortened, as every long value in a problem is.
      `settings.massDownload.exemptions[0].vpcEndpoints[0]: "${arn.slice(0, 56)}...: expected ${VPC_ENDPOINTS_EXPECTED}`,
      `settings.massDownload.exemptions[0].vpcEndpoints[1]: "vpce-0abc1234,vpce-0def5678": expected ${VPC_ENDPOINTS_EXPECTED}`,
    ]);
  });
});
