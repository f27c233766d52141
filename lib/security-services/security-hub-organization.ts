import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { Construct } from 'constructs';
import { AWS_REGIONS } from '../../config/regions';

/**
 * The latest CIS AWS Foundations Benchmark version Security Hub offers as a standard. Its ARN is regional, in the
 * "standards/" form Security Hub uses for CIS 1.4.0 and later ("ruleset/" without a region is CIS 1.2.0 only):
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html
 */
export const CIS_STANDARD_VERSION = '5.0.0';

export function cisStandardArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/${CIS_STANDARD_VERSION}`;
}

export function foundationalBestPracticesArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

export interface SecurityHubOrganizationProps {
  readonly homeRegion: string;
  /** Every region the baseline covers; the others are linked to the home region. */
  readonly regions: readonly string[];
  /** Where the configuration policy applies: the organization root, so every account present and future. */
  readonly rootId: string;
  readonly policyName: string;
  readonly cisStandard: boolean;
  readonly foundationalBestPractices: boolean;
}

/**
 * Security Hub for the whole organization under central configuration: one configuration policy, made in the home
 * region, turns Security Hub and the chosen standards on in every account and every linked region, and no account
 * can turn them off locally. Findings of the linked regions are aggregated to the home region.
 */
export class SecurityHubOrganization extends Construct {
  readonly aggregator: SecurityhubFindingAggregator;

  constructor(scope: Construct, id: string, props: SecurityHubOrganizationProps) {
    super(scope, id);
    const region = props.homeRegion;
    const linked = props.regions.filter((candidate) => candidate !== region).sort();

    // Central configuration requires the aggregator; its linked regions are also where the policy takes effect. The
    // provider accepts no "no regions" mode, so a single-region baseline excludes every other known region instead.
    this.aggregator = new SecurityhubFindingAggregator(this, 'Aggregator', {
      ...(linked.length > 0
        ? { linkingMode: 'SPECIFIED_REGIONS', specifiedRegions: linked }
        : { linkingMode: 'ALL_REGIONS_EXCEPT_SPECIFIED', specifiedRegions: AWS_REGIONS.filter((other) => other !== region) }),
      region,
    });

    const organization = new SecurityhubOrganizationConfiguration(this, 'Organization', {
      // Under central configuration the policy, not auto-enable, decides; both must be off.
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      region,
      dependsOn: [this.aggregator],
    });

    const standards = [
      ...(props.foundationalBestPractices ? [foundationalBestPracticesArn(region)] : []),
      ...(props.cisStandard ? [cisStandardArn(region)] : []),
    ];
    const policy = new SecurityhubConfigurationPolicy(this, 'Policy', {
      name: props.policyName,
      description: 'Security Hub on in every account and region, with the baseline standards and all their controls.',
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: standards,
        // Every control of the enabled standards, including controls Security Hub adds later.
        securityControlsConfiguration: { disabledControlIdentifiers: [] },
      },
      region,
      dependsOn: [organization],
    });

    new SecurityhubConfigurationPolicyAssociation(this, 'Root', { policyId: policy.id, targetId: props.rootId, region });
  }
}
