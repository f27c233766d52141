import { DataAwsGuarddutyDetector } from '@cdktf/provider-aws/lib/data-aws-guardduty-detector';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyDetectorFeature } from '@cdktf/provider-aws/lib/guardduty-detector-feature';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { GuarddutyOrganizationConfigurationFeature } from '@cdktf/provider-aws/lib/guardduty-organization-configuration-feature';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import type { BaselineConfig } from '../../config/schema';

type ProtectionPlans = BaselineConfig['securityServices']['guardDuty'];

/** A GuardDuty protection plan: the feature name and the configuration switch that turns it on. */
interface ProtectionPlan {
  readonly feature: string;
  readonly enabled: (plans: ProtectionPlans) => boolean;
  /** Its additional configurations (agent management), each with its own switch, on only when the plan is. */
  readonly additional?: readonly { readonly name: string; readonly enabled: (plans: ProtectionPlans) => boolean }[];
}

export const PROTECTION_PLANS: readonly ProtectionPlan[] = [
  { feature: 'S3_DATA_EVENTS', enabled: (plans) => plans.s3Protection },
  { feature: 'EKS_AUDIT_LOGS', enabled: (plans) => plans.eksAuditLogs },
  { feature: 'EBS_MALWARE_PROTECTION', enabled: (plans) => plans.ebsMalwareProtection },
  { feature: 'RDS_LOGIN_EVENTS', enabled: (plans) => plans.rdsLoginEvents },
  { feature: 'LAMBDA_NETWORK_LOGS', enabled: (plans) => plans.lambdaNetworkLogs },
  {
    feature: 'RUNTIME_MONITORING',
    enabled: (plans) => plans.runtimeMonitoring,
    // Extended Threat Detection correlates runtime signals only where the agent runs; GuardDuty manages it here.
    additional: [
      { name: 'EKS_ADDON_MANAGEMENT', enabled: (plans) => plans.runtimeMonitoringAgents.eks },
      { name: 'ECS_FARGATE_AGENT_MANAGEMENT', enabled: (plans) => plans.runtimeMonitoringAgents.ecsFargate },
      { name: 'EC2_AGENT_MANAGEMENT', enabled: (plans) => plans.runtimeMonitoringAgents.ec2 },
    ],
  },
];

/** How often GuardDuty exports updated findings to EventBridge; members follow their administrator. */
export const FINDING_PUBLISHING_FREQUENCY = 'FIFTEEN_MINUTES';

export interface GuardDutyOrganizationProps {
  readonly regions: readonly string[];
  readonly plans: ProtectionPlans;
}

/**
 * GuardDuty for the whole organization in every region, run from the delegated administrator: every account, present
 * and future, is enrolled with the configured protection plans, and updated findings are exported every 15 minutes.
 */
export class GuardDutyOrganization extends Construct {
  readonly detectors: Record<string, GuarddutyDetector> = {};

  constructor(scope: Construct, id: string, props: GuardDutyOrganizationProps) {
    super(scope, id);
    for (const region of props.regions) {
      // Designating the administrator (management stack) creates its detector; it is adopted here, not created.
      const existing = new DataAwsGuarddutyDetector(this, `Existing-${region}`, { region });
      const detector = new GuarddutyDetector(this, `Detector-${region}`, {
        enable: true,
        findingPublishingFrequency: FINDING_PUBLISHING_FREQUENCY,
        region,
      });
      adoptExisting(detector, existing.id, region);
      this.detectors[region] = detector;

      const organization = new GuarddutyOrganizationConfiguration(this, `Organization-${region}`, {
        detectorId: detector.id,
        autoEnableOrganizationMembers: 'ALL',
        region,
      });

      for (const plan of PROTECTION_PLANS) {
        const on = plan.enabled(props.plans);
        new GuarddutyOrganizationConfigurationFeature(this, `${plan.feature}-${region}`, {
          detectorId: detector.id,
          name: plan.feature,
          autoEnable: on ? 'ALL' : 'NONE',
          additionalConfiguration: plan.additional?.map((extra) => ({ name: extra.name, autoEnable: on && extra.enabled(props.plans) ? 'ALL' : 'NONE' })),
          region,
          // Both update the organization configuration; the provider serializes only the feature updates.
          dependsOn: [organization],
        });
        // The administrator's own detector is not a member: its plans are set on it directly.
        new GuarddutyDetectorFeature(this, `Administrator-${plan.feature}-${region}`, {
          detectorId: detector.id,
          name: plan.feature,
          status: on ? 'ENABLED' : 'DISABLED',
          additionalConfiguration: plan.additional?.map((extra) => ({ name: extra.name, status: on && extra.enabled(props.plans) ? 'ENABLED' : 'DISABLED' })),
          region,
        });
      }
    }
  }
}
