import { EcrRegistryScanningConfiguration } from '@cdktf/provider-aws/lib/ecr-registry-scanning-configuration';
import { Construct } from 'constructs';

export interface EcrScanOnPushProps {
  readonly region: string;
}

/** Scans every image pushed to the account's private registry in one region for known vulnerabilities. */
export class EcrScanOnPush extends Construct {
  readonly scanning: EcrRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: EcrScanOnPushProps) {
    super(scope, id);
    this.scanning = new EcrRegistryScanningConfiguration(this, 'Scanning', {
      region: props.region,
      scanType: 'BASIC',
      rule: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilter: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
  }
}
