import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/*
 * Compares the output of a cdktf synth with that of the same project renamed to CDK Terrain (cdktn). Two differences
 * are allowed, and only these:
 *  - the version stamp: the "version" member of manifest.json and of each stack's "//".metadata, which name the
 *    library that wrote them (cdktf 0.21.0, cdktn 0.24.0);
 *  - the layout of an empty list or object: "[]" and "[" + whitespace + "]" are the same list, "{}" and "{" +
 *    whitespace + "}" the same object (cdktf writes an empty "outputs" over two lines, cdktn on one).
 * Every other byte of every file, the detector's zip included, must be the same.
 */

const VERSION_STAMP = /("version": )"\d+\.\d+\.\d+(?:-[\w.]+)?"/g;
const EMPTY_LIST = /\[\s+\]/g;
const EMPTY_OBJECT = /\{\s+\}/g;

/** A JSON file's text with the allowed differences taken out. */
export function normalizeSynthesizedJson(relativePath: string, text: string): string {
  const name = relativePath.split(path.sep).join('/');
  const stamped = name === 'manifest.json' || /^stacks\/[^/]+\/cdk\.tf\.json$/.test(name);
  // The stamp sits at a known place: the manifest's last member, and "//".metadata.version near a stack's top.
  const unstamped = stamped ? stampless(text) : text;
  return unstamped.replace(EMPTY_LIST, '[]').replace(EMPTY_OBJECT, '{}');
}

function stampless(text: string): string {
  const matches = [...text.matchAll(VERSION_STAMP)];
  if (matches.length === 0) return text;
  // Only the first "version" of a stack file (inside "//".metadata) and the manifest's own are stamps; any other
  // "version" member (a provider constraint, say) must stay as it is.
  const first = matches[0];
  return `${text.slice(0, first.index)}${first[1]}"<stamp>"${text.slice(first.index! + first[0].length)}`;
}

function files(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? files(full, base) : [path.relative(base, full)];
    });
}

/** The differences between two output directories beyond the allowed ones, one line each; empty when equivalent. */
export function compareOutputs(cdktfDir: string, cdktnDir: string): string[] {
  const left = files(cdktfDir);
  const right = files(cdktnDir);
  const differences = [
    ...left.filter((file) => !right.includes(file)).map((file) => `only in the cdktf output: ${file}`),
    ...right.filter((file) => !left.includes(file)).map((file) => `only in the cdktn output: ${file}`),
  ];
  for (const file of left.filter((candidate) => right.includes(candidate))) {
    const a = readFileSync(path.join(cdktfDir, file));
    const b = readFileSync(path.join(cdktnDir, file));
    if (a.equals(b)) continue;
    if (!file.endsWith('.json')) {
      differences.push(`differs: ${file}`);
      continue;
    }
    const leftLines = normalizeSynthesizedJson(file, a.toString('utf8')).split('\n');
    const rightLines = normalizeSynthesizedJson(file, b.toString('utf8')).split('\n');
    const line = leftLines.findIndex((text, index) => text !== rightLines[index]);
    if (line < 0 && leftLines.length === rightLines.length) continue;
    const at = line < 0 ? leftLines.length : line;
    differences.push(`differs: ${file} line ${at + 1}: cdktf ${JSON.stringify(leftLines[at] ?? '')}, cdktn ${JSON.stringify(rightLines[at] ?? '')}`);
  }
  return differences;
}

if (require.main === module) {
  const [cdktfDir, cdktnDir] = process.argv.slice(2);
  const differences = compareOutputs(cdktfDir, cdktnDir);
  for (const line of differences) process.stderr.write(`${line}\n`);
  if (differences.length > 0) process.exit(1);
  process.stdout.write(`same stacks: ${files(cdktfDir).length} files, differing only in the version stamp and the layout of empty lists and objects\n`);
}
