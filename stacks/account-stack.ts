import type { Construct } from 'constructs';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The baseline every account gets, globally and in every enabled region. */
export class AccountStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
  }
}
