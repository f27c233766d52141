import { CloudtrailOrganizationDelegatedAdminAccount } from '@cdktf/provider-aws/lib/cloudtrail-organization-delegated-admin-account';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { Construct } from 'constructs';
import { GuardDutyServiceLinkedRole, type GuardDutyServiceLinkedRoleProps } from './guardduty-service-linked-role';

export interface DelegatedAdministratorsProps {
  /** The account that administers the security services for the organization. */
  readonly securityAccountId: string;
  /** Every region the baseline covers. */
  readonly regions: readonly string[];
  /** Security Hub's home region: central configuration carries the designation to the linked regions. */
  readonly homeRegion: string;
  /** Also let the security account administer the organization trail. @default false */
  readonly cloudTrail?: boolean;
  /** The GuardDuty service-linked role of the management account, made before the designation. @default - not managed */
  readonly guardDutyServiceLinkedRole?: GuardDutyServiceLinkedRoleProps;
}

/**
 * Makes the security account the organization's administrator of GuardDuty (every region: its designation is
 * regional), Security Hub (home region), AWS Config aggregation, IAM Access Analyzer and optionally CloudTrail, so that
 * security tooling is run from there and the management account stays out of daily use.
 */
export class DelegatedAdministrators extends Construct {
  constructor(scope: Construct, id: string, props: DelegatedAdministratorsProps) {
    super(scope, id);
    const adminAccountId = props.securityAccountId;
    const guardDutyRole = props.guardDutyServiceLinkedRole
      ? new GuardDutyServiceLinkedRole(this, 'GuardDutyServiceLinkedRole', props.guardDutyServiceLinkedRole)
      : undefined;
    for (const region of props.regions) {
      new GuarddutyOrganizationAdminAccount(this, `GuardDuty-${region}`, {
        adminAccountId,
        region,
        ...(guardDutyRole ? { dependsOn: [guardDutyRole.role] } : {}),
      });
    }
    // As the provider documents it: Security Hub on in the management account before it designates (the central
    // configuration policy then governs this account too, so no standard is enabled here).
    const managementHub = new SecurityhubAccount(this, 'ManagementSecurityHub', { enableDefaultStandards: false, region: props.homeRegion });
    new SecurityhubOrganizationAdminAccount(this, 'SecurityHub', { adminAccountId, region: props.homeRegion, dependsOn: [managementHub] });
    new OrganizationsDelegatedAdministrator(this, 'Config', { accountId: adminAccountId, servicePrincipal: 'config.amazonaws.com' });
    new OrganizationsDelegatedAdministrator(this, 'AccessAnalyzer', {
      accountId: adminAccountId,
      servicePrincipal: 'access-analyzer.amazonaws.com',
    });
    if (props.cloudTrail) {
      new CloudtrailOrganizationDelegatedAdminAccount(this, 'CloudTrail', { accountId: adminAccountId });
    }
  }
}
