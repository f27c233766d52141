import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeChunk } from '../../lib/synth/stack-chunks';
import { exampleConfig } from '../helpers';

/* A chunk of stacks is built, written and let go: memory holds one chunk, not the organization. */

describe('a chunk of stacks', () => {
  it('leaves no token of its own registered once written, so that the next chunk does not keep it alive', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'baseline-chunk-'));
    try {
      const result = synthesizeChunk(exampleConfig(), ['log-archive'], { outdir, scratch: '.chunk-0' });
      expect(result.summary.stacks.map((stack) => stack.name)).toEqual(['log-archive']);
      expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['log-archive']);
      const tokens = (globalThis as { __cdktfTokenMap?: { stringTokenMap: Map<string, unknown> } }).__cdktfTokenMap;
      expect(tokens?.stringTokenMap.size).toBe(0);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
