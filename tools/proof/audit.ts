import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FlagSpec, ParsedFlags } from './arguments';
import { type AuditedAccount, type AuditFinding, evaluateRequiredChecks, parseRequiredChecks, summarizeFindings } from './audit-findings';

/*
 * Prowler, the auditor users run, against the emulated accounts after the rehearsal's apply: its CIS framework, one
 * run per account (the management account with the caller's credentials, the others through the deployment role, as
 * Prowler does in an organization). Installed on first use into .venv-audit/ from tools/python/ (pinned).
 */

const ROOT = path.join(__dirname, '..', '..');
const AUDIT_VENV = path.join(ROOT, '.venv-audit');
const PROWLER = path.join(AUDIT_VENV, 'bin', 'prowler');
const REQUIREMENTS = path.join(ROOT, 'tools', 'python', 'audit-requirements.txt');
const CONSTRAINTS = path.join(ROOT, 'tools', 'python', 'audit-constraints.txt');
export const REQUIRED_CHECKS_FILE = path.join(__dirname, 'required-audit-checks.txt');

/** Prowler's CIS AWS Foundations Benchmark framework; v5.0.0 is the standard the baseline turns on in Security Hub. */
export const CIS_FRAMEWORK = 'cis_5.0_aws';

export const AUDIT_FLAGS: FlagSpec[] = [{ name: 'audit-framework', value: 'framework', help: `Prowler compliance framework (default ${CIS_FRAMEWORK})` }];

export interface AuditOptions {
  readonly endpoint: string;
  /** The emulator's forward proxy, for S3 Control's `<account>.<host>` names. */
  readonly proxy: string;
  readonly workDir: string;
  /** In deploy order; the first is the management account. */
  readonly accounts: ReadonlyArray<{ name: string; id: string; role: AuditedAccount['role'] }>;
  readonly roleName: string;
  readonly regions: readonly string[];
  readonly flags: ParsedFlags;
}

function installProwler(): void {
  if (existsSync(PROWLER)) return;
  process.stdout.write('   installing the pinned Prowler into .venv-audit/ (first use)\n');
  const steps: string[][] = [
    ['python3', '-m', 'venv', AUDIT_VENV],
    [path.join(AUDIT_VENV, 'bin', 'pip'), 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS, '-c', CONSTRAINTS],
  ];
  for (const [command, ...args] of steps) {
    const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  }
}

function readFindings(dir: string): AuditFinding[] {
  const file = readdirSync(dir).find((name) => name.endsWith('.ocsf.json'));
  if (!file) return [];
  const records = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Array<Record<string, any>>;
  return records.map((record) => ({
    check: String(record.metadata?.event_code),
    status: String(record.status_code) as AuditFinding['status'],
    region: String(record.cloud?.region ?? ''),
    resource: String(record.resources?.[0]?.uid ?? ''),
    detail: String(record.status_detail ?? ''),
  }));
}

export function runAudit(options: AuditOptions): { ok: boolean } {
  const framework = typeof options.flags['audit-framework'] === 'string' ? options.flags['audit-framework'] : CIS_FRAMEWORK;
  process.stdout.write(`== audit: Prowler (${framework}) against the emulated accounts\n`);
  installProwler();
  const required = parseRequiredChecks(readFileSync(REQUIRED_CHECKS_FILE, 'utf8'));
  const audited: AuditedAccount[] = [];
  let ok = true;
  for (const [index, account] of options.accounts.entries()) {
    const outputDir = path.join(options.workDir, 'audit', account.name);
    mkdirSync(outputDir, { recursive: true });
    const role = index === 0 ? [] : ['--role', `arn:aws:iam::${account.id}:role/${options.roleName}`];
    const started = Date.now();
    const result = spawnSync(
      PROWLER,
      ['aws', '--compliance', framework, '--region', ...options.regions, ...role, '--output-formats', 'json-ocsf', '--output-directory', outputDir, '--output-filename', 'findings', '--no-banner', '--ignore-exit-code-3', '--log-level', 'CRITICAL'],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, AWS_ENDPOINT_URL: options.endpoint, HTTP_PROXY: options.proxy, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: options.regions[0] },
      },
    );
    const findings = readFindings(outputDir);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (result.status !== 0 || findings.length === 0) {
      ok = false;
      process.stdout.write(`FAILED Prowler on ${account.name} (${account.id}): exit ${result.status}, ${findings.length} findings (${seconds} s)\n${(result.stderr || result.stdout).trim().split('\n').slice(-30).join('\n')}\n`);
      continue;
    }
    process.stdout.write(`   ${account.name} (${account.id}, ${seconds} s): ${summarizeFindings(findings)}\n`);
    audited.push({ name: account.name, role: account.role, findings });
  }
  const evaluation = evaluateRequiredChecks(required, audited);
  for (const line of evaluation.lines) process.stdout.write(`   ${line}\n`);
  process.stdout.write(`   required checks: ${evaluation.passed} of ${evaluation.total} passed (${path.relative(ROOT, REQUIRED_CHECKS_FILE)})\n`);
  return { ok: ok && evaluation.passed === evaluation.total };
}
