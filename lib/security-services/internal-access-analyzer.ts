import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';

/** A resource whose access from inside the organization is analyzed, and where it lives. */
export interface CrownJewel {
  readonly arn: string;
  readonly region: string;
}

/**
 * The resources internal access findings cover: the log archive buckets and the monitored buckets. The log archive
 * key is left out because internal access analyzers do not analyze KMS keys: AWS lists S3 buckets, S3 directory
 * buckets, RDS DB and cluster snapshots and DynamoDB tables and streams as the supported types.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_InternalAccessAnalysisRuleCriteria.html
 */
export function crownJewels(config: BaselineConfig, names: BaselineNames): CrownJewel[] {
  const home = config.regions.home;
  const jewels = [
    { arn: names.logBucketArn, region: home },
    { arn: names.accessLogBucketArn, region: home },
    ...config.detector.monitoredBuckets.map((bucket) => ({ arn: `arn:aws:s3:::${bucket.name}`, region: bucket.region })),
  ];
  const unique = new Map(jewels.map((jewel) => [`${jewel.region} ${jewel.arn}`, jewel]));
  return [...unique.values()].sort((a, b) => a.region.localeCompare(b.region) || a.arn.localeCompare(b.arn));
}

export interface InternalAccessAnalyzerProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * IAM Access Analyzer internal access findings for the organization's crown jewels: which roles and users of the
 * organization can reach them, including through SCPs and RCPs. Analyzers are regional, so there is one in each
 * region that holds such a resource, limited to those resources (billed per resource analyzed).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html (type: https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CreateAnalyzer.html)
 */
export class InternalAccessAnalyzer extends Construct {
  readonly analyzers: Record<string, AccessanalyzerAnalyzer> = {};

  constructor(scope: Construct, id: string, props: InternalAccessAnalyzerProps) {
    super(scope, id);
    const jewels = crownJewels(props.config, props.names);
    for (const region of [...new Set(jewels.map((jewel) => jewel.region))]) {
      this.analyzers[region] = new AccessanalyzerAnalyzer(this, region, {
        analyzerName: props.names.resourceName('internal-access'),
        type: 'ORGANIZATION_INTERNAL_ACCESS',
        region,
        configuration: {
          internalAccess: {
            analysisRule: { inclusion: [{ resourceArns: jewels.filter((jewel) => jewel.region === region).map((jewel) => jewel.arn) }] },
          },
        },
      });
    }
  }
}
