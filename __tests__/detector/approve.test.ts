import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ApprovalError, type ApprovalApi, approve } from '../../tools/approve/approval';
import { MassDownloadReplay } from '../../functions/detector/mass-download/memory-windows';
import { MassDownloadContext } from '../../functions/detector/mass-download/reads';
import { compileRuleContext } from '../../functions/detector/rules/context';
import type { Finding } from '../../functions/detector/finding';
import { PROJECT_ROOT } from '../helpers';
import { seedScenario, seedSettings } from './seed-scenario';


function seedFinding(): Finding {
  const rule = new MassDownloadReplay(new MassDownloadContext(seedSettings.massDownload!, compileRuleContext(seedSettings)));
  for (const record of seedScenario()) {
    const [finding] = rule.observe(record as never, new Date('2026-11-21T12:00:00Z')).findings;
    if (finding) return finding;
  }
  throw new Error('the seed scenario fired nothing');
}

function fakeApi(finding: Finding | undefined, policyPresent = true) {
  const calls: string[] = [];
  const api: ApprovalApi = {
    finding: async () => (finding ? { finding } : undefined),
    caller: async () => 'arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/alice',
    removeRolePolicy: async (account, role, policy) => {
      calls.push(`remove ${account} ${role} ${policy}`);
      return policyPresent;
    },
    recordApproval: async (id, by, at) => {
      calls.push(`record ${id} ${by} ${at}`);
    },
  };
  return { api, calls };
}

describe('npm run approve', () => {
  const finding = seedFinding();
  const now = () => new Date('2026-11-22T09:00:00Z');

  it('prints what it would remove and changes nothing without --apply', async () => {
    const { api, calls } = fakeApi(finding);
    const lines = await approve(finding.id!, false, api, now);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^Finding ${finding.id}: 100 reads of acme-customer-records by arn:aws:iam::444444444444:role/acme-reporting from `)),
      `Would remove the inline policy S3CutOff-${finding.id} from role acme-reporting in account 444444444444, restoring its access to acme-customer-records.`,
      'Run again with --apply to do it.',
    ]);
    expect(calls).toEqual([]);
  });

  it('with --apply removes the cut-off in the role\'s account and records who approved, and when', async () => {
    const { api, calls } = fakeApi(finding);
    const lines = await approve(finding.id!, true, api, now);
    expect(calls).toEqual([
      `remove 444444444444 acme-reporting S3CutOff-${finding.id}`,
      `record ${finding.id} arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/alice 2026-11-22T09:00:00.000Z`,
    ]);
    expect(lines.at(-1)).toBe('Approved by arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/alice at 2026-11-22T09:00:00.000Z (recorded on the finding).');
  });

  it('says so when no cut-off was in place, and refuses an unknown or malformed id', async () => {
    const absent = fakeApi(finding, false);
    expect((await approve(finding.id!, true, absent.api, now)).join('\n')).toContain('no cut-off was in place');
    await expect(approve('md-00000000000000000000', false, fakeApi(undefined).api)).rejects.toThrow(new ApprovalError("no finding md-00000000000000000000 in the detector's state table"));
    await expect(approve('S3CutOff-x', false, fakeApi(finding).api)).rejects.toThrow(/is not a mass-download finding id/);
  });

  it('answers --help and rejects an unknown flag through the shared command line', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tools', 'approve.ts'), ...args], { encoding: 'utf8', cwd: PROJECT_ROOT });
    expect(run('--help').stdout).toMatch(/^Usage: npm run approve -- \[flags\] <finding-id>/);
    const unknown = run('--force', 'md-00000000000000000000');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown flag --force');
  });
});
