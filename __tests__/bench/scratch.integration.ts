import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeLogTree } from '../../bench/log-tree';
import { measureNode } from '../../bench/measure';
import { PROJECT_ROOT } from '../helpers';

describe('bench scratch files', () => {
  it('leaves nothing in the temporary directory after measuring a process', () => {
    // Prepare: a temporary directory of its own (TMPDIR of a child process), so that other files do not count.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-scratch-'));
    try {
      // Act
      // The measured process writes into its temporary directory, as the synth does with its package cache.
      const measured = "require('fs').writeFileSync(require('path').join(require('os').tmpdir(), 'left-behind'), 'x')";
      const script = `const f = require('./bench/measure').measureNode(['-e', ${JSON.stringify(measured)}], { cwd: '.', runs: 2 }); process.stdout.write(String(f.peakMb));`;
      const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
      // Assess
      expect(result.status).toBe(0);
      expect(Number(result.stdout)).toBeGreaterThan(0);
      // tsx-<uid> is the TypeScript loader's compile cache, shared by every run and reused, not the bench's.
      expect(readdirSync(tmp).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('generates a log tree that replay judges whole, skipping its digest and Insights files, exiting 0', () => {
    const tree = mkdtempSync(path.join(os.tmpdir(), 'bench-tree-'));
    try {
      writeLogTree(tree, 200_000);
      const figures = measureNode(['--import', 'tsx', path.join('tools', 'replay.ts'), tree], { cwd: PROJECT_ROOT, runs: 1 });
      expect(figures.seconds).toBeGreaterThan(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
