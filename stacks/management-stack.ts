import type { Construct } from 'constructs';
import { CostGuardrails } from '../lib/cost/cost-guardrails';
import { CentralizedRootAccess } from '../lib/guardrails/centralized-root-access';
import { OrganizationEc2Settings } from '../lib/guardrails/organization-ec2-settings';
import { DetectorTamperingAlarm, detectorTamperingAlarmName } from '../lib/detector/detector-tamper-alarm';
import { detectorDeployed } from '../lib/detector/monitored-buckets';
import { OrganizationGuardrails } from '../lib/guardrails/organization-guardrails';
import { CisAlarms } from '../lib/monitoring/cis-alarms';
import { ManagementAccountWorkloadAlarm } from '../lib/monitoring/management-account-workload-alarm';
import { DelegatedAdministrators } from '../lib/security-services/delegated-administrators';
import { OrganizationTrail } from '../lib/trail/organization-trail';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The organization management account: organization trail, CIS monitoring, guardrails, delegated administrators. */
export class ManagementStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    const trail = new OrganizationTrail(this, 'OrganizationTrail', { config: this.config, names: this.names });
    // In data-events-only mode the CIS filters watch the group of the trail that logs management events, if named.
    const cisLogGroupName = trail.logGroup?.name ?? this.config.monitoring.logGroupName;
    if (cisLogGroupName) {
      const workloads = this.config.monitoring.managementAccountWorkloads;
      const tampering = detectorDeployed(this.config);
      const alarms = new CisAlarms(this, 'CisAlarms', {
        config: this.config,
        names: this.names,
        logGroupName: cisLogGroupName,
        otherAlarmNames: [
          ...(workloads.enabled ? [this.names.managementWorkloadAlarmName] : []),
          ...(tampering ? [detectorTamperingAlarmName(this.names)] : []),
        ],
      });
      if (workloads.enabled) {
        new ManagementAccountWorkloadAlarm(this, 'ManagementAccountWorkloads', {
          alarmName: this.names.managementWorkloadAlarmName,
          managementAccountId: this.account.id,
          logGroupName: cisLogGroupName,
          region: this.config.regions.home,
          namespace: this.config.monitoring.metricNamespace,
          exclusions: workloads.exclude,
          topicArn: alarms.topic.arn,
        });
      }
      if (tampering) {
        new DetectorTamperingAlarm(this, 'DetectorTampering', { config: this.config, names: this.names, logGroupName: cisLogGroupName, topicArn: alarms.topic.arn });
      }
    }
    new OrganizationGuardrails(this, 'Guardrails', { config: this.config, names: this.names });
    new OrganizationEc2Settings(this, 'Ec2Settings', { config: this.config, names: this.names });
    new CentralizedRootAccess(this, 'RootAccess', { config: this.config });
    new CostGuardrails(this, 'CostGuardrails', { config: this.config, names: this.names });
    new DelegatedAdministrators(this, 'DelegatedAdministrators', {
      securityAccountId: this.config.accounts.security.id,
      regions: [...this.config.regions.enabled].sort(),
      homeRegion: this.config.regions.home,
      cloudTrail: this.config.securityServices.delegateCloudTrailAdministration,
      guardDutyServiceLinkedRole: {
        accountId: this.account.id,
        adopt: this.account.adopt?.guardDutyServiceLinkedRole,
      },
    });
  }
}
