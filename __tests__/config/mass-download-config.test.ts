import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../config/load';
import { massDownloadSettingsFrom } from '../../lib/detector/settings';
import { PROJECT_ROOT } from '../helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mass-download-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(massDownload: unknown) {
  const example = JSON.parse(JSON.stringify(require(path.join(PROJECT_ROOT, 'config', 'example.json'))));
  example.detector.massDownload = massDownload;
  const file = path.join(dir, `config-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(example));
  return loadConfigFile(file);
}

describe('detector.massDownload configuration', () => {
  it('defaults to a ten-minute window, 100 reads, or 20% (at least 10 reads) of a bucket of known size', () => {
    expect(massDownloadSettingsFrom(load(undefined))).toEqual({ windowSeconds: 600, readThreshold: 100, sharePercent: 20, minimumReadsForShare: 10, buckets: [], exemptions: [] });
  });

  it('refuses thresholds for a bucket that is not monitored, naming the path and the monitored buckets', () => {
    expect(() => load({ buckets: { 'acme-other': { objectCount: 10 } } })).toThrow(/detector\.massDownload\.buckets\.acme-other.*expected the name of a monitored bucket \(acme-customer-records\)/s);
  });

  it('refuses an exemption that names nothing, and a share above 100%', () => {
    expect(() => load({ exemptions: [{}] })).toThrow(/detector\.massDownload\.exemptions\[0\]: got \{\}; expected at least one of principals, cidrs, vpcEndpoints/s);
    expect(() => load({ sharePercent: 150 })).toThrow(/detector\.massDownload\.sharePercent/);
  });
});
