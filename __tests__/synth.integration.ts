import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './helpers';

/*
 * These tests run the synth as users do: a whole process of `npm run synth`'s command.
 */

const SOURCES = ['main.ts', 'package.json', 'tsconfig.json', 'cdktf.json', 'config', 'lib', 'stacks', 'functions', 'tools/command-line', 'tools/synth'];

// The synth's bundle, built once for the sources as they are and copied into each checkout: it is current there too
// (its inputs are recorded by relative path and content), so no checkout builds it again (__tests__/synth/bundle.integration.ts
// tests the rebuilding).
beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  await (require('../tools/synth/bundle.cjs') as { currentBundle(): Promise<string> }).currentBundle();
});

/** Copies the project's sources to a new directory (a second checkout), sharing node_modules. */
function checkout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-checkout-'));
  scratch.push(dir);
  for (const entry of [...SOURCES, '.build/synth']) {
    if (existsSync(path.join(PROJECT_ROOT, entry))) cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function synth(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync(process.execPath, ['tools/synth/run.cjs', ...args], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', INIT_CWD: cwd, ...env },
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

/** An output directory as an earlier synth left it, with the given stacks. */
function earlierOutput(outdir: string, stacks: string[]): void {
  const manifest: Record<string, unknown> = { version: '0.21.0', stacks: {} };
  for (const name of stacks) {
    mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), '{}');
    (manifest.stacks as Record<string, unknown>)[name] = {
      name,
      workingDirectory: `stacks/${name}`,
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
    };
  }
  writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
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
    earlierOutput(path.join(first, 'out'), ['account-retired']);
    const a = synth(first, { TZ: 'UTC', CDKTF_OUTDIR: path.join(first, 'out') }, ['--quiet']);
    const b = synth(second, { TZ: 'Pacific/Auckland', CDKTF_OUTDIR: path.join(second, 'elsewhere') }, ['--quiet']);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect(a.stdout).toBe('');
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
    expect(result.stderr).toContain(`Configuration ${path.join(dir, 'bad.json')} has 3 problems:`);
    expect(result.stderr).toContain('accounts.members[0].id: got "1234567890123"; expected exactly 12 digits');
    expect(result.stderr).toContain('regions.home: got "us-west-2"; expected one of the enabled regions');
    expect(result.stderr).toContain('regions.enabledd: got []; unknown key; did you mean "enabled"?');
    expect(existsSync(outdir)).toBe(false);
  });


  it('never deletes what it did not write: refuses a directory of other files, keeps Terraform state in a stack directory', () => {
    const dir = checkout();
    // The project itself as the output directory: its stacks/ sources must survive.
    const refused = synth(dir, { CDKTF_OUTDIR: '.' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`The output directory ${dir} holds files the synth did not write`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, 'stacks', 'account-stack.ts'))).toBe(true);
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(false);

    // The local backend keeps a stack's state in its directory; a later synth, or the removal of its stack, must keep it.
    const outdir = path.join(dir, 'out');
    earlierOutput(outdir, ['management', 'account-retired']);
    writeFileSync(path.join(outdir, 'stacks', 'management', 'terraform.tfstate'), 'management state');
    writeFileSync(path.join(outdir, 'stacks', 'account-retired', 'terraform.tfstate'), 'retired state');
    const kept = synth(dir, { CDKTF_OUTDIR: outdir }, ['--quiet']);
    expect(kept.status).toBe(0);
    expect(readFileSync(path.join(outdir, 'stacks', 'management', 'terraform.tfstate'), 'utf8')).toBe('management state');
    expect(readFileSync(path.join(outdir, 'stacks', 'account-retired', 'terraform.tfstate'), 'utf8')).toBe('retired state');
    expect(existsSync(path.join(outdir, 'stacks', 'account-retired', 'cdk.tf.json'))).toBe(false);
    expect(kept.stderr).toContain(`${path.join(outdir, 'stacks', 'account-retired')}: no stack of the configuration is synthesized here; terraform.tfstate left in place`);
  });

  it('answers an output directory that is a file, or below one, with a message', () => {
    const dir = checkout();
    writeFileSync(path.join(dir, 'a-file'), 'mine');
    const file = synth(dir, { CDKTF_OUTDIR: 'a-file' });
    expect(file.status).toBe(1);
    expect(file.stderr).toBe(`The output directory ${path.join(dir, 'a-file')} is a file, not a directory: choose another CDKTF_OUTDIR.\nNothing was written.\n`);
    const below = synth(dir, { CDKTF_OUTDIR: 'a-file/out' });
    expect(below.status).toBe(1);
    expect(below.stderr).toContain(`Cannot write the output directory ${path.join(dir, 'a-file', 'out')}: a part of the path is a file.`);
    expect(readFileSync(path.join(dir, 'a-file'), 'utf8')).toBe('mine');
  });

  it('prints every warning on stderr, and with --strict fails on them leaving the earlier output as it was', () => {
    const dir = checkout();
    const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'example.json'), 'utf8'));
    config.trail = { mode: 'data-events-only' };
    writeFileSync(path.join(dir, 'data-events.json'), JSON.stringify(config));
    const outdir = path.join(dir, 'out');
    earlierOutput(outdir, ['management']);
    const strict = synth(dir, { BASELINE_CONFIG: 'data-events.json', CDKTF_OUTDIR: outdir }, ['--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('Warning: management/OrganizationTrail: trail.mode is "data-events-only" and monitoring.logGroupName is not set');
    expect(strict.stderr).toContain(`--strict: the synth has 1 warning; ${outdir} is left as it was.`);
    expect(readFileSync(path.join(outdir, 'stacks', 'management', 'cdk.tf.json'), 'utf8')).toBe('{}');

    const lenient = synth(dir, { BASELINE_CONFIG: 'data-events.json', CDKTF_OUTDIR: outdir });
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toContain('Warning: management/OrganizationTrail: trail.mode is "data-events-only"');
    expect(lenient.stdout).toContain('with 1 warning (on stderr)');
  });

  it('resolves a relative BASELINE_CONFIG from the directory the user ran npm in, and prints what it did', () => {
    const dir = checkout();
    const elsewhere = path.join(dir, 'team');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'baseline.json'), readFileSync(path.join(PROJECT_ROOT, 'config', 'example.json')));
    const found = synth(dir, { BASELINE_CONFIG: 'baseline.json', INIT_CWD: elsewhere, CDKTF_OUTDIR: path.join(dir, 'out') });
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(`Configuration: ${path.join(elsewhere, 'baseline.json')}`);
    // Each stack with its resource count and directory, the deploy order, the time taken.
    expect(found.stdout).toMatch(/^  management +\d+ resources  out\/stacks\/management$/m);
    expect(found.stdout).toContain('Deploy order: log-archive, then management, then security, then account-');
    expect(found.stdout).toMatch(/^Done in \d+\.\d s\.$/m);
    const missing = synth(dir, { BASELINE_CONFIG: 'nothing.json', INIT_CWD: elsewhere, CDKTF_OUTDIR: path.join(dir, 'out') });
    expect(missing.stderr).toContain(`Configuration ${path.join(elsewhere, 'nothing.json')} has 1 problem`);
  });

  it('answers --help, and rejects an unknown flag naming it, with no synth', () => {
    const dir = checkout();
    const help = synth(dir, { CDKTF_OUTDIR: path.join(dir, 'out') }, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run synth -- \[flags\]/);
    expect(help.stdout).toContain('--strict');
    const typo = synth(dir, { CDKTF_OUTDIR: path.join(dir, 'out') }, ['--hlc']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown flag --hlc; did you mean --hcl?');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
