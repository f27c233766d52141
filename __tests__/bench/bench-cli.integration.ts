import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../helpers';

/* `npm run bench` as a process: its flags are checked before anything is measured. */

describe('npm run bench', () => {
  const bench = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: PROJECT_ROOT } });

  it('answers --help and rejects an unknown flag before measuring anything', () => {
    const help = bench(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run bench -- \[flags\]\n/);
    expect(help.stdout).toContain('--only <part>');
    const typo = bench(['--fast']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('npm run bench: unknown flag --fast; see --help\nRun "npm run bench -- --help" for the flags.\n');
    expect(typo.stdout).toBe('');
    const part = bench(['--only', 'everything']);
    expect(part.status).toBe(2);
    expect(part.stderr).toBe('npm run bench: --only everything: expected synth or detector\n');
    expect(part.stdout).toBe('');
  });
});
