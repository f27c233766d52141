import { type BaselineConfig, CIS_ALARM_IDS } from '../../config/schema';
import { cisMetricFilters } from '../../lib/monitoring/cis-filters';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import type { RuleFinding } from '../../lib/rules';
import { block, blocks } from '../../lib/rules/stack-resources';
import { addressesOf, type SynthesizedStacks } from './synthesized-stacks';

/** How one CIS item is met by the synthesized stacks. */
export interface CoverageRow {
  /** Item number in CIS AWS Foundations Benchmark v3.0.0. */
  readonly control: string;
  readonly title: string;
  /** How the baseline meets it. */
  readonly how: string;
  /** `met`: everywhere it should be; `partial`: somewhere, with gaps; `not met`: nowhere. */
  readonly status: 'met' | 'partial' | 'not met';
  /** The resources that meet it, as `<stack>: <address>`. */
  readonly resources: readonly string[];
  /** Where it is missing or why it is only partly met. */
  readonly gaps: readonly string[];
}

interface Located {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
}

interface Evidence {
  readonly resources: string[];
  readonly gaps: string[];
}

interface CoverageContext {
  readonly stacks: SynthesizedStacks;
  readonly config: BaselineConfig;
  readonly findings: readonly RuleFinding[];
}

function located(stacks: SynthesizedStacks, type: string, stackNames = Object.keys(stacks)): Located[] {
  return stackNames.flatMap((stack) =>
    stacks[stack]
      ? [...addressesOf(stacks[stack]).entries()]
          .filter(([address]) => address.startsWith(`${type}.`))
          .map(([address, config]) => ({ stack, address, type, config: config as Record<string, unknown> }))
      : [],
  );
}

const label = (resource: Located | RuleFinding) => `${resource.stack}: ${resource.address}`;
const accountStacks = (config: BaselineConfig) => organizationAccounts(config).map((account) => BaselineNames.accountStack(account.name));

/** In every account stack: one resource of the type meeting the predicate. */
function inEveryAccount(context: CoverageContext, type: string, predicate: (config: Record<string, unknown>) => boolean): Evidence {
  const found = located(context.stacks, type, accountStacks(context.config)).filter((resource) => predicate(resource.config));
  const gaps = accountStacks(context.config).filter((stack) => !found.some((resource) => resource.stack === stack));
  return { resources: found.map(label), gaps: gaps.map((stack) => `${stack}: no ${type}`) };
}

const LITERAL_SET = /^\$\{toset\((\[[^\]]*\])\)\}$/;

/** The regions a resource is created in: its own `region`, or each of a literal `for_each` set it takes it from. */
function regionsOf(config: Record<string, unknown>, home: string): string[] {
  const region = config.region ?? home;
  if (region !== '${each.value}') return [String(region)];
  const set = LITERAL_SET.exec(String(config.for_each ?? ''));
  if (!set) return [];
  try {
    return (JSON.parse(set[1]) as unknown[]).map(String);
  } catch {
    return [];
  }
}

/** In every account stack and enabled region: a resource of the type meeting the predicate. */
function inEveryAccountAndRegion(context: CoverageContext, type: string, predicate: (config: Record<string, unknown>) => boolean = () => true): Evidence {
  const found = located(context.stacks, type, accountStacks(context.config)).filter((resource) => predicate(resource.config));
  const gaps: string[] = [];
  for (const stack of accountStacks(context.config)) {
    for (const region of context.config.regions.enabled) {
      const here = found.some((resource) => resource.stack === stack && regionsOf(resource.config, context.config.regions.home).includes(region));
      if (!here) gaps.push(`${stack}: no ${type} in ${region}`);
    }
  }
  return { resources: found.map(label), gaps };
}

/** Every resource a policy rule judges, passing it. */
function byRule(context: CoverageContext, ruleId: string): Evidence {
  const findings = context.findings.filter((finding) => finding.ruleId === ruleId);
  return {
    resources: findings.filter((finding) => finding.status === 'pass').map(label),
    gaps: findings.filter((finding) => finding.status !== 'pass').map((finding) => `${label(finding)} (${finding.status})`),
  };
}

function merge(...evidence: Evidence[]): Evidence {
  return { resources: evidence.flatMap((item) => item.resources), gaps: evidence.flatMap((item) => item.gaps) };
}

const trails = (context: CoverageContext) => located(context.stacks, 'aws_cloudtrail');

/** A trail check: met when some trail has the property. */
function trailWith(context: CoverageContext, predicate: (config: Record<string, unknown>) => boolean, missing: string): Evidence {
  const found = trails(context).filter((trail) => predicate(trail.config));
  return { resources: found.map(label), gaps: found.length ? [] : [missing] };
}

/** S3 object data events in the trail's selectors, for reads or writes; scoped selectors make it partial. */
function s3DataEvents(context: CoverageContext, kind: 'read' | 'write'): Evidence {
  const resources: string[] = [];
  const gaps: string[] = [];
  for (const trail of trails(context)) {
    for (const selector of blocks(trail.config.advanced_event_selector)) {
      const fields = blocks(selector.field_selector);
      const field = (name: string) => fields.find((candidate) => candidate.field === name);
      const s3Objects = (field('resources.type')?.equals as string[] | undefined)?.includes('AWS::S3::Object');
      const readOnly = (field('readOnly')?.equals as string[] | undefined) ?? [];
      const covers = kind === 'read' ? !readOnly.includes('false') : !readOnly.includes('true');
      if (!s3Objects || !covers) continue;
      resources.push(label(trail));
      const scope = field('resources.ARN');
      if (scope) gaps.push(`scoped to ${[...((scope.starts_with ?? scope.equals ?? []) as string[])].join(', ')} (detector.monitoredBuckets), not every bucket`);
    }
    for (const selector of blocks(trail.config.event_selector)) {
      const s3 = blocks(selector.data_resource).some((resource) => resource.type === 'AWS::S3::Object');
      const mode = String(selector.read_write_type ?? 'All');
      if (s3 && (mode === 'All' || mode === (kind === 'read' ? 'ReadOnly' : 'WriteOnly'))) resources.push(label(trail));
    }
  }
  return { resources: [...new Set(resources)], gaps: resources.length ? [...new Set(gaps)] : ['no trail selector records S3 object-level events'] };
}

/** The CIS monitoring items: a metric filter on the trail's log group and an alarm with an action on its metric. */
function monitoringRows(context: CoverageContext): CoverageRow[] {
  const { config } = context;
  const everyFilter = cisMetricFilters({
    ...config,
    monitoring: { ...config.monitoring, alarms: Object.fromEntries(CIS_ALARM_IDS.map((id) => [id, { ...config.monitoring.alarms[id], enabled: true }])) as typeof config.monitoring.alarms },
  });
  const filters = located(context.stacks, 'aws_cloudwatch_log_metric_filter');
  const alarms = located(context.stacks, 'aws_cloudwatch_metric_alarm');
  return everyFilter.map((item): CoverageRow => {
    const filter = filters.find((candidate) => {
      const metric = block(candidate.config.metric_transformation);
      return metric?.name === item.metricName && metric?.namespace === config.monitoring.metricNamespace;
    });
    const alarm = alarms.find(
      (candidate) =>
        candidate.config.metric_name === item.metricName &&
        candidate.config.namespace === config.monitoring.metricNamespace &&
        (candidate.config.alarm_actions as unknown[] | undefined)?.length,
    );
    const enabled = config.monitoring.alarms[item.id].enabled;
    const gaps = [
      ...(enabled ? [] : [`monitoring.alarms.${item.id}.enabled is false`]),
      ...(enabled && !filter ? ['no metric filter'] : []),
      ...(enabled && !alarm ? ['no alarm with an action'] : []),
    ];
    const resources = [filter, alarm].filter((resource): resource is Located => !!resource).map(label);
    return {
      control: item.control.replace(/^CIS 5\./, '4.'),
      title: `Monitoring: ${item.title}`,
      how: `Metric filter on the organization trail's log group (CIS pattern) and an alarm to the notification topic`,
      status: resources.length === 0 ? 'not met' : gaps.length ? 'partial' : 'met',
      resources,
      gaps,
    };
  });
}

interface ControlDefinition {
  readonly control: string;
  readonly title: string;
  readonly how: string;
  evidence(context: CoverageContext): Evidence;
}

const CONFIG_RULE = (identifier: string) => (config: Record<string, unknown>) => block(config.source)?.source_identifier === identifier;

/** The Config rule that reports a loosened password policy: supporting evidence, not required to meet the item. */
const passwordDriftRule = (context: CoverageContext): Evidence => ({
  resources: located(context.stacks, 'aws_config_config_rule', accountStacks(context.config)).filter((rule) => CONFIG_RULE('IAM_PASSWORD_POLICY')(rule.config)).map(label),
  gaps: [],
});

const CONTROLS: readonly ControlDefinition[] = [
  {
    control: '1.8',
    title: 'IAM password policy requires at least 14 characters',
    how: 'Account password policy in every account; drift reported by the AWS Config rule IAM_PASSWORD_POLICY',
    evidence: (context) =>
      merge(inEveryAccount(context, 'aws_iam_account_password_policy', (config) => Number(config.minimum_password_length) >= 14), passwordDriftRule(context)),
  },
  {
    control: '1.9',
    title: 'IAM password policy prevents password reuse',
    how: 'Account password policy remembers 24 passwords; drift reported by the AWS Config rule IAM_PASSWORD_POLICY',
    evidence: (context) =>
      merge(inEveryAccount(context, 'aws_iam_account_password_policy', (config) => Number(config.password_reuse_prevention) >= 24), passwordDriftRule(context)),
  },
  {
    control: '1.14',
    title: 'Access keys are rotated every 90 days or less',
    how: 'Detected by the AWS Config rule ACCESS_KEYS_ROTATED (90 days) in every account',
    evidence: (context) => inEveryAccount(context, 'aws_config_config_rule', CONFIG_RULE('ACCESS_KEYS_ROTATED')),
  },
  {
    control: '1.15',
    title: 'IAM users receive permissions only through groups',
    how: 'Detected by the AWS Config rule IAM_USER_NO_POLICIES_CHECK in every account',
    evidence: (context) => inEveryAccount(context, 'aws_config_config_rule', CONFIG_RULE('IAM_USER_NO_POLICIES_CHECK')),
  },
  {
    control: '1.16',
    title: 'No IAM policy allowing full "*:*" administrative privileges is attached',
    how: 'Detected by the AWS Config rule IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS in every account',
    evidence: (context) => {
      const found = inEveryAccount(context, 'aws_config_config_rule', CONFIG_RULE('IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS'));
      // The rule reads customer-managed policies only: an inline "*:*" policy goes unseen, so the item is partly met.
      return found.resources.length ? { ...found, gaps: [...found.gaps, 'inline policies are not evaluated by the rule'] } : found;
    },
  },
  {
    control: '1.17',
    title: 'A support role manages incidents with AWS Support',
    how: 'Role with AWSSupportAccess in every account',
    evidence: (context) =>
      inEveryAccount(context, 'aws_iam_role_policy_attachment', (config) => /:iam::aws:policy\/AWSSupportAccess$/.test(String(config.policy_arn))),
  },
  {
    control: '1.20',
    title: 'IAM Access Analyzer is enabled in all regions',
    how: 'Account analyzer in every account and enabled region (and organization analyzers in the security account)',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_accessanalyzer_analyzer'),
  },
  {
    control: '2.1.1',
    title: 'S3 bucket policies deny HTTP requests',
    how: 'Every bucket policy denies aws:SecureTransport = false (policy rule S3.TlsOnly)',
    evidence: (context) => byRule(context, 'S3.TlsOnly'),
  },
  {
    control: '2.1.4',
    title: 'S3 Block Public Access on buckets and accounts',
    how: 'Account-level block in every account, bucket-level block on every bucket (policy rule S3.PublicAccessBlocked)',
    evidence: (context) =>
      merge(
        inEveryAccount(context, 'aws_s3_account_public_access_block', (config) =>
          ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((name) => config[name] === true),
        ),
        byRule(context, 'S3.PublicAccessBlocked'),
      ),
  },
  {
    control: '2.2.1',
    title: 'EBS volume encryption is enabled by default',
    how: 'EBS encryption by default in every account and enabled region',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_ebs_encryption_by_default', (config) => config.enabled === true),
  },
  {
    control: '3.1',
    title: 'CloudTrail is enabled in all regions',
    how: 'Organization trail, multi-region, management events',
    evidence: (context) => trailWith(context, (config) => config.is_multi_region_trail === true && config.enable_logging !== false, 'no multi-region trail'),
  },
  {
    control: '3.2',
    title: 'CloudTrail log file validation is enabled',
    how: 'Log file validation on the organization trail',
    evidence: (context) => trailWith(context, (config) => config.enable_log_file_validation === true, 'no trail validates its log files'),
  },
  {
    control: '3.3',
    title: 'AWS Config is enabled in all regions',
    how: 'Recorder (global types in the home region only) and delivery channel in every account and enabled region',
    evidence: (context) =>
      merge(inEveryAccountAndRegion(context, 'aws_config_configuration_recorder'), inEveryAccountAndRegion(context, 'aws_config_configuration_recorder_status', (config) => config.is_enabled === true)),
  },
  {
    control: '3.4',
    title: 'Server access logging on the CloudTrail bucket',
    how: 'The log bucket sends its server access logs to the access-log bucket',
    evidence: (context) => {
      const names = new Set(trails(context).map((trail) => trail.config.s3_bucket_name));
      const buckets = located(context.stacks, 'aws_s3_bucket').filter((bucket) => names.has(bucket.config.bucket));
      const logging = located(context.stacks, 'aws_s3_bucket_logging').filter((settings) =>
        buckets.some((bucket) => settings.stack === bucket.stack && (settings.config.bucket === `\${${bucket.address}.id}` || settings.config.bucket === `\${${bucket.address}.bucket}` || settings.config.bucket === bucket.config.bucket)),
      );
      return { resources: logging.map(label), gaps: logging.length ? [] : ['no aws_s3_bucket_logging on the trail bucket'] };
    },
  },
  {
    control: '3.5',
    title: 'CloudTrail logs are encrypted with KMS CMKs',
    how: 'The trail writes with the log archive key',
    evidence: (context) => trailWith(context, (config) => typeof config.kms_key_id === 'string' && config.kms_key_id !== '', 'no trail sets kms_key_id'),
  },
  {
    control: '3.6',
    title: 'Rotation is enabled for customer-managed KMS keys',
    how: 'Every key rotates (policy rule KMS.Rotation)',
    evidence: (context) => byRule(context, 'KMS.Rotation'),
  },
  {
    control: '3.7',
    title: 'VPC flow logging is enabled in all VPCs',
    how: 'Flow logs for every VPC of every account and enabled region, to the log archive bucket',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_flow_log'),
  },
  {
    control: '3.8',
    title: 'Object-level logging for write events is enabled for S3 buckets',
    how: 'Trail data-event selectors for S3 objects',
    evidence: (context) => s3DataEvents(context, 'write'),
  },
  {
    control: '3.9',
    title: 'Object-level logging for read events is enabled for S3 buckets',
    how: 'Trail data-event selectors for S3 objects',
    evidence: (context) => s3DataEvents(context, 'read'),
  },
  {
    control: '4.16',
    title: 'AWS Security Hub is enabled',
    how: 'Security Hub administered for the organization from the security account',
    evidence: (context) => {
      const found = ['aws_securityhub_account', 'aws_securityhub_organization_configuration', 'aws_securityhub_organization_admin_account'].flatMap((type) => located(context.stacks, type));
      return { resources: found.map(label), gaps: found.length ? [] : ['no Security Hub resource'] };
    },
  },
  {
    control: '5.1',
    title: 'No network ACL allows ingress from 0.0.0.0/0 to admin ports',
    how: 'Detected by the AWS Config rule NACL_NO_UNRESTRICTED_SSH_RDP in every account and region',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_config_config_rule', CONFIG_RULE('NACL_NO_UNRESTRICTED_SSH_RDP')),
  },
  {
    control: '5.2',
    title: 'No security group allows ingress from 0.0.0.0/0 to admin ports',
    how: 'Detected by the AWS Config rules INCOMING_SSH_DISABLED and RESTRICTED_INCOMING_TRAFFIC',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_config_config_rule', (config) => CONFIG_RULE('RESTRICTED_INCOMING_TRAFFIC')(config) || CONFIG_RULE('INCOMING_SSH_DISABLED')(config)),
  },
  {
    control: '5.4',
    title: 'The default security group of every VPC restricts all traffic',
    how: 'Default security groups with no rules in every account and region (and the Config rule VPC_DEFAULT_SECURITY_GROUP_CLOSED)',
    evidence: (context) =>
      inEveryAccountAndRegion(
        context,
        'aws_default_security_group',
        (config) => Array.isArray(config.ingress) && config.ingress.length === 0 && Array.isArray(config.egress) && config.egress.length === 0,
      ),
  },
  {
    control: '5.6',
    title: 'EC2 metadata service only allows IMDSv2',
    how: 'Instance metadata defaults require tokens in every account and region',
    evidence: (context) => inEveryAccountAndRegion(context, 'aws_ec2_instance_metadata_defaults', (config) => config.http_tokens === 'required'),
  },
];

/** The CIS items in the baseline's scope, each with how it is met and the synthesized resources that meet it. */
export function cisCoverage(stacks: SynthesizedStacks, config: BaselineConfig, findings: readonly RuleFinding[]): CoverageRow[] {
  const context: CoverageContext = { stacks, config, findings };
  const rows = CONTROLS.map((definition): CoverageRow => {
    const { resources, gaps } = definition.evidence(context);
    return {
      control: definition.control,
      title: definition.title,
      how: definition.how,
      status: resources.length === 0 ? 'not met' : gaps.length ? 'partial' : 'met',
      resources: [...new Set(resources)],
      gaps,
    };
  });
  const monitoring = monitoringRows(context);
  const order = (control: string) => control.split('.').map((part) => part.padStart(3, '0')).join('.');
  return [...rows, ...monitoring].sort((a, b) => order(a.control).localeCompare(order(b.control)));
}
