import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareOutputs, normalizeSynthesizedJson } from '../../tools/cdktn/compare-outputs';

const stack = (version: string, outputs: string, extra = '') =>
  `{\n  "//": {\n    "metadata": {\n      "version": "${version}"\n    },\n    "outputs": ${outputs}\n  },\n  "terraform": {\n    "required_providers": {\n      "aws": {\n        "version": "6.20.0"${extra}\n      }\n    }\n  }\n}`;

function output(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-compare-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('the cdktf and cdktn outputs', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const compare = (left: Record<string, string>, right: Record<string, string>) => {
    const [a, b] = [output(left), output(right)];
    dirs.push(a, b);
    return compareOutputs(a, b);
  };

  it('may differ in the version stamp and the layout of empty lists and objects only', () => {
    expect(
      compare(
        { 'manifest.json': '{\n  "stacks": {\n    "a": {\n      "annotations": [\n      ]\n    }\n  },\n  "version": "0.21.0"\n}', 'stacks/a/cdk.tf.json': stack('0.21.0', '{\n    }') },
        { 'manifest.json': '{\n  "stacks": {\n    "a": {\n      "annotations": []\n    }\n  },\n  "version": "0.24.0"\n}', 'stacks/a/cdk.tf.json': stack('0.24.0', '{}') },
      ),
    ).toEqual([]);
  });

  it('must agree on every other byte: a provider version, a value, a file', () => {
    const left = { 'stacks/a/cdk.tf.json': stack('0.21.0', '{}'), 'stacks/a/assets/x.zip': 'zip' };
    expect(compare(left, { 'stacks/a/cdk.tf.json': stack('0.24.0', '{}').replace('6.20.0', '6.21.0'), 'stacks/a/assets/x.zip': 'zip' })).toEqual([
      'differs: stacks/a/cdk.tf.json line 11: cdktf "        \\"version\\": \\"6.20.0\\"", cdktn "        \\"version\\": \\"6.21.0\\""',
    ]);
    expect(compare(left, { 'stacks/a/cdk.tf.json': stack('0.24.0', '{"x": 1}'), 'stacks/a/assets/x.zip': 'zip' })[0]).toMatch(/^differs: stacks\/a\/cdk.tf.json line 6/);
    expect(compare(left, { 'stacks/a/cdk.tf.json': stack('0.21.0', '{}'), 'stacks/a/assets/x.zip': 'pkz' })).toEqual(['differs: stacks/a/assets/x.zip']);
    expect(compare(left, { 'stacks/a/cdk.tf.json': stack('0.21.0', '{}') })).toEqual(['only in the cdktf output: stacks/a/assets/x.zip']);
  });

  it('takes out only the first version of a stack, the stamp, and leaves other JSON files whole', () => {
    expect(normalizeSynthesizedJson('stacks/a/cdk.tf.json', stack('0.21.0', '{}'))).toBe(stack('0.21.0', '{}').replace('"0.21.0"', '"<stamp>"'));
    expect(normalizeSynthesizedJson('stacks/a/other.json', '{"version": "1.2.3"}')).toBe('{"version": "1.2.3"}');
  });
});
