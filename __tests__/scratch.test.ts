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
