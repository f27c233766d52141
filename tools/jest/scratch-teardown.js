/* Jest global teardown: removes the run's scratch directory (see scratch-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async function scratchTeardown() {
  const scratch = process.env.BASELINE_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
};
