import type { Construct } from 'constructs';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The security tooling account: organization-wide GuardDuty, Security Hub, Access Analyzer, findings routing, the detector. */
export class SecurityStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
  }
}
