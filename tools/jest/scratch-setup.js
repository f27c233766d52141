/*
 * Jest global setup: every temporary file of a test run (the tests' own scratch directories, cdktf's cdktf.outdir.*,
 * those of the processes tests start) goes under one directory, which the teardown removes. Workers and child
 * processes inherit TMPDIR, and os.tmpdir() reads it on each call.
 *
 * One process may run jest many times (StrykerJS runs it once per mutant in the same process): the teardown puts
 * TMPDIR back as it was before the run, so that the next run's scratch directory is not made inside a removed one.
 */
const { mkdtempSync, realpathSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function scratchSetup() {
  // Jest runs the global setup and teardown in the same context: the teardown reads this back.
  globalThis.baselineJestOuterTmpdir = { value: process.env.TMPDIR };
  const scratch = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'baseline-jest-'));
  process.env.BASELINE_JEST_SCRATCH = scratch;
  process.env.TMPDIR = scratch;
};
