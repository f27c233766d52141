import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';
import { DetectorEventBus } from './detector-bus';
import { S3AccessDetector } from './detector-function';
import { forwardedEventPatterns } from './event-forwarding';
import { bucketLocations, detectorActs } from './monitored-buckets';
import { networkActivityForwarded } from './network-activity-forwarding';
import { DetectorStateTable } from './detector-state-table';
import { detectorSettingsFrom } from './settings';

export interface S3AccessDetectionProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * The security account's side of the S3 access detector: the bus the accounts owning monitored buckets forward to,
 * and the detector it invokes. Create it only when the detector is deployed (`detectorDeployed`).
 */
export class S3AccessDetection extends Construct {
  readonly bus: DetectorEventBus;
  readonly detector: S3AccessDetector;
  /** The stateful rules' table; only when one of them (mass download) is on. */
  readonly state?: DetectorStateTable;

  constructor(scope: Construct, id: string, props: S3AccessDetectionProps) {
    super(scope, id);
    const { config, names } = props;
    const accountId = config.accounts.security.id;
    const region = config.regions.home;
    // Bucket owners are named in the bus policy and the detector's rule; network activity comes from every account.
    const locations = bucketLocations(config);
    const owners = [...new Set(locations.map((location) => location.accountId))];
    const networkActivity = networkActivityForwarded(config);

    this.bus = new DetectorEventBus(this, 'Bus', {
      name: names.detectorEventBusName,
      accountId,
      region,
      organizationId: config.organization.id,
      senders: owners.map((owner) => ({
        accountId: owner,
        ruleArns: locations
          .filter((location) => location.accountId === owner)
          .flatMap((location) =>
            forwardedEventPatterns(owner, location.buckets, config.detector.rules).map((_, index) =>
              names.detectorForwardingRuleArn(owner, location.region, index),
            ),
          ),
      })),
      organizationForwardingRuleName: networkActivity ? names.detectorForwardingRuleName : undefined,
    });

    const settings = detectorSettingsFrom(config);
    // No state, no rule: the table exists exactly when the mass-download rule is on.
    if (settings.massDownload) this.state = new DetectorStateTable(this, 'State', { name: names.detectorStateTableName, accountId, region });

    this.detector = new S3AccessDetector(this, 'Detector', {
      functionName: names.detectorFunctionName,
      topicName: names.detectorTopicName,
      accountId,
      region,
      eventBus: { name: names.detectorEventBusName, resource: this.bus.bus },
      ruleName: names.detectorRuleName,
      sourceAccountIds: owners,
      networkActivity,
      settings,
      ...(this.state ? { stateTable: { name: names.detectorStateTableName, arn: this.state.arn } } : {}),
      reservedConcurrency: config.detector.reservedConcurrency,
      subscribers: config.notifications,
      ...(detectorActs(config)
        ? {
            responseRoles: {
              roleName: names.detectorResponseRoleName,
              organizationId: config.organization.id,
              exceptAccountIds: [config.accounts.management.id, config.accounts.logArchive.id],
            },
          }
        : {}),
    });
  }
}
