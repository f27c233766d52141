import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineNames } from '../../lib/naming';
import { BASELINE_RULES } from '../../lib/rules';
import { addressChanges } from '../../tools/report/address-changes';
import { cisCoverage } from '../../tools/report/cis-coverage';
import { type CurrentBaseline, synthesizeCurrent } from '../../tools/report/current-synth';
import { logFlowDiagram } from '../../tools/report/log-flow-diagram';
import { renderMarkdown } from '../../tools/report/markdown';
import { resourceCounts } from '../../tools/report/resource-counts';
import type { SynthesizedStacks } from '../../tools/report/synthesized-stacks';
import { configWith, exampleConfig, PROJECT_ROOT, synthStack } from '../helpers';

/** The address of the one resource of a type in a stack that matches. */
function addressWhere(stacks: SynthesizedStacks, stack: string, type: string, match: (config: Record<string, unknown>) => boolean): string {
  const found = Object.entries(stacks[stack].resource?.[type] ?? {}).filter(([, config]) => match(config));
  expect(found).toHaveLength(1);
  return `${type}.${found[0][0]}`;
}

describe('the pull-request report', () => {
  const config = exampleConfig();
  let example: CurrentBaseline;
  let markdown: string;

  beforeAll(() => {
    example = synthesizeCurrent(config);
    markdown = renderMarkdown({
      counts: resourceCounts(example.stacks),
      coverage: cisCoverage(example.stacks, config, example.findings),
      rules: BASELINE_RULES,
      findings: example.findings,
      diagram: logFlowDiagram(example.stacks, config),
    });
  });

  it('counts the resources of every stack by type', () => {
    const counts = resourceCounts(example.stacks);
    expect(Object.keys(counts).sort()).toEqual(Object.keys(example.stacks).sort());
    for (const [stack, byType] of Object.entries(counts)) {
      for (const [type, n] of Object.entries(byType)) expect(Object.keys(example.stacks[stack].resource![type])).toHaveLength(n);
    }
    expect(markdown).toContain('## Resources by stack');
  });

  it('has a CIS coverage table whose rows name the resources that meet each item', () => {
    const coverage = cisCoverage(example.stacks, config, example.findings);
    expect(markdown).toContain('| item | CIS 5.0 | control | status | how it is met | Prowler checks | resources |');
    const trailItem = coverage.find((row) => row.control === '3.2')!;
    const trail = addressWhere(example.stacks, BaselineNames.managementStack, 'aws_cloudtrail', () => true);
    expect(trailItem).toMatchObject({ status: 'met', resources: [`management: ${trail}`] });
    const rootUsage = coverage.find((row) => row.control === '4.3')!;
    expect(rootUsage.status).toBe('met');
    expect(rootUsage.resources).toHaveLength(2);
  });

  it('shows an item as not met when the configuration turns it off', () => {
    const quiet = configWith((input) => {
      input.monitoring = { alarms: { 'root-account-usage': { enabled: false } } } as never;
    });
    const stacks = { ...example.stacks };
    delete (stacks as Record<string, unknown>).management;
    const row = cisCoverage(stacks, quiet, []).find((candidate) => candidate.control === '4.3')!;
    expect(row.status).toBe('not met');
    expect(row.gaps).toContain('monitoring.alarms.root-account-usage.enabled is false');
  });

  it('finds the example meeting every policy rule', () => {
    const failures = example.findings.filter((finding) => finding.status === 'fail').map((finding) => `${finding.ruleId} ${finding.stack}: ${finding.address}: ${finding.problems.join('; ')}`);
    expect(failures).toEqual([]);
    expect(example.findings.length).toBeGreaterThan(0);
  });

  it('counts a regional item met where a resource covers each region through a literal for_each set', () => {
    const regions = config.regions.enabled;
    const rule = (identifier: string, forEach: string) => ({ for_each: forEach, region: '${each.value}', source: { owner: 'AWS', source_identifier: identifier } });
    const stacks = Object.fromEntries(
      Object.keys(example.stacks)
        .filter((name) => name.startsWith('account-'))
        .map((name) => [name, { resource: { aws_config_config_rule: { Ssh: rule('INCOMING_SSH_DISABLED', `\${toset(${JSON.stringify(regions)})}`), Nacl: rule('NACL_NO_UNRESTRICTED_SSH_RDP', '${toset(["eu-west-1"])}') } } }]),
    );
    const coverage = cisCoverage(stacks, config, []);
    expect(coverage.find((row) => row.control === '5.2')!.status).toBe('met');
    const nacl = coverage.find((row) => row.control === '5.1')!;
    expect(nacl.status).toBe('partial');
    expect(nacl.gaps).toContain('account-management: no aws_config_config_rule in us-east-1');
  });

  it('lists the policy-rule results', () => {
    for (const rule of BASELINE_RULES) expect(markdown).toContain(`\`${rule.id}\``);
    expect(markdown).toContain('### Acknowledgements');
  });

  it('draws the accounts and log flows as a Mermaid flowchart', () => {
    expect(markdown).toMatch(/```mermaid\nflowchart LR\n/);
    const diagram = logFlowDiagram(example.stacks, config);
    expect(diagram).toContain(`subgraph logArchive["log-archive ${config.accounts.logArchive.id}"]`);
    expect(diagram).toContain('trail -->|"API calls of every account"| logBucket');
    // The detection drill, from the canary read to the heartbeat alarm.
    expect(diagram).toContain('drill["Detection drill: canary read every 24 h"]');
    expect(diagram).toContain('heartbeat["1 drill heartbeat alarm"]');
    expect(diagram).toContain('drill -->|"read as the drill role"| s3Events');
    expect(diagram).toContain('heartbeat -->|"no drill in time"| findingsTopic');
    // The management stack has alarms besides the CIS ones; the diagram counts the CIS ones.
    expect(diagram).toContain('alarms["15 CIS alarms"]');
    // Without the stacks' resources there is nothing to draw a flow between.
    expect(logFlowDiagram({}, config)).not.toContain('-->');
  });

  describe('against a base', () => {
    // One stack per changed configuration keeps the test fast; the settings changed touch the management stack only.
    const management = (input: Parameters<typeof configWith>[0]) => ({ management: synthStack('management', configWith(input)) as SynthesizedStacks[string] });
    const base = () => ({ management: synthStack('management', config) as SynthesizedStacks[string] });

    it('lists exactly the changed address when one setting changes', () => {
      const before = base();
      const after = management((input) => {
        input.trail = { ...(input.trail ?? {}), cloudWatchLogsRetentionDays: 731 } as never;
      });
      const logGroup = addressWhere(example.stacks, BaselineNames.managementStack, 'aws_cloudwatch_log_group', (group) => group.name === new BaselineNames(config).trailLogGroupName);
      expect(addressChanges(before, after)).toEqual([{ stack: 'management', stackStatus: 'kept', added: [], removed: [], changed: [logGroup], settingsChanged: false }]);
      expect(addressChanges(before, before)).toEqual([]);
    });

    it('lists the removed addresses when an alarm is turned off', () => {
      const after = management((input) => {
        input.monitoring = { alarms: { 'root-account-usage': { enabled: false } } } as never;
      });
      const filter = addressWhere(example.stacks, 'management', 'aws_cloudwatch_log_metric_filter', (f) => (f.metric_transformation as { name: string }).name === 'RootAccountUsage');
      const alarm = addressWhere(example.stacks, 'management', 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'RootAccountUsage');
      expect(addressChanges(base(), after)).toEqual([
        { stack: 'management', stackStatus: 'kept', added: [], removed: [filter, alarm].sort(), changed: [], settingsChanged: false },
      ]);
    });
  });

  it('lists every organization control with its CIS items and the Prowler checks that verify it', () => {
    const coverage = cisCoverage(example.stacks, config, example.findings);
    const row = (title: RegExp) => coverage.find((candidate) => title.test(candidate.title))!;
    expect(row(/root credentials removed centrally/)).toMatchObject({
      control: '1.4',
      cis5: '1.3',
      status: 'met',
      prowler: ['iam_root_credentials_management_enabled', 'iam_no_root_access_key'],
    });
    expect(row(/EBS snapshots cannot be shared publicly/)).toMatchObject({ status: 'met', prowler: ['ec2_ebs_snapshot_account_block_public_access', 'ec2_ebs_public_snapshot'] });
    for (const title of [/AMIs cannot/, /serial console/, /VPC Block Public Access/, /Internal access findings/, /every region, new regions included/, /no data events on the log archive/]) {
      expect(row(title).status).toBe('met');
    }
    // Off by default (billed): reported, not hidden.
    expect(row(/Runtime Monitoring/).status).toBe('not met');
    expect(row(/Malware Protection for S3/)).toMatchObject({ status: 'not met', gaps: [expect.stringContaining('s3MalwareProtection.buckets')] });
    // IMDSv2 stays met though member accounts now get it from the declarative policy.
    expect(row(/only allows IMDSv2/)).toMatchObject({ status: 'met', gaps: [] });
    expect(markdown).toContain('| 1.4 | 1.3 | No root user access keys');
    expect(markdown).toMatch(/\| — \| — \| EC2 serial console access is off \| ✅ met \| [^|]+ \| — \|/);
  });
});

describe('the report of a data-events-only trail', () => {
  const dataEventsOnly = (logGroupName?: string) =>
    configWith((input) => {
      input.trail = { mode: 'data-events-only' };
      if (logGroupName) input.monitoring = { logGroupName };
    });

  it('does not count the baseline\'s trail for CIS 3.1, which asks for management events', () => {
    const config = dataEventsOnly('aws-controltower/CloudTrailLogs');
    const stacks = { management: synthStack('management', config) as SynthesizedStacks[string] };
    const row = cisCoverage(stacks, config, []).find((candidate) => candidate.control === '3.1')!;
    expect(row.status).toBe('not met');
    expect(row.resources).toEqual([]);
    expect(row.gaps[0]).toMatch(/^trail.mode is "data-events-only": the baseline's trail logs no management events/);
    // The full trail does meet it.
    const full = { management: synthStack('management', exampleConfig()) as SynthesizedStacks[string] };
    expect(cisCoverage(full, exampleConfig(), []).find((candidate) => candidate.control === '3.1')!.status).toBe('met');
  });

  it('shows the alarms fed by the named log group of another trail, and none without it', () => {
    const watched = dataEventsOnly('aws-controltower/CloudTrailLogs');
    const stacks = { management: synthStack('management', watched) as SynthesizedStacks[string] };
    const diagram = logFlowDiagram(stacks, watched);
    expect(diagram).toContain('trailLogs["CloudWatch Logs aws-controltower/CloudTrailLogs (management events of another trail)"]');
    expect(diagram).toContain('trailLogs -->|"metric filters"| alarms');
    const rootUsage = cisCoverage(stacks, watched, []).find((row) => row.control === '4.3')!;
    expect(rootUsage.how).toContain('the log group aws-controltower/CloudTrailLogs of the trail that logs management events');

    const unwatched = dataEventsOnly();
    const bare = { management: synthStack('management', unwatched) as SynthesizedStacks[string] };
    expect(logFlowDiagram(bare, unwatched)).not.toContain('CIS alarms');
    expect(logFlowDiagram(bare, unwatched)).not.toContain('metric filters');
    const row = cisCoverage(bare, unwatched, []).find((candidate) => candidate.control === '4.3')!;
    expect(row).toMatchObject({ status: 'not met', resources: [] });
    expect(row.gaps).toEqual(['trail.mode is "data-events-only" and monitoring.logGroupName is not set: no log group of management events to watch']);
  });
});

describe('addressChanges', () => {
  const stack = (resources: Record<string, Record<string, Record<string, unknown>>>, extra: Record<string, unknown> = {}) => ({ resource: resources, ...extra });

  it('tells added, removed and changed resources apart and ignores construct paths', () => {
    const base = { a: stack({ aws_s3_bucket: { B: { bucket: 'b', '//': { metadata: { path: 'a/Old/B' } } }, Gone: { bucket: 'g' } } }) };
    const current = { a: stack({ aws_s3_bucket: { B: { bucket: 'b', '//': { metadata: { path: 'a/New/B' } } }, New: { bucket: 'n' } }, aws_kms_key: { K: { description: 'k' } } }) };
    expect(addressChanges(base, current)).toEqual([
      { stack: 'a', stackStatus: 'kept', added: ['aws_kms_key.K', 'aws_s3_bucket.New'], removed: ['aws_s3_bucket.Gone'], changed: [], settingsChanged: false },
    ]);
    const edited = { a: stack({ aws_s3_bucket: { B: { bucket: 'renamed' }, Gone: { bucket: 'g' } } }) };
    expect(addressChanges(base, edited)[0].changed).toEqual(['aws_s3_bucket.B']);
  });

  it('reports whole stacks added or removed, and backend changes', () => {
    const one = stack({ aws_s3_bucket: { B: {} } }, { terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
    const moved = stack({ aws_s3_bucket: { B: {} } }, { terraform: { backend: { s3: { bucket: 'state' } } } });
    expect(addressChanges({ a: one }, { b: one }).map((c) => [c.stack, c.stackStatus, c.added, c.removed])).toEqual([
      ['a', 'removed', [], ['aws_s3_bucket.B']],
      ['b', 'added', ['aws_s3_bucket.B'], []],
    ]);
    expect(addressChanges({ a: one }, { a: moved })).toEqual([{ stack: 'a', stackStatus: 'kept', added: [], removed: [], changed: [], settingsChanged: true }]);
  });
});

describe('npm run report', () => {
  it('writes the markdown and prints a summary, with the changes against a base output directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
    // A base with one stack holding one resource: every current resource of that stack is new, the rest are new stacks.
    mkdirSync(path.join(dir, 'base', 'stacks', 'log-archive'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'stacks', 'log-archive', 'cdk.tf.json'), JSON.stringify({ resource: { aws_s3_bucket: { Retired: { bucket: 'retired' } } } }));
    const markdown = path.join(dir, 'report.md');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/report.ts', '--base', path.join(dir, 'base'), '--markdown', markdown], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BASELINE_CONFIG: '', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^\d+ stacks, \d+ resources\npolicy rules: \d+ passed, \d+ failed, \d+ acknowledged\n/);
    expect(run.stdout).toMatch(/changes against directory .*base: \d+ addresses added, 1 removed, 0 changed/);
    const text = readFileSync(markdown, 'utf8');
    expect(text).toContain('```diff\n- aws_s3_bucket.Retired\n```');
    expect(text).toContain('### management (stack added)');
    expect(text).toContain('## CIS AWS Foundations Benchmark coverage');
    expect(text).toContain('```mermaid');
  }, 60000);

  const report = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'tools/report.ts', ...args], {
      cwd,
      env: { ...process.env, BASELINE_CONFIG: '', CHECKPOINT_DISABLE: '1', INIT_CWD: cwd, ...env },
      encoding: 'utf8',
    });

  it('checks the markdown path and the flags before any synth', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
    try {
      const missing = path.join(dir, 'no-such-dir', 'report.md');
      const unwritable = report(PROJECT_ROOT, ['--markdown', missing]);
      expect(unwritable.status).toBe(1);
      expect(unwritable.stderr).toBe(`Cannot write the report to ${missing}: the directory ${path.dirname(missing)} does not exist. Nothing was synthesized.\n`);
      const directory = report(PROJECT_ROOT, ['--markdown', dir]);
      expect(directory.stderr).toContain(`${dir} is a directory`);
      const typo = report(PROJECT_ROOT, ['--bsae-ref', 'main']);
      expect(typo.status).toBe(2);
      expect(typo.stderr).toContain('unknown flag --bsae-ref; did you mean --base-ref?');
      const bare = report(PROJECT_ROOT, ['--base-ref']);
      expect(bare.stderr).toContain('--base-ref needs a value: --base-ref <ref>');
      expect(report(PROJECT_ROOT, ['--help']).stdout).toMatch(/^Usage: npm run report -- \[flags\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('synthesizes the base of --base-ref from the configuration file as it was at that ref', () => {
    // A repository of its own: the configuration is committed, then a member account is added in the working tree.
    const repo = mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
    try {
      for (const entry of ['main.ts', 'package.json', 'tsconfig.json', 'cdktf.json', 'config', 'lib', 'stacks', 'functions', 'tools/report', 'tools/report.ts', 'tools/command-line']) {
        cpSync(path.join(PROJECT_ROOT, entry), path.join(repo, entry), { recursive: true });
      }
      symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
      writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
      const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'example.json'), 'utf8'));
      writeFileSync(path.join(repo, 'org.json'), JSON.stringify(config, null, 2));
      const git = (...args: string[]) => {
        const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
        expect(result.stderr + (result.status === 0 ? '' : 'failed')).not.toContain('failed');
      };
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'base');
      config.accounts.members.push({ name: 'workload-new', id: '999999999999' });
      writeFileSync(path.join(repo, 'org.json'), JSON.stringify(config, null, 2));
      const markdown = path.join(repo, 'report.md');
      const run = report(repo, ['--base-ref', 'HEAD', '--markdown', markdown], { BASELINE_CONFIG: 'org.json' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('changes against git ref HEAD, configuration org.json as it was there:');
      expect(run.stdout).not.toMatch(/: 0 addresses added/);
      expect(readFileSync(markdown, 'utf8')).toContain('### account-workload-new (stack added)');
      expect(existsSync(path.join(repo, 'cdktf.out'))).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 90000);
});
