import type { Construct } from 'constructs';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The organization management account: organization trail, CIS monitoring, guardrails, delegated administrators. */
export class ManagementStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
  }
}
