import type { TerraformJson } from './provider-mapping';

/*
 * Resource types moto 5.2.5 (the newest release) cannot emulate, each with the reason, and the removal of those blocks
 * (and of every block that refers to one) from a rehearsal stack. The product is not changed for the emulator: these resources are left
 * out of the rehearsal and counted as not applied.
 */

export interface EmulatorGap {
  readonly type: string;
  readonly reason: string;
  /** Only the blocks of the type this selects; every block of the type when absent. */
  readonly when?: (block: Record<string, unknown>) => boolean;
  /** How the gap is shown in the output and the documentation, when it is narrower than the type. */
  readonly scope?: string;
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  { type: 'aws_accessanalyzer_analyzer', reason: 'moto has no IAM Access Analyzer API' },
  {
    type: 'aws_organizations_delegated_administrator',
    when: (block) => block.service_principal === 'config.amazonaws.com',
    scope: 'service_principal config.amazonaws.com',
    reason: "moto's RegisterDelegatedAdministrator knows config-multiaccountsetup.amazonaws.com but not config.amazonaws.com (the aggregator's)",
  },
  {
    type: 'aws_budgets_budget',
    when: (block) => block.notification !== undefined,
    scope: 'with a notification',
    reason: "moto's Budgets has no DescribeSubscribersForNotification, which the provider calls to read a budget's notifications back (the emulator answers 500)",
  },
  {
    type: 'aws_ce_anomaly_monitor',
    reason: "moto's Cost Explorer has cost categories and GetCostAndUsage only: CreateAnomalyMonitor is not implemented (the emulator answers 500)",
  },
  {
    type: 'aws_ce_anomaly_subscription',
    reason: "moto's Cost Explorer has no anomaly detection API: CreateAnomalySubscription is not implemented",
  },
  {
    type: 'aws_iam_organizations_features',
    reason: "moto's IAM has no centralized root access API: EnableOrganizationsRootCredentialsManagement is not implemented (the emulator answers 500)",
  },
  {
    type: 'aws_ec2_instance_metadata_defaults',
    reason: "moto's EC2 has no account-level instance metadata defaults: ModifyInstanceMetadataDefaults is not implemented",
  },
  {
    type: 'aws_flow_log',
    when: (block) => /^arn:aws:s3:::[^/]+\/./.test(String(block.log_destination ?? '')),
    scope: 'to an S3 bucket with a key prefix',
    reason: "moto's CreateFlowLogs takes everything after arn:aws:s3::: as the bucket name, so a destination with a key prefix (bucket/flow-logs) is refused as a bucket that does not exist",
  },
  {
    type: 'aws_guardduty_detector_feature',
    reason: "moto's UpdateDetector replaces the detector's whole feature list with the one it is sent, where GuardDuty updates only the features named: with one resource per feature only the last would remain",
  },
  {
    type: 'aws_guardduty_organization_configuration',
    reason: "moto's GuardDuty has no UpdateOrganizationConfiguration",
  },
  {
    type: 'aws_guardduty_organization_configuration_feature',
    reason: "moto's GuardDuty has no UpdateOrganizationConfiguration (the organization's feature settings)",
  },
  {
    type: 'aws_securityhub_organization_configuration',
    reason: "moto's UpdateOrganizationConfiguration refuses an OrganizationConfiguration without Status, which the API documents as read-only (the provider sends ConfigurationType only); it also needs the Security Hub administrator that the management stack designates after aws_securityhub_account",
  },
  {
    type: 'aws_securityhub_configuration_policy',
    reason: "moto's Security Hub has no CreateConfigurationPolicy",
  },
  {
    type: 'aws_securityhub_configuration_policy_association',
    reason: "moto's Security Hub has no StartConfigurationPolicyAssociation",
  },
  {
    type: 'aws_securityhub_finding_aggregator',
    reason: "moto's Security Hub has no CreateFindingAggregator",
  },
  {
    type: 'aws_organizations_policy',
    when: (block) => block.type === 'DECLARATIVE_POLICY_EC2',
    scope: 'type DECLARATIVE_POLICY_EC2',
    reason: "moto's CreatePolicy knows service control, resource control, tag, backup and AI opt-out policies only, and refuses a declarative policy as an invalid value",
  },
  {
    type: 'aws_securityhub_account',
    reason: 'moto has no UpdateSecurityHubConfiguration, which the provider calls after EnableSecurityHub (the emulator answers 500)',
  },
];

export interface SkippedBlock {
  readonly address: string;
  readonly reason: string;
  /** Instances the block would have had: its literal for_each set, or one. */
  readonly instances: number;
}

type Block = Record<string, unknown>;

function instancesOf(block: Block): number {
  const forEach = block.for_each;
  if (typeof forEach !== 'string') return typeof block.count === 'number' ? block.count : 1;
  const literal = /^\$\{toset\((\[[^\]]*\])\)\}$/.exec(forEach);
  if (literal) {
    try {
      return (JSON.parse(literal[1]) as unknown[]).length;
    } catch {
      return 1;
    }
  }
  // A set read from the account (e.g. its VPC ids): the emulator's accounts have one default VPC per region.
  return 1;
}

/** Removes every block of a gap type, then every block that refers to a removed one, until none does. */
export function withoutEmulatorGaps(input: TerraformJson, gaps: readonly EmulatorGap[] = EMULATOR_GAPS): { stack: TerraformJson; skipped: SkippedBlock[] } {
  const stack = structuredClone(input);
  const skipped: SkippedBlock[] = [];
  const removed = new Map<string, string>(); // reference -> reason
  const remove = (kind: 'resource' | 'data', type: string, name: string, reason: string) => {
    const byType = (stack[kind] as Record<string, Record<string, Block>>)[type];
    const block = byType[name];
    delete byType[name];
    if (Object.keys(byType).length === 0) delete (stack[kind] as Record<string, unknown>)[type];
    const reference = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
    removed.set(reference, reason);
    if (kind === 'resource') skipped.push({ address: reference, reason, instances: instancesOf(block) });
  };
  for (const gap of gaps) {
    const ofType = ((stack.resource ?? {}) as Record<string, Record<string, Block>>)[gap.type] ?? {};
    for (const name of Object.keys(ofType)) {
      if (gap.when && !gap.when(ofType[name])) continue;
      remove('resource', gap.type, name, gap.reason);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const kind of ['resource', 'data'] as const) {
      const byType = (stack[kind] ?? {}) as Record<string, Record<string, Block>>;
      for (const type of Object.keys(byType)) {
        for (const name of Object.keys(byType[type] ?? {})) {
          const text = JSON.stringify(byType[type][name]);
          const hit = [...removed.keys()].find((reference) => new RegExp(`${reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
          if (hit) {
            remove(kind, type, name, `refers to ${hit} (${removed.get(hit)})`);
            changed = true;
          }
        }
      }
    }
  }
  const outputs = (stack.output ?? {}) as Record<string, Block>;
  for (const name of Object.keys(outputs)) {
    const text = JSON.stringify(outputs[name]);
    if ([...removed.keys()].some((reference) => text.includes(reference))) delete outputs[name];
  }
  if (Array.isArray(stack.import)) {
    stack.import = (stack.import as Block[]).filter((block) => !removed.has(String(block.to)));
    if ((stack.import as Block[]).length === 0) delete stack.import;
  }
  return { stack, skipped };
}
