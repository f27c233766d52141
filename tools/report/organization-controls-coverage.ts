import type { BaselineConfig } from '../../config/schema';
import { detectorDeployed } from '../../lib/detector/monitored-buckets';
import { declarativePolicySetsImdsDefaults, EC2_DECLARATIVE_POLICY_TYPE } from '../../lib/guardrails/ec2-declarative-policy';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import type { RuleFinding } from '../../lib/rules';
import { block, blocks } from '../../lib/rules/stack-resources';
import { addressesOf, type SynthesizedStacks } from './synthesized-stacks';

/*
 * The organization controls in the coverage table: how each is met in the synthesized stacks, the CIS items (v3.0.0
 * as the rest of the table, and v5.0.0) where the benchmark has one, and the Prowler checks that verify it in a live
 * organization. Check ids and CIS mappings are those of prowler-cloud/prowler (prowler/compliance/aws/cis_3.0_aws.json
 * and cis_5.0_aws.json, 2026-08); "—" where Prowler has no check for the control.
 */

export interface Evidence {
  readonly resources: string[];
  readonly gaps: string[];
}

export interface OrganizationControl {
  /** CIS v3.0.0 item, or "—" when the benchmark has none. */
  readonly control: string;
  /** CIS v5.0.0 item, or "—". */
  readonly cis5: string;
  readonly title: string;
  readonly how: string;
  readonly prowler: readonly string[];
  evidence(stacks: SynthesizedStacks, config: BaselineConfig, findings: readonly RuleFinding[]): Evidence;
}

interface Located {
  readonly label: string;
  readonly stack: string;
  readonly config: Record<string, unknown>;
}

function located(stacks: SynthesizedStacks, type: string): Located[] {
  return Object.entries(stacks).flatMap(([stack, json]) =>
    [...addressesOf(json).entries()]
      .filter(([address]) => address.startsWith(`${type}.`))
      .map(([address, config]) => ({ label: `${stack}: ${address}`, stack, config: config as Record<string, unknown> })),
  );
}

const found = (resources: Located[], missing: string): Evidence => ({ resources: resources.map((resource) => resource.label), gaps: resources.length ? [] : [missing] });

/** The EC2 declarative policies with their parsed content. */
function declarativePolicies(stacks: SynthesizedStacks): (Located & { attributes: Record<string, Record<string, unknown>> })[] {
  return located(stacks, 'aws_organizations_policy')
    .filter((policy) => policy.config.type === EC2_DECLARATIVE_POLICY_TYPE)
    .map((policy) => ({ ...policy, attributes: (JSON.parse(String(policy.config.content)) as { ec2_attributes: Record<string, Record<string, unknown>> }).ec2_attributes }));
}

const assigned = (value: unknown) => (value as { '@@assign'?: unknown } | undefined)?.['@@assign'];

function declarativeAttribute(name: string, holds: (attribute: Record<string, unknown>) => boolean) {
  return (stacks: SynthesizedStacks): Evidence =>
    found(
      declarativePolicies(stacks).filter((policy) => policy.attributes[name] && holds(policy.attributes[name])),
      `no EC2 declarative policy sets ${name} (guardrails.ec2DeclarativePolicy)`,
    );
}

/** IMDSv2 by default: the declarative policy in the accounts it covers, the account setting in the others. */
export function imdsv2Evidence(stacks: SynthesizedStacks, config: BaselineConfig): Evidence {
  const policy = declarativeAttribute('instance_metadata_defaults', (attribute) => assigned(attribute.http_tokens) === 'required')(stacks);
  const defaults = located(stacks, 'aws_ec2_instance_metadata_defaults').filter((resource) => resource.config.http_tokens === 'required');
  const gaps: string[] = [];
  for (const account of organizationAccounts(config)) {
    const stack = BaselineNames.accountStack(account.name);
    if (declarativePolicySetsImdsDefaults(config, account) && policy.resources.length > 0) continue;
    const regions = new Set(defaults.filter((resource) => resource.stack === stack).map((resource) => String(resource.config.region ?? config.regions.home)));
    for (const region of config.regions.enabled) if (!regions.has(region)) gaps.push(`${stack}: no aws_ec2_instance_metadata_defaults in ${region}`);
  }
  return { resources: [...policy.resources, ...defaults.map((resource) => resource.label)], gaps };
}

export const ORGANIZATION_CONTROLS: readonly OrganizationControl[] = [
  {
    control: '1.4',
    cis5: '1.3',
    title: 'No root user access keys: member root credentials removed centrally',
    how: 'IAM organization feature RootCredentialsManagement (root credentials can be deleted; new accounts get none); `npm run root-credentials` lists accounts that still hold some',
    prowler: ['iam_root_credentials_management_enabled', 'iam_no_root_access_key'],
    evidence: (stacks) =>
      found(
        located(stacks, 'aws_iam_organizations_features').filter((resource) => (resource.config.enabled_features as string[]).includes('RootCredentialsManagement')),
        'RootCredentialsManagement is not enabled (guardrails.rootAccess.removeMemberRootCredentials)',
      ),
  },
  {
    control: '1.7',
    cis5: '1.6',
    title: 'Root user not used: privileged tasks in task-scoped sts:AssumeRoot sessions',
    how: 'IAM organization feature RootSessions; the deny-root-user SCP lets only those sessions through (aws:AssumedRoot)',
    prowler: ['iam_avoid_root_usage'],
    evidence: (stacks) =>
      found(
        located(stacks, 'aws_iam_organizations_features').filter((resource) => (resource.config.enabled_features as string[]).includes('RootSessions')),
        'RootSessions is not enabled (guardrails.rootAccess.rootSessions)',
      ),
  },
  {
    control: '—',
    cis5: '—',
    title: 'EBS snapshots cannot be shared publicly',
    how: 'EC2 declarative policy: snapshot_block_public_access block_all_sharing',
    prowler: ['ec2_ebs_snapshot_account_block_public_access', 'ec2_ebs_public_snapshot'],
    evidence: declarativeAttribute('snapshot_block_public_access', (attribute) => assigned(attribute.state) === 'block_all_sharing'),
  },
  {
    control: '—',
    cis5: '—',
    title: 'AMIs cannot be shared publicly',
    how: 'EC2 declarative policy: image_block_public_access block_new_sharing',
    prowler: ['ec2_ami_account_block_public_access', 'ec2_ami_public'],
    evidence: declarativeAttribute('image_block_public_access', (attribute) => assigned(attribute.state) === 'block_new_sharing'),
  },
  {
    control: '—',
    cis5: '—',
    title: 'EC2 serial console access is off',
    how: 'EC2 declarative policy: serial_console_access disabled',
    prowler: [],
    evidence: declarativeAttribute('serial_console_access', (attribute) => assigned(attribute.status) === 'disabled'),
  },
  {
    control: '—',
    cis5: '—',
    title: 'VPC Block Public Access blocks internet gateways',
    how: 'EC2 declarative policy: vpc_block_public_access (block_bidirectional by default); exclusions only where configured, created in their account',
    prowler: [],
    evidence: declarativeAttribute('vpc_block_public_access', (attribute) => String(assigned(block(attribute.internet_gateway_block)?.mode)).startsWith('block_')),
  },
  {
    control: '—',
    cis5: '—',
    title: 'Internal access findings on the log archive and monitored buckets',
    how: 'IAM Access Analyzer ORGANIZATION_INTERNAL_ACCESS analyzers, limited to those buckets (KMS keys are not a supported type)',
    prowler: [],
    evidence: (stacks) =>
      found(
        located(stacks, 'aws_accessanalyzer_analyzer').filter((resource) => resource.config.type === 'ORGANIZATION_INTERNAL_ACCESS'),
        'no internal access analyzer (securityServices.accessAnalyzer.internalAccess)',
      ),
  },
  {
    control: '—',
    cis5: '—',
    title: 'GuardDuty Runtime Monitoring with managed agents',
    how: 'RUNTIME_MONITORING for every member and the administrator, with EKS, ECS Fargate and EC2 agent management as configured',
    prowler: ['guardduty_eks_runtime_monitoring_enabled'],
    evidence: (stacks) =>
      found(
        located(stacks, 'aws_guardduty_organization_configuration_feature').filter((resource) => resource.config.name === 'RUNTIME_MONITORING' && resource.config.auto_enable === 'ALL'),
        'Runtime Monitoring is off (securityServices.guardDuty.runtimeMonitoring; billed per vCPU)',
      ),
  },
  {
    control: '—',
    cis5: '—',
    title: 'GuardDuty Malware Protection for S3 on chosen buckets',
    how: 'A protection plan and its scanning role in the account that owns each bucket',
    prowler: [],
    evidence: (stacks, config) => {
      const plans = located(stacks, 'aws_guardduty_malware_protection_plan');
      const names = new Set(plans.flatMap((plan) => blocks(plan.config.protected_resource).flatMap((resource) => blocks(resource.s3_bucket).map((bucket) => bucket.bucket_name))));
      const missing = config.securityServices.guardDuty.s3MalwareProtection.buckets.filter((bucket) => !names.has(bucket.name)).map((bucket) => `${bucket.name}: no plan`);
      return { resources: plans.map((plan) => plan.label), gaps: plans.length || missing.length ? missing : ['no bucket chosen (securityServices.guardDuty.s3MalwareProtection.buckets)'] };
    },
  },
  {
    control: '—',
    cis5: '—',
    title: 'AWS Config aggregated from every account and every region, new regions included',
    how: 'Organization aggregator with all_regions in the security account (delegated administrator for Config)',
    prowler: ['config_delegated_admin_and_org_aggregator_all_regions'],
    evidence: (stacks) =>
      found(
        located(stacks, 'aws_config_configuration_aggregator').filter((resource) => block(resource.config.organization_aggregation_source)?.all_regions === true),
        'no organization aggregator over all regions',
      ),
  },
  {
    control: '—',
    cis5: '—',
    title: 'The trail selects no data events on the log archive buckets',
    how: 'Checked at load (detector.monitoredBuckets) and by the policy rule CloudTrail.NoLogBucketDataEvents',
    prowler: [],
    evidence: (_stacks, _config, findings) => {
      const mine = findings.filter((finding) => finding.ruleId === 'CloudTrail.NoLogBucketDataEvents');
      return {
        resources: mine.filter((finding) => finding.status === 'pass').map((finding) => `${finding.stack}: ${finding.address}`),
        gaps: mine.filter((finding) => finding.status !== 'pass').map((finding) => `${finding.stack}: ${finding.address} (${finding.status})`),
      };
    },
  },
  {
    control: '—',
    cis5: '—',
    title: 'VPC endpoint policy denials logged, and alerted on with other organizations\' credentials used through an endpoint',
    how: 'Organization trail network activity selectors (VpceAccessDenied by default) for the data perimeter services; detector rule vpcEndpointAccess, forwarded from every account and region',
    prowler: [],
    evidence: (stacks, config) => {
      const trails = located(stacks, 'aws_cloudtrail').filter((trail) => JSON.stringify(trail.config.advanced_event_selector ?? []).includes('"NetworkActivity"'));
      const evidence = found(trails, 'the organization trail selects no network activity events (trail.networkActivityEvents)');
      const rule = config.detector.rules.vpcEndpointAccess && detectorDeployed(config);
      return { resources: evidence.resources, gaps: [...evidence.gaps, ...(rule ? [] : ['the detector does not judge network activity events (detector.rules.vpcEndpointAccess, or no monitored bucket)'])] };
    },
  },
];
