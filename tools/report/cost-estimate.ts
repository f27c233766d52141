import { CONFIG_RULE_IDS, type BaselineConfig } from '../../config/schema';
import { MANAGED_RULES } from '../../lib/account-baseline/config-rules';
import { networkActivityForwarded } from '../../lib/detector/network-activity-forwarding';
import { organizationAccounts } from '../../lib/naming';

/*
 * What the baseline costs each month, driver by driver, computed from the configuration with the unit prices and the
 * usage volumes written below. Prices are AWS's public list prices for us-east-1 (other regions cost up to ~30% more);
 * volumes are assumptions per account and region, to be replaced by your own from Cost Explorer. The estimate is for
 * the baseline's own services only, not for the workloads they watch.
 */

/** When the unit prices below were read from AWS's pricing pages. */
export const PRICES_AS_OF = '2026-12-02';

export interface UnitPrice {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
  /**
   * Where the number comes from: AWS's own pricing page; several published summaries that agree (AWS's page could not
   * be read when it was written down); or neither, to be checked before relying on it.
   */
  readonly basis: 'aws-page' | 'published-summaries' | 'unverified';
}

export const UNIT_PRICES = {
  configItemContinuous: { usd: 0.003, per: 'configuration item (continuous recording)', source: 'https://aws.amazon.com/config/pricing/', basis: 'published-summaries' },
  configItemPeriodic: { usd: 0.012, per: 'configuration item (periodic recording)', source: 'https://aws.amazon.com/config/pricing/', basis: 'published-summaries' },
  configRuleEvaluation: { usd: 0.001, per: 'rule evaluation (first 100,000 per region)', source: 'https://aws.amazon.com/config/pricing/', basis: 'published-summaries' },
  cloudTrailDataEvents: { usd: 0.1, per: '100,000 data events', source: 'https://aws.amazon.com/cloudtrail/pricing/', basis: 'aws-page' },
  cloudTrailManagementCopy: { usd: 0, per: 'management events, first copy', source: 'https://aws.amazon.com/cloudtrail/pricing/', basis: 'aws-page' },
  cloudWatchLogsIngestion: { usd: 0.5, per: 'GB ingested into CloudWatch Logs (standard class)', source: 'https://aws.amazon.com/cloudwatch/pricing/', basis: 'published-summaries' },
  vendedLogsToS3: { usd: 0.25, per: 'GB of flow logs delivered to S3 (first 10 TB)', source: 'https://aws.amazon.com/cloudwatch/pricing/', basis: 'published-summaries' },
  runtimeMonitoringVcpu: { usd: 1.5, per: 'vCPU-month monitored by GuardDuty Runtime Monitoring (EC2, first 500)', source: 'https://aws.amazon.com/guardduty/pricing/', basis: 'unverified' },
  cloudTrailNetworkActivityEvents: { usd: 0.1, per: '100,000 network activity events', source: 'https://aws.amazon.com/cloudtrail/pricing/', basis: 'unverified' },
  // "SSE-SQS ... at no additional cost": the queue's own requests are billed as for any queue, and a dead-letter
  // queue sees few.
  sqsManagedEncryption: {
    usd: 0,
    per: 'queue encrypted with SQS-managed keys (SSE-SQS)',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-sqs-sse-queue.html',
    basis: 'aws-page',
  },
  s3MalwareScanGb: { usd: 0.09, per: 'GB scanned by Malware Protection for S3', source: 'https://aws.amazon.com/guardduty/pricing/', basis: 'unverified' },
} as const satisfies Record<string, UnitPrice>;

/** Usage the estimate assumes, per account and region unless said otherwise. */
export const ASSUMED_VOLUMES = {
  configItemsPerAccountRegion: 2_000,
  /** Periodic (daily) recording records a changed resource once a day instead of on every change. */
  periodicShareOfItems: 0.3,
  ruleEvaluationsPerRulePerRegion: 300,
  dataEventsPerMonitoredBucket: 5_000_000,
  managementEventsGbPerAccount: 0.5,
  flowLogsGbPerAccountRegion: 5,
  runtimeMonitoringVcpusPerAccount: 16,
  malwareScannedGbPerBucket: 50,
  /** Calls a VPC endpoint policy denied: few where endpoint policies match the workloads. */
  deniedEndpointCallsPerAccountRegion: 1_000,
  /** Every S3 and KMS call through the endpoints (trail.networkActivityEvents.allEvents). */
  endpointCallsPerAccountRegion: 2_000_000,
} as const;

export interface CostLine {
  readonly driver: string;
  readonly quantity: number;
  readonly unit: UnitPrice;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly accounts: number;
  readonly regions: number;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

const line = (driver: string, quantity: number, unit: UnitPrice, divisor = 1): CostLine => ({
  driver,
  quantity,
  unit,
  monthlyUsd: (quantity / divisor) * unit.usd,
});

export interface CostEstimateOptions {
  /** Estimate for this many accounts instead of the configuration's (the members are assumed alike). */
  readonly accounts?: number;
}

/** The baseline's monthly cost drivers for a configuration. */
export function estimateMonthlyCost(config: BaselineConfig, options: CostEstimateOptions = {}): CostEstimate {
  const accounts = options.accounts ?? organizationAccounts(config).length;
  const regions = config.regions.enabled.length;
  const accountRegions = accounts * regions;
  const volumes = ASSUMED_VOLUMES;
  const lines: CostLine[] = [];

  const continuous = config.config.recordingFrequency === 'CONTINUOUS';
  lines.push(
    continuous
      ? line('AWS Config items, continuous recording', accountRegions * volumes.configItemsPerAccountRegion, UNIT_PRICES.configItemContinuous)
      : line('AWS Config items, daily recording', Math.round(accountRegions * volumes.configItemsPerAccountRegion * volumes.periodicShareOfItems), UNIT_PRICES.configItemPeriodic),
  );
  const ruleInstances = CONFIG_RULE_IDS.filter((id) => config.config.rules[id]).reduce(
    (sum, id) => sum + (MANAGED_RULES[id].scope === 'home-region' ? 1 : regions),
    0,
  );
  lines.push(line('AWS Config rule evaluations', accounts * ruleInstances * volumes.ruleEvaluationsPerRulePerRegion, UNIT_PRICES.configRuleEvaluation));

  const buckets = new Set(config.detector.monitoredBuckets.map((bucket) => bucket.name)).size;
  // Monitored buckets are named in the configuration: their number does not grow with the accounts.
  lines.push(line('CloudTrail S3 data events (monitored buckets)', buckets * volumes.dataEventsPerMonitoredBucket, UNIT_PRICES.cloudTrailDataEvents, 100_000));
  if (config.trail.mode === 'full') {
    lines.push(line('CloudTrail management events (organization trail, first copy)', 0, UNIT_PRICES.cloudTrailManagementCopy));
    lines.push(line('CloudWatch Logs ingestion (management events for the CIS alarms)', accounts * volumes.managementEventsGbPerAccount, UNIT_PRICES.cloudWatchLogsIngestion));
  }
  lines.push(line('VPC flow logs delivered to S3', accountRegions * volumes.flowLogsGbPerAccountRegion, UNIT_PRICES.vendedLogsToS3));

  const network = config.trail.networkActivityEvents;
  if (network.enabled) {
    const perAccountRegion = network.allEvents ? volumes.endpointCallsPerAccountRegion : volumes.deniedEndpointCallsPerAccountRegion;
    lines.push(
      line(
        `CloudTrail network activity events (${network.allEvents ? 'every call' : 'endpoint policy denials'}, ${network.eventSources.length} service(s))`,
        accountRegions * perAccountRegion,
        UNIT_PRICES.cloudTrailNetworkActivityEvents,
        100_000,
      ),
    );
  }
  if (networkActivityForwarded(config)) {
    // Every account forwards its endpoints' network activity from every region, through a dead-letter queue each;
    // SQS-managed encryption keeps that from costing a KMS key per account and region (lib/detector/event-forwarding.ts).
    lines.push(line('Detector forwarding queues, SQS-managed encryption (every account and region)', accountRegions, UNIT_PRICES.sqsManagedEncryption));
  }

  const guardDuty = config.securityServices.guardDuty;
  if (guardDuty.runtimeMonitoring) {
    lines.push(line('GuardDuty Runtime Monitoring', accounts * volumes.runtimeMonitoringVcpusPerAccount, UNIT_PRICES.runtimeMonitoringVcpu));
  }
  const scanned = guardDuty.s3MalwareProtection.buckets.length;
  if (scanned > 0) lines.push(line('GuardDuty Malware Protection for S3', scanned * volumes.malwareScannedGbPerBucket, UNIT_PRICES.s3MalwareScanGb));

  return { accounts, regions, lines, totalUsd: lines.reduce((sum, each) => sum + each.monthlyUsd, 0) };
}

const usd = (amount: number) => `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const BASIS = { 'aws-page': '', 'published-summaries': ' (published summaries)', unverified: ' (**unverified**: check AWS\'s page)' } as const;
const price = (unit: UnitPrice) => `$${unit.usd} per ${unit.per}${BASIS[unit.basis]}`;

/** The report's section: one table per estimate, unit prices and their date next to the numbers. */
export function costEstimateSection(estimates: readonly CostEstimate[]): string[] {
  const lines = [
    '## Estimated monthly cost of the baseline',
    '',
    `Unit prices: AWS list prices, us-east-1, as of ${PRICES_AS_OF}. Volumes are assumptions (tools/report/cost-estimate.ts); replace them with yours from Cost Explorer. Tiered prices are taken at their first tier, so at scale the estimate is an upper bound.`,
    '',
  ];
  for (const estimate of estimates) {
    lines.push(`### ${estimate.accounts} accounts × ${estimate.regions} regions: about ${usd(estimate.totalUsd)} a month`, '', '| driver | quantity | unit price | monthly |', '| --- | ---: | --- | ---: |');
    for (const each of estimate.lines) lines.push(`| ${each.driver} | ${each.quantity.toLocaleString('en-US')} | ${price(each.unit)} | ${usd(each.monthlyUsd)} |`);
    lines.push('');
  }
  return lines;
}
