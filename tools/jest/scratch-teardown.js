/* Jest global teardown: removes the run's scratch directory and puts TMPDIR back as it was (see scratch-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async function scratchTeardown() {
  const scratch = process.env.BASELINE_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  const before = process.env.BASELINE_JEST_TMPDIR_BEFORE;
  if (before === undefined) return;
  if (before === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
  delete process.env.BASELINE_JEST_SCRATCH;
  delete process.env.BASELINE_JEST_TMPDIR_BEFORE;
};
