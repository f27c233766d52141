import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { MassDownloadReplay, MemoryWindows } from '../../functions/detector/mass-download/memory-windows';
import { MassDownloadContext } from '../../functions/detector/mass-download/reads';
import { MassDownloadRule } from '../../functions/detector/mass-download/rule';
import type { MassDownloadSettings } from '../../functions/detector/mass-download/settings';
import { compileRuleContext } from '../../functions/detector/rules/context';
import type { DetectorSettings } from '../../functions/detector/settings';
import { objectRead } from './records';
import { ATTACKER_ADDRESS, attacker, batchReader, PAYROLL_BUCKET, RECORDS_BUCKET, seedSettings } from './seed-scenario';

/*
 * What a mass-download finding says: the reason a person reads first, which thresholds the window reached, when the
 * window's reads happened, and an id that names one principal, bucket and window.
 */

const START = Date.parse('2026-11-21T10:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z');

function settingsWith(changes: Partial<MassDownloadSettings>): DetectorSettings {
  return { ...seedSettings, massDownload: { ...seedSettings.massDownload!, ...changes } };
}

const contextOf = (settings: DetectorSettings) => new MassDownloadContext(settings.massDownload!, compileRuleContext(settings));

function read(seconds: number, bucket = RECORDS_BUCKET, identity: object = attacker, overrides: Record<string, unknown> = {}): CloudTrailRecord {
  return objectRead(identity, { bucket, key: `exports/${seconds}-${Math.random()}.json` }, { sourceIPAddress: ATTACKER_ADDRESS, eventTime: at(seconds), ...overrides }) as unknown as CloudTrailRecord;
}

/** The findings of one read a second from `from` on, `count` reads of the bucket. */
function sync(rule: MassDownloadReplay, bucket: string, count: number, from = 0) {
  return Array.from({ length: count }, (_, index) => rule.observe(read(from + index, bucket), NOW).findings).flat();
}

describe('mass download finding: the reason', () => {
  it('names the count threshold alone for a bucket of unknown size, with no share', () => {
    const [finding] = sync(new MassDownloadReplay(contextOf(settingsWith({ readThreshold: 5 }))), RECORDS_BUCKET, 5);
    expect(finding.reason).toBe(`5 object reads of ${RECORDS_BUCKET} (0 denied) within 10 minutes: at least 5 reads`);
  });

  it('names both thresholds when the window reaches both at once', () => {
    // 40 reads of a 200-object bucket are 20% of it, and the bucket's own count threshold is 40.
    const settings = settingsWith({ buckets: [{ name: PAYROLL_BUCKET, objectCount: 200, readThreshold: 40 }] });
    const findings = sync(new MassDownloadReplay(contextOf(settings)), PAYROLL_BUCKET, 40);
    expect(findings).toHaveLength(1);
    expect(findings[0].reason).toBe(`40 object reads of ${PAYROLL_BUCKET} (0 denied, 20% of its 200 objects) within 10 minutes: at least 40 reads and at least 20% of the objects`);
  });
});

describe('mass download finding: the id', () => {
  it('gives the findings of two buckets, and of successive windows of one sync, ids of their own', () => {
    const rule = new MassDownloadReplay(contextOf(settingsWith({ readThreshold: 5 })));
    const records = sync(rule, RECORDS_BUCKET, 5);
    const payroll = sync(rule, PAYROLL_BUCKET, 5);
    // The same sync of the records bucket, after its first window has ended: the next window's finding.
    const later = sync(rule, RECORDS_BUCKET, 5, 900);
    const ids = [...records, ...payroll, ...later].map((finding) => finding.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('gives the same window of the same principal and bucket the same id, in another copy of the function', () => {
    const idOf = () => sync(new MassDownloadReplay(contextOf(settingsWith({ readThreshold: 5 }))), RECORDS_BUCKET, 5)[0].id;
    expect(idOf()).toMatch(/^md-[0-9a-f]{20}$/);
    expect(idOf()).toBe(idOf());
  });
});

describe('mass download finding: when the window\'s reads happened', () => {
  it('never ends the window\'s evidence before the read that completed it, even when that read is delivered twice', async () => {
    // Stolen batch credentials read once from outside; the nightly job's exempt reads then fill the window from inside,
    // with earlier event times. The outside read's event is delivered again (EventBridge delivers at least once) and
    // completes the window: the finding's last event is that read, not the job's last exempt one.
    const settings = settingsWith({ readThreshold: 3 });
    const rule = new MassDownloadRule(contextOf(settings), new MemoryWindows().asStore());
    const stolen = read(50, RECORDS_BUCKET, batchReader);
    expect(await rule.observe(stolen, NOW)).toEqual([]);
    expect(await rule.observe(read(10, RECORDS_BUCKET, batchReader, { sourceIPAddress: '10.20.30.40' }), NOW)).toEqual([]);
    expect(await rule.observe(read(20, RECORDS_BUCKET, batchReader, { sourceIPAddress: '10.20.30.40' }), NOW)).toEqual([]);
    const [finding] = await rule.observe(stolen, NOW);
    expect(finding.volume).toMatchObject({ reads: 3, lastEventTime: at(50) });
    expect(finding.volume!.firstEventTime <= finding.volume!.lastEventTime).toBe(true);
  });
});
