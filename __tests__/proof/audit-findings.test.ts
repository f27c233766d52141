import { readFileSync } from 'node:fs';
import { type AuditFinding, evaluateRequiredChecks, parseRequiredChecks, summarizeFindings } from '../../tools/proof/audit-findings';
import { REQUIRED_CHECKS_FILE } from '../../tools/proof/audit';

const finding = (check: string, status: AuditFinding['status'], region = 'eu-west-1'): AuditFinding => ({ check, status, region, resource: 'r', detail: `${check} ${status}` });

describe('the checks the rehearsal requires of Prowler', () => {
  test('the shipped list parses and is not empty', () => {
    expect(parseRequiredChecks(readFileSync(REQUIRED_CHECKS_FILE, 'utf8')).length).toBeGreaterThan(0);
  });

  test('reads one check and scope per line, ignoring comments', () => {
    expect(parseRequiredChecks('# why\niam_password_policy_reuse_24 all  # every account\n\ncloudtrail_kms_encryption_enabled management\n')).toEqual([
      { check: 'iam_password_policy_reuse_24', scope: 'all' },
      { check: 'cloudtrail_kms_encryption_enabled', scope: 'management' },
    ]);
  });

  test('refuses a line it cannot read, naming the line', () => {
    expect(() => parseRequiredChecks('a_check all\nb_check everywhere\n')).toThrow(/line 2: expected "<prowler check id> <all\|management\|log-archive\|security>", got "b_check everywhere"/);
  });

  test('passes a check evaluated in every account of its scope without a failure', () => {
    const accounts = [
      { name: 'management', role: 'management' as const, findings: [finding('c', 'PASS'), finding('m', 'PASS')] },
      { name: 'dev', role: 'member' as const, findings: [finding('c', 'PASS', 'us-east-1')] },
    ];

    expect(evaluateRequiredChecks([{ check: 'c', scope: 'all' }, { check: 'm', scope: 'management' }], accounts)).toEqual({ passed: 3, total: 3, lines: [] });
  });

  test('fails a check that fails in one region of one account, and one Prowler did not evaluate', () => {
    const accounts = [
      { name: 'management', role: 'management' as const, findings: [finding('c', 'PASS'), finding('c', 'FAIL', 'us-east-1')] },
      { name: 'dev', role: 'member' as const, findings: [] },
    ];

    const result = evaluateRequiredChecks([{ check: 'c', scope: 'all' }], accounts);

    expect(result.passed).toBe(0);
    expect(result.lines).toEqual(['FAIL c in management: us-east-1 c FAIL', 'NOT EVALUATED c in dev: Prowler reported nothing for it']);
  });

  test('summarizes an account in one line', () => {
    expect(summarizeFindings([finding('a', 'PASS'), finding('b', 'FAIL'), finding('b', 'FAIL'), finding('c', 'MANUAL')])).toBe('3 checks evaluated: 1 PASS, 2 FAIL, 1 MANUAL findings; failing: b');
  });
});
