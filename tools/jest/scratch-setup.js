/*
 * Jest global setup: every temporary file of a test run (the tests' own scratch directories, cdktf's cdktf.outdir.*,
 * those of the processes tests start) goes under one directory, which the teardown removes. Workers and child
 * processes inherit TMPDIR, and os.tmpdir() reads it on each call. The TMPDIR found here is kept for the teardown to
 * put back: a process that runs jest again (the mutation tests' runner runs it once per mutant) must not look for its
 * next scratch directory inside the one just removed.
 */
const { mkdtempSync, realpathSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function scratchSetup() {
  process.env.BASELINE_JEST_TMPDIR_BEFORE = process.env.TMPDIR ?? '';
  const scratch = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'baseline-jest-'));
  process.env.BASELINE_JEST_SCRATCH = scratch;
  process.env.TMPDIR = scratch;
};
