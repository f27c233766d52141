import type { Construct } from 'constructs';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The log archive account: the central, encrypted, tamper-resistant home of every log of the organization. */
export class LogArchiveStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
  }
}
