/*
 * Jest global setup: every temporary file of a test run (the tests' own scratch directories, cdktf's cdktf.outdir.*,
 * those of the processes tests start) goes under one directory, which the teardown removes. Workers and child
 * processes inherit TMPDIR, and os.tmpdir() reads it on each call.
 */
const { mkdtempSync, realpathSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function scratchSetup() {
  const scratch = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'baseline-jest-'));
  process.env.BASELINE_JEST_SCRATCH = scratch;
  process.env.TMPDIR = scratch;
};
