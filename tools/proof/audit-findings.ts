/*
 * Prowler's findings, read against the list of checks the baseline must pass (tools/proof/required-audit-checks.txt).
 * Pure: the audit runner feeds it what Prowler wrote.
 */

export interface AuditFinding {
  readonly check: string;
  readonly status: 'PASS' | 'FAIL' | 'MANUAL' | 'MUTED';
  readonly region: string;
  readonly resource: string;
  readonly detail: string;
}

/** Which accounts a required check applies to: every account, or the account that plays one role. */
export type CheckScope = 'all' | 'management' | 'log-archive' | 'security';
const SCOPES: readonly CheckScope[] = ['all', 'management', 'log-archive', 'security'];

export interface RequiredCheck {
  readonly check: string;
  readonly scope: CheckScope;
}

export interface AuditedAccount {
  readonly name: string;
  readonly role: 'management' | 'log-archive' | 'security' | 'member';
  readonly findings: readonly AuditFinding[];
}

/** One `<check id> <scope>` per line; `#` starts a comment. Throws naming the line of anything else. */
export function parseRequiredChecks(text: string): RequiredCheck[] {
  const checks: RequiredCheck[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [check, scope, ...rest] = line.split(/\s+/);
    if (!/^[a-z0-9_]+$/.test(check) || !SCOPES.includes(scope as CheckScope) || rest.length > 0) {
      throw new Error(`required audit checks, line ${index + 1}: expected "<prowler check id> <${SCOPES.join('|')}>", got "${raw.trim()}"`);
    }
    checks.push({ check, scope: scope as CheckScope });
  });
  return checks;
}

export function summarizeFindings(findings: readonly AuditFinding[]): string {
  const count = (status: AuditFinding['status']) => findings.filter((finding) => finding.status === status).length;
  const failing = [...new Set(findings.filter((finding) => finding.status === 'FAIL').map((finding) => finding.check))].sort();
  const checks = new Set(findings.map((finding) => finding.check)).size;
  return `${checks} checks evaluated: ${count('PASS')} PASS, ${count('FAIL')} FAIL, ${count('MANUAL')} MANUAL findings${failing.length > 0 ? `; failing: ${failing.join(', ')}` : ''}`;
}

/** A required check passes in an account when Prowler evaluated it there and no finding of it failed. */
export function evaluateRequiredChecks(
  required: readonly RequiredCheck[],
  accounts: readonly AuditedAccount[],
): { passed: number; total: number; lines: string[] } {
  let passed = 0;
  let total = 0;
  const lines: string[] = [];
  for (const { check, scope } of required) {
    for (const account of accounts.filter((candidate) => scope === 'all' || candidate.role === scope)) {
      total++;
      const findings = account.findings.filter((finding) => finding.check === check);
      const failures = findings.filter((finding) => finding.status === 'FAIL');
      if (findings.length === 0) {
        lines.push(`NOT EVALUATED ${check} in ${account.name}: Prowler reported nothing for it`);
      } else if (failures.length > 0) {
        lines.push(`FAIL ${check} in ${account.name}: ${failures.map((failure) => `${failure.region} ${failure.detail}`).join('; ')}`);
      } else {
        passed++;
      }
    }
  }
  return { passed, total, lines };
}
