/* Jest global teardown: removes the run's scratch directory and puts TMPDIR back (see scratch-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async function scratchTeardown() {
  const scratch = process.env.BASELINE_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  const outer = globalThis.baselineJestOuterTmpdir;
  if (!outer) return;
  if (outer.value === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer.value;
  delete process.env.BASELINE_JEST_SCRATCH;
  delete globalThis.baselineJestOuterTmpdir;
};
