import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../helpers';

/* npm run hunt, as a user runs it. */

const hunt = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tools', 'hunt.ts'), ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('npm run hunt', () => {
  it('prints the SQL of a rule bounded by days and accounts named by name or id', () => {
    const run = hunt('--rule', 'management-account-workloads', '--from', '2026-11-01', '--to', '2026-11-30', '--accounts', 'management,444444444444');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('FROM "acme_log_archive"."cloudtrail"');
    expect(run.stdout).toContain("AND account IN ('111111111111', '444444444444')");
    expect(run.stderr).toBe('');
  });

  it.each([
    [['--rul', 'x'], /Unknown option '--rul'/],
    [['--rule', 'root-account-usage', '--from', '2026-11-01'], /Missing --from or --to/],
    [['--rule', 'no-such-rule', '--from', '2026-11-01', '--to', '2026-11-02'], /Unknown rule "no-such-rule"; --list shows the rules/],
    [['--rule', 'root-account-usage', '--from', '2026-11-31', '--to', '2026-12-02'], /--from: got "2026-11-31"; expected a day/],
  ])('refuses %j with exit status 2 and the reason', (args, message) => {
    const run = hunt(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
