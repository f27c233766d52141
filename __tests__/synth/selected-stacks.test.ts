import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { largeOrganization } from '../../bench/large-organization';
import { PROJECT_ROOT } from '../helpers';

/*
 * `npm run synth -- --stack`, `--list` and `--jobs`, as whole processes: a stack built alone, or in a worker, is byte
 * for byte the stack of a whole synth in one process.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), 'baseline-selected-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// 18 members in one region: 21 account stacks and 3 role stacks, more than one chunk of 20.
const config = path.join(scratch, 'organization.json');
writeFileSync(config, JSON.stringify(largeOrganization(18, 1)));

function synth(outdir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['tools/synth/run.cjs', '--quiet', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', INIT_CWD: PROJECT_ROOT, BASELINE_CONFIG: config, CDKTF_OUTDIR: outdir, ...env },
    encoding: 'utf8',
  });
}

/** Every file below a directory, by relative path, with its bytes. */
function tree(dir: string, base = dir): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [name, bytes] of tree(full, base)) files.set(name, bytes);
    else files.set(path.relative(base, full), readFileSync(full));
  }
  return files;
}

function expectSameFiles(left: Map<string, Buffer>, right: Map<string, Buffer>): void {
  expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
  for (const [name, bytes] of left) expect({ name, same: bytes.equals(right.get(name)!) }).toEqual({ name, same: true });
}

const manifestStacks = (outdir: string) => Object.keys(JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks).sort();

// The reference: a whole synth in this one process.
const whole = path.join(scratch, 'whole');
beforeAll(() => {
  const result = synth(whole, ['--jobs', '1']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

describe('npm run synth -- --stack, --list', () => {
  it('writes only the selected stacks, each byte-identical to the same stack in a whole synth, and the whole deploy plan', () => {
    const outdir = path.join(scratch, 'selected');
    const result = synth(outdir, ['--stack', 'security', '--stack', 'account-workload-1?']);
    expect(result.stderr).toBe('');
    const selected = ['account-workload-10', 'account-workload-11', 'account-workload-12', 'account-workload-13', 'account-workload-14', 'account-workload-15', 'account-workload-16', 'account-workload-17', 'account-workload-18', 'security'];
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(selected);
    expect(manifestStacks(outdir)).toEqual(selected);
    for (const stack of selected) {
      expectSameFiles(tree(path.join(whole, 'stacks', stack)), tree(path.join(outdir, 'stacks', stack)));
    }
    expect(readFileSync(path.join(outdir, 'deploy-plan.json'), 'utf8')).toBe(readFileSync(path.join(whole, 'deploy-plan.json'), 'utf8'));
  });

  it('replaces only the selected stacks of an earlier whole synth: the others stay, in the manifest too', () => {
    const outdir = path.join(scratch, 'earlier');
    cpSync(whole, outdir, { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', 'management', 'terraform.tfstate'), 'state');
    const manifest = readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const again = synth(outdir, ['--stack', 'log-archive']);
    expect(again.stderr).toBe('');
    const after = tree(outdir);
    after.delete(path.join('stacks', 'management', 'terraform.tfstate'));
    expectSameFiles(tree(whole), after);
    expect(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(readFileSync(path.join(outdir, 'stacks', 'management', 'terraform.tfstate'), 'utf8')).toBe('state');
  });

  it('lists the stacks with wave, account and region, writing nothing; a pattern that matches nothing is refused', () => {
    const outdir = path.join(scratch, 'listed');
    const list = synth(outdir, ['--list', '--stack', 'account-*']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^wave {2}stack +account +region$/);
    expect(list.stdout).toMatch(/^ {3}4 {2}account-workload-2 +workload-2 \(100000000011\) +us-east-1$/m);
    expect(list.stdout).not.toMatch(/^ {3}1 /m);
    expect(existsSync(outdir)).toBe(false);
    const all = synth(outdir, ['--list']);
    expect(all.stdout).toMatch(/^ {3}1 {2}log-archive +log-archive \(100000000002\) +us-east-1$/m);
    const typo = synth(outdir, ['--stack', 'acount-security']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('--stack acount-security: no stack of the configuration has that name; did you mean account-security? (npm run synth -- --list prints them)\nNothing was written.\n');
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('npm run synth -- --jobs', () => {
  it('synthesizes an organization in worker processes byte for byte as one process does', () => {
    const parallel = path.join(scratch, 'parallel');
    const two = synth(parallel, ['--jobs', '2']);
    expect(two.stderr).toBe('');
    expect(readdirSync(path.join(parallel, 'stacks'))).toHaveLength(24);
    expectSameFiles(tree(whole), tree(parallel));
    expect(readdirSync(scratch).filter((name) => name.includes('.synth-'))).toEqual([]);
    expect(synth(parallel, ['--jobs', '0']).stderr).toContain('--jobs 0: expected a number of worker processes from 1 to 999');
  }, 120000);
});
