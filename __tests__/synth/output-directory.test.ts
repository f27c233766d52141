import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOutputDirectory, OutputDirectoryError } from '../../lib/synth/output-directory';

/* Which output directories the synth may write: nothing it did not write may be lost. */

describe('the output directory check', () => {
  const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'baseline-outdir-'));

  it('accepts a directory holding only empty directories, such as an empty stacks/, since no file can be lost', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'stacks', 'management'), { recursive: true });
    const output = openOutputDirectory(dir);
    output.discard();
  });

  it('refuses a directory holding a file the synth did not write, however deep', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'stacks', 'management'), { recursive: true });
    writeFileSync(path.join(dir, 'stacks', 'management', 'notes.txt'), 'mine');
    expect(() => openOutputDirectory(dir)).toThrow(OutputDirectoryError);
  });
});
