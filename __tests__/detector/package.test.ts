import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { buildDetectorPackage } from '../../lib/detector/package';
import { PROJECT_ROOT } from '../helpers';
import { eventBridgeEvent, identities, objectRead, settings } from './records';
import { zipEntries } from './zip-entries';

const built = buildDetectorPackage(settings);
const files = unzipSync(built.zip);

describe('detector package', () => {
  it('holds the bundle, its source map and the settings, in sorted order with a fixed time and mode', () => {
    expect(zipEntries(built.zip)).toEqual(
      ['index.js', 'index.js.map', 'settings.json'].map((name) => ({ name, dosTime: 0, dosDate: (0 << 9) | (1 << 5) | 1, unixMode: 0o100644 })),
    );
    expect(JSON.parse(Buffer.from(files['settings.json']).toString())).toEqual(settings);
    expect(built).toMatchObject({ handler: 'index.handler', runtime: 'nodejs24.x' });
  });

  it('hashes the zip as Terraform does (base64 SHA-256)', () => {
    expect(built.sourceCodeHash).toBe(createHash('sha256').update(built.zip).digest('base64'));
  });

  it('changes its hash when the settings change, and only then', () => {
    expect(buildDetectorPackage(settings).zip.equals(built.zip)).toBe(true);
    expect(buildDetectorPackage({ ...settings, response: 'dry-run' }).sourceCodeHash).not.toBe(built.sourceCodeHash);
  });

  it('rejects invalid settings before building', () => {
    expect(() => buildDetectorPackage({ ...settings, authorizedCidrs: ['10.0.0.0/40'] })).toThrow('settings.authorizedCidrs[0]');
  });

  it('is minified, maps to relative sources, keeps the runtime SDK external and stays under 100 KB', () => {
    const code = Buffer.from(files['index.js']).toString();
    const map = JSON.parse(Buffer.from(files['index.js.map']).toString());
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(code).toContain('require("@aws-sdk/client-sns")');
    expect(code.split('\n').length).toBeLessThan(10);
    expect(map.sources).toContain('functions/detector/index.ts');
    expect(map.sources.every((source: string) => !path.isAbsolute(source) && !source.startsWith('..'))).toBe(true);
    const zipText = built.zip.toString('latin1');
    expect(zipText).not.toContain(PROJECT_ROOT);
    expect(built.zip.length).toBeLessThan(100 * 1024);
  });

  it('is byte-identical when built from another checkout path, in another time zone', () => {
    // Prepare: a second checkout of the sources the package is built from.
    const other = mkdtempSync(path.join(os.tmpdir(), 'detector-checkout-'));
    try {
      for (const dir of ['functions', path.join('lib', 'detector')]) cpSync(path.join(PROJECT_ROOT, dir), path.join(other, dir), { recursive: true });
      symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(other, 'node_modules'));
      writeFileSync(path.join(other, 'settings.json'), JSON.stringify(settings));
      const script = `const { buildDetectorPackage } = require('./lib/detector/package'); process.stdout.write(buildDetectorPackage(require('./settings.json')).sourceCodeHash);`;
      // Act
      const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: other, encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Chatham' } });
      // Assess
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(built.sourceCodeHash);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('runs as built: the handler loads its settings and judges an event', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'detector-bundle-'));
    try {
      for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
      const script = `
        const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});
        handler(${JSON.stringify(eventBridgeEvent(objectRead(identities.apiRole, {}, { sourceIPAddress: '203.0.113.1' })))})
          .then((result) => handler({ 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'GetObject' } }).then(
            () => console.log('accepted a malformed event'),
            (error) => console.log(JSON.stringify({ result, error: error.name }))));`;
      const result = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'), FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:findings', AWS_REGION: 'eu-west-1' },
      });
      expect(result.stderr).not.toMatch(/Error/);
      const lines = result.stdout.trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1])).toEqual({ result: { eventId: expect.any(String), findings: 0 }, error: 'MalformedEventError' });
      expect(JSON.parse(lines[0])).toMatchObject({ level: 'ERROR', MalformedEvents: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
