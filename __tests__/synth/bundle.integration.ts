import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../helpers';

/* The synth runs from a bundle of its sources, rebuilt when a source's bytes change, never from stale code. */

const SOURCES = ['main.ts', 'package.json', 'tsconfig.json', 'cdktf.json', 'config', 'lib', 'stacks', 'functions', 'tools/command-line', 'tools/synth'];

const scratch = mkdtempSync(path.join(os.tmpdir(), 'baseline-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function checkout(): string {
  const dir = mkdtempSync(path.join(scratch, 'checkout-'));
  for (const entry of SOURCES) cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const list = (cwd: string) =>
  spawnSync(process.execPath, ['tools/synth/run.cjs', '--list'], { cwd, env: { ...process.env, BASELINE_CONFIG: '', INIT_CWD: cwd }, encoding: 'utf8' });

describe('the synth bundle', () => {
  it('is built on the first run, reused while the sources hold the same bytes, and rebuilt when one changes', () => {
    const dir = checkout();
    const first = list(dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^wave {2}stack/);
    const bundle = path.join(dir, '.build', 'synth', 'main.js');
    const built = statSync(bundle).mtimeMs;
    // The bundle does not depend on where the project is: no absolute path of the checkout in it.
    expect(readFileSync(bundle, 'utf8')).not.toContain(dir);

    expect(list(dir).stdout).toBe(first.stdout);
    expect(statSync(bundle).mtimeMs).toBe(built);

    const source = path.join(dir, 'lib', 'synth', 'deploy-plan.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace("`${'wave'}  ", "`${'WAVE'}  "));
    expect(list(dir).stdout).toMatch(/^WAVE {2}stack/);
  });

  it("shows an unexpected error's trace with the TypeScript file and line", () => {
    const dir = checkout();
    const source = path.join(dir, 'lib', 'synth', 'deploy-plan.ts');
    const text = readFileSync(source, 'utf8');
    const marker = 'export function formatStackList(';
    writeFileSync(source, text.replace(marker, `function unexpected(): never {\n  throw new Error('unexpected in the list');\n}\n${marker}`).replace("  const shown = plan.stacks", '  unexpected();\n  const shown = plan.stacks'));
    const line = readFileSync(source, 'utf8').split('\n').findIndex((row) => row.includes("throw new Error('unexpected in the list')")) + 1;
    const result = list(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: unexpected in the list');
    expect(result.stderr).toContain(`${source}:${line}:`);
  });
});
