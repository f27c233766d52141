import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

/** What an analyzer looks for: resources shared outside the account, or access granted and never used. */
export type AnalyzerKind = 'external-access' | 'unused-access';

export interface AccessAnalyzerProps {
  readonly analyzerName: string;
  readonly region: string;
  /** @default 'external-access' */
  readonly kind?: AnalyzerKind;
  /** Days without use after which access is reported (unused access only). @default 90 */
  readonly unusedAccessAgeDays?: number;
  /** Import the analyzer of this name that the account already has, instead of creating one. */
  readonly adopt?: boolean;
}

/** An IAM Access Analyzer whose zone of trust is the account. */
export class AccessAnalyzer extends Construct {
  readonly analyzer: AccessanalyzerAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
    const unused = props.kind === 'unused-access';
    this.analyzer = new AccessanalyzerAnalyzer(this, 'Analyzer', {
      region: props.region,
      analyzerName: props.analyzerName,
      type: unused ? 'ACCOUNT_UNUSED_ACCESS' : 'ACCOUNT',
      ...(unused ? { configuration: { unusedAccess: { unusedAccessAge: props.unusedAccessAgeDays ?? 90 } } } : {}),
    });
    if (props.adopt) adoptExisting(this.analyzer, props.analyzerName, props.region);
  }
}
