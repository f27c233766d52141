import { existsSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

describe('the test run', () => {
  it('keeps every temporary directory under its own scratch directory, which the teardown removes', () => {
    const scratch = process.env.BASELINE_JEST_SCRATCH;
    expect(scratch).toMatch(/baseline-jest-/);
    expect(os.tmpdir()).toBe(scratch);
    expect(path.dirname(path.join(os.tmpdir(), 'x'))).toBe(scratch);
  });
});

describe('the scratch directory of a process that runs jest more than once', () => {
  // Mutation testing runs jest once per mutant in one process: each run must set up after the last one's teardown.
  const setup = require('../tools/jest/scratch-setup.js') as () => Promise<void>;
  const teardown = require('../tools/jest/scratch-teardown.js') as () => Promise<void>;

  it('is made afresh for each run, and TMPDIR is put back after each', async () => {
    const before = { tmpdir: process.env.TMPDIR, scratch: process.env.BASELINE_JEST_SCRATCH };
    try {
      await setup();
      const first = process.env.TMPDIR!;
      await teardown();
      expect(process.env.TMPDIR).toBe(before.tmpdir);
      expect(existsSync(first)).toBe(false);
      await setup();
      const second = process.env.TMPDIR!;
      expect(second).not.toBe(first);
      expect(path.dirname(second)).toBe(realpathSync(before.tmpdir ?? os.tmpdir()));
      expect(existsSync(second)).toBe(true);
      await teardown();
      expect(existsSync(second)).toBe(false);
      expect(process.env.TMPDIR).toBe(before.tmpdir);
    } finally {
      process.env.TMPDIR = before.tmpdir;
      process.env.BASELINE_JEST_SCRATCH = before.scratch;
    }
  });
});
