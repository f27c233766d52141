import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames, OrganizationAccount } from '../naming';
import { S3DataEventForwarding } from './event-forwarding';
import { forwardingLocations } from './network-activity-forwarding';
import { detectorProtectedRoles, responseAccountIds } from './protected-roles';
import { DetectorResponseRole } from './response-role';

export interface S3AccessDetectorInAccountProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  readonly account: OrganizationAccount;
}

/**
 * What the S3 access detector needs in one account: forwarding rules in each region where the account owns a
 * monitored bucket, or in every enabled region when its VPC endpoints' network activity is forwarded, and, when the detector revokes sessions, the role it assumes to do so. Nothing otherwise.
 */
export class S3AccessDetectorInAccount extends Construct {
  readonly forwarding?: S3DataEventForwarding;
  readonly responseRole?: DetectorResponseRole;

  constructor(scope: Construct, id: string, props: S3AccessDetectorInAccountProps) {
    super(scope, id);
    const { config, names, account } = props;
    const locations = forwardingLocations(config).filter((location) => location.accountId === account.id);

    if (locations.length > 0) {
      this.forwarding = new S3DataEventForwarding(this, 'Forwarding', {
        locations,
        accountId: account.id,
        rules: config.detector.rules,
        ruleName: names.detectorForwardingRuleName,
        roleName: names.detectorForwarderRoleName,
        eventBusArn: names.detectorEventBusArn,
        deadLetterQueueName: names.detectorForwardingDeadLetterQueueName,
      });
    }

    // Never in the management or log-archive account: see responseAccountIds.
    if (responseAccountIds(config).includes(account.id)) {
      this.responseRole = new DetectorResponseRole(this, 'ResponseRole', {
        name: names.detectorResponseRoleName,
        accountId: account.id,
        detectorRoleArn: names.detectorFunctionRoleArn,
        protectedRoles: detectorProtectedRoles(config, names),
      });
    }
  }
}
