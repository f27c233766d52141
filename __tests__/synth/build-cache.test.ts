import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildCache } from '../../lib/detector/build-cache';

/* The Lambda build cache gives back a build's own bytes while every input holds the same bytes, and builds otherwise. */

describe('the build cache', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'baseline-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reuses a bundle while its inputs are unchanged and builds again when one changes or an output is lost', () => {
    const cache = new BuildCache(path.join(root, 'cache'));
    writeFileSync(path.join(root, 'a.ts'), 'one');
    let builds = 0;
    const build = () => {
      builds++;
      return { outputs: { 'index.js': Buffer.from(`built ${builds}`) }, inputs: ['a.ts'] };
    };
    expect(Buffer.from(cache.bundle(root, 'settings', build)['index.js']).toString()).toBe('built 1');
    expect(Buffer.from(cache.bundle(root, 'settings', build)['index.js']).toString()).toBe('built 1');
    expect(builds).toBe(1);
    // Other settings are another bundle.
    cache.bundle(root, 'other settings', build);
    expect(builds).toBe(2);
    writeFileSync(path.join(root, 'a.ts'), 'two');
    expect(Buffer.from(cache.bundle(root, 'settings', build)['index.js']).toString()).toBe('built 3');
    for (const blob of readdirSync(path.join(root, 'cache', 'blobs'))) writeFileSync(path.join(root, 'cache', 'blobs', blob), 'tampered');
    expect(Buffer.from(cache.bundle(root, 'settings', build)['index.js']).toString()).toBe('built 4');
  });

  it('reuses what was made from the same parts, and makes it again from others', () => {
    const cache = new BuildCache(path.join(root, 'derived-cache'));
    let made = 0;
    const make = () => Buffer.from(`zip ${++made}`);
    const parts = { 'index.js': Buffer.from('code'), 'settings.json': Buffer.from('{}') };
    expect(Buffer.from(cache.derived(parts, 'zip', make)).toString()).toBe('zip 1');
    expect(Buffer.from(cache.derived({ ...parts }, 'zip', make)).toString()).toBe('zip 1');
    expect(Buffer.from(cache.derived({ ...parts, 'settings.json': Buffer.from('{"a":1}') }, 'zip', make)).toString()).toBe('zip 2');
    expect(Buffer.from(cache.derived(parts, 'another kind', make)).toString()).toBe('zip 3');
  });
});
