import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { Construct } from 'constructs';

export interface AccessAnalyzerOrganizationProps {
  readonly name: string;
  readonly regions: readonly string[];
}

/**
 * IAM Access Analyzer with the organization as zone of trust, in every region (analyzers are regional): it reports
 * any resource shared with a principal outside the organization.
 */
export class AccessAnalyzerOrganization extends Construct {
  constructor(scope: Construct, id: string, props: AccessAnalyzerOrganizationProps) {
    super(scope, id);
    for (const region of props.regions) {
      new AccessanalyzerAnalyzer(this, region, { analyzerName: props.name, type: 'ORGANIZATION', region });
    }
  }
}
