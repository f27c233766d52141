import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './helpers';

/*
 * These tests run the synth as users do: a whole process of `npm run synth`'s command.
 */

const SOURCES = ['main.ts', 'package.json', 'tsconfig.json', 'cdktf.json', 'config', 'lib', 'stacks', 'functions'];

/** Copies the project's sources to a new directory (a second checkout), sharing node_modules. */
function checkout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-checkout-'));
  for (const entry of SOURCES) {
    if (existsSync(path.join(PROJECT_ROOT, entry))) cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function synth(cwd: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
  });
}

/** Every file below a directory with its bytes, by relative path. */
function tree(dir: string, base = dir): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [name, bytes] of tree(full, base)) files.set(name, bytes);
    else files.set(path.relative(base, full), readFileSync(full));
  }
  return files;
}

function setMtimes(dir: string, when: Date): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) setMtimes(full, when);
    utimesSync(full, when, when);
  }
}

describe('npm run synth', () => {
  it('is byte-identical from two checkout paths, at different times and in different time zones, and drops stale stacks', () => {
    const first = checkout();
    const second = checkout();
    setMtimes(second, new Date('2031-01-02T03:04:05Z'));
    // What an earlier synth left for an account since removed from the configuration: the synth must remove it.
    mkdirSync(path.join(first, 'out', 'stacks', 'account-retired'), { recursive: true });
    writeFileSync(path.join(first, 'out', 'stacks', 'account-retired', 'cdk.tf.json'), '{}');
    const a = synth(first, { TZ: 'UTC', CDKTF_OUTDIR: path.join(first, 'out') });
    const b = synth(second, { TZ: 'Pacific/Auckland', CDKTF_OUTDIR: path.join(second, 'elsewhere') });
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    const left = tree(path.join(first, 'out'));
    const right = tree(path.join(second, 'elsewhere'));
    expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
    expect([...left.keys()]).toContain(path.join('stacks', 'management', 'cdk.tf.json'));
    expect(readdirSync(path.join(first, 'out', 'stacks'))).not.toContain('account-retired');
    for (const [name, bytes] of left) expect({ name, same: bytes.equals(right.get(name)!) }).toEqual({ name, same: true });
  });

  it('rejects a bad configuration with every problem, a non-zero exit, and nothing written', () => {
    const dir = checkout();
    const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'example.json'), 'utf8'));
    config.accounts.members[0].id = '1234567890123';
    config.regions.home = 'us-west-2';
    config.regions.enabledd = [];
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(config));
    const outdir = path.join(dir, 'out');
    const result = synth(dir, { BASELINE_CONFIG: 'bad.json', CDKTF_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Configuration bad.json has 3 problems:');
    expect(result.stderr).toContain('accounts.members[0].id: got "1234567890123"; expected exactly 12 digits');
    expect(result.stderr).toContain('regions.home: got "us-west-2"; expected one of the enabled regions');
    expect(result.stderr).toContain('regions.enabledd: got []; unknown key; did you mean "enabled"?');
    expect(existsSync(outdir)).toBe(false);
  });

});
