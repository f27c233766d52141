import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../config/load';
import { PROJECT_ROOT } from '../helpers';
import { replay } from '../../tools/replay';
import { PAYROLL_BUCKET, RECORDS_BUCKET, seedScenario } from './seed-scenario';

/* Replay counts the mass-download windows in memory, as the Lambda counts them in its table. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'mass-download-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWith(massDownload: Record<string, unknown>) {
  const example = JSON.parse(JSON.stringify(require(path.join(PROJECT_ROOT, 'config', 'example.json'))));
  example.detector.monitoredBuckets.push({ name: PAYROLL_BUCKET, account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['*.csv'] });
  example.detector.massDownload = massDownload;
  const file = path.join(dir, `config-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(example));
  return loadConfigFile(file);
}

const log = path.join(dir, '444444444444_CloudTrail_eu-west-1_20261121T1000Z_seed.json');
writeFileSync(log, JSON.stringify({ Records: seedScenario() }));

async function fired(config: ReturnType<typeof loadConfigFile>) {
  const lines: { label: string; text: string; bucket?: string }[] = [];
  const summary = await replay([log], config, (item) => lines.push({ label: item.label, text: item.text, bucket: item.finding?.what.bucket }));
  return { lines, summary };
}

describe('replay of the mass-download rule', () => {
  it('replays the seed scenario to exactly one mass-download finding per bucket, beside the other rules', async () => {
    const { lines, summary } = await fired(
      configWith({ buckets: { [PAYROLL_BUCKET]: { objectCount: 200 } }, exemptions: [{ principals: ['arn:aws:iam::444444444444:role/acme-batch-*'], cidrs: ['10.0.0.0/8'] }] }),
    );
    const massDownloads = lines.filter((line) => line.label === 'mass-download');
    expect(massDownloads.map((line) => line.bucket).sort()).toEqual([RECORDS_BUCKET, PAYROLL_BUCKET].sort());
    expect(massDownloads.find((line) => line.bucket === PAYROLL_BUCKET)!.text).toMatch(/^S3 mass download by acme-reporting from 198\.51\.100\.66: acme-payroll-exports \(40 reads, 20% of the objects from 2026-11-21T10:02:50Z to 2026-11-21T10:03:29Z; md-[0-9a-f]{20}\)$/);
    expect(summary.counts.get('bucket-enumeration')).toBe(1);
    expect(summary.counts.get('sensitive-object-access')).toBeGreaterThan(0);
    expect(summary.failures).toEqual([]);
  });

  it('tunes by configuration: without the exemption the batch reader fires too, with a higher threshold the sync of the large bucket does not', async () => {
    const noExemption = await fired(configWith({ buckets: { [PAYROLL_BUCKET]: { objectCount: 200 } } }));
    expect(noExemption.summary.counts.get('mass-download')).toBe(3);
    const higher = await fired(configWith({ readThreshold: 151, buckets: { [PAYROLL_BUCKET]: { objectCount: 200 } } }));
    expect(higher.lines.filter((line) => line.label === 'mass-download').map((line) => line.bucket)).toEqual([PAYROLL_BUCKET]);
  });

  it('counts nothing with the rule off', async () => {
    const config = configWith({});
    const off = { ...config, detector: { ...config.detector, rules: { ...config.detector.rules, massDownload: false } } };
    expect((await fired(off)).summary.counts.get('mass-download')).toBeUndefined();
  });
});
