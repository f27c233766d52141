import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';
import { AccessAnalyzerOrganization } from './access-analyzer-organization';
import { ConfigAggregator } from './config-aggregator';
import { GuardDutyOrganization } from './guardduty-organization';
import { InternalAccessAnalyzer } from './internal-access-analyzer';
import { SecurityHubOrganization } from './security-hub-organization';

export interface OrganizationSecurityServicesProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/** What the security account runs as delegated administrator: GuardDuty, Security Hub, Access Analyzer, Config aggregation. */
export class OrganizationSecurityServices extends Construct {
  readonly guardDuty: GuardDutyOrganization;
  readonly securityHub: SecurityHubOrganization;

  constructor(scope: Construct, id: string, props: OrganizationSecurityServicesProps) {
    super(scope, id);
    const { config, names } = props;
    const regions = [...config.regions.enabled].sort();
    const { guardDuty, securityHub } = config.securityServices;

    this.guardDuty = new GuardDutyOrganization(this, 'GuardDuty', { regions, plans: guardDuty });
    this.securityHub = new SecurityHubOrganization(this, 'SecurityHub', {
      homeRegion: config.regions.home,
      regions,
      rootId: config.organization.rootId,
      policyName: names.securityHubPolicyName,
      cisStandard: securityHub.cisStandard,
      foundationalBestPractices: securityHub.foundationalBestPractices,
    });
    new AccessAnalyzerOrganization(this, 'AccessAnalyzer', { name: names.organizationAnalyzerName, regions });
    if (config.securityServices.accessAnalyzer.internalAccess) new InternalAccessAnalyzer(this, 'InternalAccessAnalyzer', { config, names });
    new ConfigAggregator(this, 'ConfigAggregator', {
      name: names.configAggregatorName,
      roleName: names.configAggregatorRoleName,
      accountId: config.accounts.security.id,
      homeRegion: config.regions.home,
    });
  }
}
