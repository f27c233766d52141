import type { Construct } from 'constructs';
import { detectorDeployed } from '../lib/detector/monitored-buckets';
import { S3AccessDetection } from '../lib/detector/s3-access-detection';
import { LogHunting } from '../lib/hunting/log-hunting';
import { FindingsRouting } from '../lib/findings/findings-routing';
import { OrganizationSecurityServices } from '../lib/security-services/organization-security-services';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The security tooling account: organization-wide GuardDuty, Security Hub, Access Analyzer, findings routing, the detector. */
export class SecurityStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    new OrganizationSecurityServices(this, 'SecurityServices', { config: this.config, names: this.names });
    new FindingsRouting(this, 'FindingsRouting', { config: this.config, names: this.names, accountId: this.account.id });
    if (this.config.hunting.enabled && this.config.hunting.account === 'security') {
      new LogHunting(this, 'LogHunting', { config: this.config, names: this.names, accountId: this.account.id });
    }
    if (detectorDeployed(this.config)) {
      new S3AccessDetection(this, 'S3AccessDetector', { config: this.config, names: this.names });
    }
  }
}
