import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import type { BaselineConfigInput } from '../config/schema';
import { parseFlags, usage, UsageError, type FlagSpec } from './proof/arguments';
import { EMULATOR_GAPS, withoutEmulatorGaps, type SkippedBlock } from './proof/emulator-gaps';
import { EMULATOR_VENV, startEmulator, type Emulator } from './proof/emulator';
import { applyEmulatorWorkarounds, tagsOfImportedDetectors, type EmulatorWorkaround } from './proof/emulator-workarounds';
import { pointAtEmulator } from './proof/emulator-provider';
import { deployOrder } from './proof/deploy-order';
import { summarizeMapping } from './proof/provider-mapping';
import { accountNamesOf, rehearsalConfiguration, type EmulatedOrganization } from './proof/rehearsal-config';
import { runAudit, AUDIT_FLAGS } from './proof/audit';
import { synthesizeMapped } from './proof/synth-stacks';
import { tail, TerraformRunner } from './proof/terraform';
import { stillWaitingFor } from './proof/apply-output';

/*
 * `npm run rehearse`: the example deployed with real Terraform into moto's emulation of an organization, stack by
 * stack in deploy order, each into its own emulated account through its own provider settings; then a second plan
 * per stack that must be empty, and Prowler's CIS checks against the emulated accounts. Prints what the emulator
 * cannot hold and how many resources were applied; exits 1 when a stack fails, a second plan is not empty, fewer than
 * MIN_APPLIED_SHARE of the resources were applied, or a required audit check fails.
 */

const MIN_APPLIED_SHARE = 0.85;
const PYTHON = path.join(EMULATOR_VENV, 'bin', 'python');
const ORGANIZATION_SCRIPT = path.join(__dirname, 'python', 'emulated_organization.py');

const FLAGS: FlagSpec[] = [
  { name: 'no-audit', help: 'skip the Prowler audit after the apply' },
  { name: 'only', value: 'stacks', help: 'apply only these stacks (comma-separated), still in deploy order; the 85% target is not checked' },
  { name: 'keep', help: 'keep the working directory (printed) for inspection' },
  { name: 'help', help: 'print this help' },
  ...AUDIT_FLAGS,
];

function organizationScript(endpoint: string, args: string[]): unknown {
  const result = spawnSync(PYTHON, [ORGANIZATION_SCRIPT, args[0], endpoint, ...args.slice(1)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(ORGANIZATION_SCRIPT)} ${args[0]} failed:\n${result.stderr}${result.stdout}`);
  if (result.stderr.trim()) process.stdout.write(`${result.stderr.trim()}\n`);
  return JSON.parse(result.stdout);
}

interface StackOutcome {
  readonly name: string;
  readonly planned: number;
  readonly applied: number;
  readonly applyOk: boolean;
  readonly secondPlanEmpty: boolean;
}

function countFromPlanLine(output: string): number {
  const match = /Plan: (\d+) to add/.exec(output);
  return match ? Number(match[1]) : 0;
}

function stateCount(terraform: TerraformRunner, dir: string): number {
  const list = terraform.run(dir, ['state', 'list']);
  if (!list.ok) return 0;
  return list.output.split('\n').filter((line) => line.trim() && !line.startsWith('data.')).length;
}

async function main(): Promise<number> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2), FLAGS);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`rehearse: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (flags.help) {
    process.stdout.write(
      usage(
        'npm run rehearse --',
        'Applies the example into moto (an emulated organization) in deploy order, checks that a second plan is empty, and audits the result with Prowler.',
        FLAGS,
      ),
    );
    return 0;
  }

  const started = Date.now();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'baseline-rehearse-'));
  let emulator: Emulator | undefined;
  let failed = false;
  try {
    emulator = await startEmulator(path.join(workDir, 'moto.log'));
    process.stdout.write(`== emulator: moto at ${emulator.endpoint}\n`);
    // HTTP_PROXY: S3 Control's `<account>.127.0.0.1` host names reach the emulator through its proxy (the provider's
    // other requests, to the loopback address itself, go direct: Go never proxies 127.0.0.1).
    const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL: emulator.endpoint, HTTP_PROXY: emulator.proxy };

    const example = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as BaselineConfigInput;
    const names = accountNamesOf(example);
    const created = organizationScript(emulator.endpoint, ['create', example.regions.home, ...names.slice(1)]) as {
      organizationId: string;
      rootId: string;
      managementAccountId: string;
      accounts: Record<string, string>;
    };
    const organization: EmulatedOrganization = {
      organizationId: created.organizationId,
      rootId: created.rootId,
      accountIds: { [names[0]]: created.managementAccountId, ...created.accounts },
    };
    process.stdout.write(
      `== emulated organization ${organization.organizationId} (root ${organization.rootId}): ${names.map((name) => `${name} ${organization.accountIds[name]}`).join(', ')}\n`,
    );
    const configFile = path.join(workDir, 'rehearsal.json');
    writeFileSync(configFile, `${JSON.stringify(rehearsalConfiguration(example, organization), null, 2)}\n`);
    const config = loadConfigFile(configFile);

    // The buckets the detector monitors are the customer's own data: they exist before the baseline, which only watches them.
    for (const bucket of config.detector.monitoredBuckets) {
      organizationScript(emulator.endpoint, ['create-bucket', organization.accountIds[bucket.account], config.deployment.roleName, bucket.region, bucket.name]);
      process.stdout.write(`   (the customer's) monitored bucket ${bucket.name} in ${bucket.account} ${bucket.region}\n`);
    }

    const skippedByStack = new Map<string, SkippedBlock[]>();
    const workaroundsByStack = new Map<string, EmulatorWorkaround[]>();
    const stacks = synthesizeMapped(config, path.join(workDir, 'cdktf.out'), (name, stack) => {
      const { stack: emulated, skipped } = withoutEmulatorGaps(pointAtEmulator(stack, emulator!.endpoint));
      const { stack: accepted, workarounds } = applyEmulatorWorkarounds(emulated, { deploymentRoleName: config.deployment.roleName });
      skippedByStack.set(name, skipped);
      workaroundsByStack.set(name, workarounds);
      return accepted;
    });

    const terraform = new TerraformRunner(workDir, credentials);
    const outcomes: StackOutcome[] = [];
    const only = typeof flags.only === 'string' ? flags.only.split(',') : undefined;
    const unknown = only?.filter((name) => !stacks.some((entry) => entry.name === name)) ?? [];
    if (unknown.length > 0) throw new UsageError(`--only: no stack ${unknown.join(', ')}; the stacks are ${stacks.map((entry) => entry.name).join(', ')}`);
    const selected = deployOrder(stacks.map((entry) => entry.name)).filter((name) => !only || only.includes(name));
    for (const stack of selected.map((name) => stacks.find((entry) => entry.name === name)!)) {
      if (stack.name === 'security') {
        // AWS creates the administrator's detector when `management` designates it; moto does not.
        const detectors = organizationScript(emulator.endpoint, [
          'designate-guardduty',
          config.accounts.security.id,
          config.deployment.roleName,
          JSON.stringify(tagsOfImportedDetectors(JSON.parse(readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')))),
          ...config.regions.enabled,
        ]);
        process.stdout.write(`   (emulating AWS) GuardDuty detectors of the delegated administrator, created with the stack's tags (moto has no GuardDuty TagResource): ${JSON.stringify(detectors)}\n`);
      }
      const skipped = skippedByStack.get(stack.name) ?? [];
      const skippedCount = skipped.reduce((sum, block) => sum + block.instances, 0);
      const init = terraform.init(stack.dir, { backend: true });
      const apply = init.ok ? terraform.run(stack.dir, ['apply', '-auto-approve', '-input=false', '-no-color']) : init;
      const applied = stateCount(terraform, stack.dir);
      const planned = Math.max(countFromPlanLine(apply.output), applied) + skippedCount;
      let secondPlanEmpty = false;
      let planOutput = '';
      if (apply.ok) {
        const plan = terraform.run(stack.dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
        secondPlanEmpty = plan.status === 0;
        planOutput = plan.output;
      }
      outcomes.push({ name: stack.name, planned, applied, applyOk: apply.ok, secondPlanEmpty });
      const verdict = apply.ok && secondPlanEmpty ? 'ok    ' : 'FAILED';
      process.stdout.write(
        `${verdict} ${stack.name}: applied ${applied} of ${planned} (${skippedCount} left out), ${apply.ok ? (secondPlanEmpty ? 'second plan empty' : 'second plan NOT empty') : 'apply failed'} (${apply.seconds.toFixed(0)} s)\n`,
      );
      for (const line of summarizeMapping(stack.mapped).filter((entry) => !entry.startsWith('region') && !entry.startsWith('terraform.'))) {
        process.stdout.write(`         mapped ${line}\n`);
      }
      for (const workaround of workaroundsByStack.get(stack.name) ?? []) {
        process.stdout.write(`         emulator workaround ${workaround.address}: ${workaround.change}\n`);
      }
      if (!apply.ok) process.stdout.write(`${indent(errorsOf(apply.output))}\n`);
      else if (!secondPlanEmpty) process.stdout.write(`${indent(changesOf(planOutput))}\n`);
    }

    process.stdout.write('== resource types the emulator cannot hold (left out of the rehearsal)\n');
    for (const gap of EMULATOR_GAPS) {
      const count = [...skippedByStack.values()].flat().filter((block) => block.address.startsWith(`${gap.type}.`)).reduce((sum, block) => sum + block.instances, 0);
      process.stdout.write(`   ${gap.type}${gap.scope ? ` (${gap.scope})` : ''}: ${gap.reason} (${count} left out)\n`);
    }
    const dependents = [...skippedByStack.entries()].flatMap(([name, blocks]) => blocks.filter((block) => block.reason.startsWith('refers to')).map((block) => `${name}: ${block.address} ${block.reason}`));
    for (const line of dependents) process.stdout.write(`   ${line}\n`);

    const planned = outcomes.reduce((sum, outcome) => sum + outcome.planned, 0);
    const applied = outcomes.reduce((sum, outcome) => sum + outcome.applied, 0);
    const share = planned === 0 ? 0 : applied / planned;
    process.stdout.write(`applied ${applied} of ${planned} resources (${(share * 100).toFixed(1)}%; at least ${MIN_APPLIED_SHARE * 100}% required)\n`);
    failed = outcomes.some((outcome) => !outcome.applyOk || !outcome.secondPlanEmpty) || (!only && share < MIN_APPLIED_SHARE);

    if (!flags['no-audit']) {
      const audit = runAudit({
        endpoint: emulator.endpoint,
        proxy: emulator.proxy,
        workDir,
        accounts: names.map((name, index) => ({ name, id: organization.accountIds[name], role: (['management', 'log-archive', 'security'] as const)[index] ?? 'member' })),
        roleName: config.deployment.roleName,
        regions: config.regions.enabled,
        flags,
      });
      if (!audit.ok) failed = true;
    }
  } finally {
    await emulator?.stop();
    if (flags.keep) process.stdout.write(`working directory kept: ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(`rehearsal ${failed ? 'FAILED' : 'passed'} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  return failed ? 1 : 0;
}

/** The error blocks of a failed apply, without the progress lines. */
function errorsOf(output: string): string {
  const lines = output.split('\n');
  const waiting = stillWaitingFor(output);
  const errors = lines.filter((line, index, lines) => line.startsWith('Error:') || (index > 0 && lines.slice(Math.max(0, index - 6), index).some((before) => before.startsWith('Error:'))));
  const waitingLines = waiting.length > 0 ? [`still waiting for: ${waiting.join(', ')}`] : [];
  return errors.length > 0 ? [...errors.slice(0, 200), ...waitingLines].join('\n') : [tail(output, 60), ...waitingLines].join('\n');
}

/** The resources a plan would change, one line each. */
function changesOf(output: string): string {
  const lines = output.split('\n').filter((line) => /^\s+# .* (will|must) be/.test(line) || /^\s+[~+-] /.test(line) || line.startsWith('Plan:'));
  return lines.slice(0, 120).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `         | ${line}`)
    .join('\n');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`rehearse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
