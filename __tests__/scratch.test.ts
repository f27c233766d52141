import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

describe('the test run', () => {
  it('keeps every temporary directory under its own scratch directory, which the teardown removes', () => {
    const scratch = process.env.BASELINE_JEST_SCRATCH;
    expect(scratch).toMatch(/baseline-jest-/);
    expect(os.tmpdir()).toBe(scratch);
    expect(path.dirname(path.join(os.tmpdir(), 'x'))).toBe(scratch);
  });

  it('can run again in the same process: the teardown puts TMPDIR back (the mutation tests run jest once per mutant)', () => {
    // In a process of its own: jest gives each test file a copy of process.env, while os.tmpdir() reads the real one.
    const script = `
      const os = require('node:os');
      const { existsSync } = require('node:fs');
      const setup = require(${JSON.stringify(path.join(__dirname, '..', 'tools', 'jest', 'scratch-setup.js'))});
      const teardown = require(${JSON.stringify(path.join(__dirname, '..', 'tools', 'jest', 'scratch-teardown.js'))});
      (async () => {
        const before = os.tmpdir();
        const seen = [];
        for (let run = 0; run < 2; run++) {
          await setup();
          const scratch = os.tmpdir();
          await teardown();
          seen.push({ inside: scratch.startsWith(before + '/baseline-jest-'), removed: !existsSync(scratch), restored: os.tmpdir() === before });
        }
        process.stdout.write(JSON.stringify(seen));
      })().catch((error) => process.stdout.write(String(error)));
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env } });
    expect(result.stdout).toBe(JSON.stringify([0, 1].map(() => ({ inside: true, removed: true, restored: true }))));
  });
});
