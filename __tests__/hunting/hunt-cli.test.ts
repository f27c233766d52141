import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH } from '../../config/load';
import { runHunt } from '../../tools/hunt';
import { PROJECT_ROOT } from '../helpers';

/* npm run hunt, as a user runs it. */

const hunt = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tools', 'hunt.ts'), ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('npm run hunt', () => {
  it('runs as a process: the SQL on standard output, nothing on standard error', () => {
    const run = hunt('--rule', 'management-account-workloads', '--from', '2026-11-01', '--to', '2026-11-30', '--accounts', 'management,444444444444');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('FROM "acme_log_archive"."cloudtrail"');
    expect(run.stdout).toContain("AND account IN ('111111111111', '444444444444')");
    expect(run.stderr).toBe('');
  });

  it("prints a detector rule's hunt with the configuration's allow-lists, bounded inside the innermost query", () => {
    const run = runHunt(['--rule', 'sensitive-object-access', '--from', '2026-11-01', '--to', '2026-11-30', '--accounts', 'workload-prod'], EXAMPLE_CONFIG_PATH);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^-- sensitive-object-access: /);
    expect(run.stdout).toContain(`FROM "acme_log_archive"."cloudtrail"\n  WHERE date BETWEEN '2026/11/01' AND '2026/12/01'`);
    expect(run.stdout).toContain("AND account IN ('444444444444')");
    // The example's allow-lists: its monitored bucket and key patterns, its VPC endpoint, its IPv6 network.
    for (const value of ["= 'acme-customer-records'", "LIKE 'customers/%'", "LIKE '%ssn%'", "vpcendpointid IN ('vpce-0a1b2c3d4e5f60718')", 'hunt_v6_g2 = 3512']) {
      expect(run.stdout).toContain(value);
    }
    const list = runHunt(['--list'], EXAMPLE_CONFIG_PATH).stdout;
    for (const id of ['sensitive-object-access', 'instance-credentials-outside-aws', 'bucket-enumeration']) expect(list).toMatch(new RegExp(`^${id} +Detector: `, 'm'));
  });

  it('warns, without failing, that Athena skips the days already moved to Glacier', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    const recent = runHunt(['--rule', 'root-account-usage', '--from', '2026-11-01', '--to', '2026-11-30'], EXAMPLE_CONFIG_PATH, now);
    expect(recent.stderr).toBe('');
    const old = runHunt(['--rule', 'root-account-usage', '--from', '2025-11-01', '--to', '2026-11-30'], EXAMPLE_CONFIG_PATH, now);
    expect(old.status).toBe(0);
    expect(old.stderr).toMatch(/^warning: logs older than 365 days \(logArchive.lifecycle.glacierAfterDays\) are in S3 Glacier, which Athena skips/);
  });

  it.each([
    [['--rul', 'x'], /Unknown option '--rul'/],
    [['--rule', 'root-account-usage', '--from', '2026-11-01'], /Missing --from or --to/],
    [['--rule', 'no-such-rule', '--from', '2026-11-01', '--to', '2026-11-02'], /Unknown rule "no-such-rule"; --list shows the rules/],
    [['--rule', 'root-account-usage', '--from', '2026-11-31', '--to', '2026-12-02'], /--from: got "2026-11-31"; expected a day/],
  ])('refuses %j with exit status 2 and the reason', (args, message) => {
    const run = runHunt(args, EXAMPLE_CONFIG_PATH);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
