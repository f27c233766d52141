import { ASSUMED_VOLUMES, costEstimateSection, estimateMonthlyCost, PRICES_AS_OF, UNIT_PRICES } from '../../tools/report/cost-estimate';
import { configWith, exampleConfig } from '../helpers';

const byDriver = (estimate: ReturnType<typeof estimateMonthlyCost>, driver: RegExp) => estimate.lines.find((each) => driver.test(each.driver));

describe('the monthly cost estimate', () => {
  it('prices the example driver by driver from its accounts, regions and monitored buckets', () => {
    // Act: 5 accounts x 3 regions, one monitored bucket, continuous recording.
    const estimate = estimateMonthlyCost(exampleConfig());
    // Assess
    expect([estimate.accounts, estimate.regions]).toEqual([5, 3]);
    expect(byDriver(estimate, /Config items, continuous/)).toMatchObject({ quantity: 15 * ASSUMED_VOLUMES.configItemsPerAccountRegion, monthlyUsd: 15 * 2_000 * 0.003 });
    expect(byDriver(estimate, /S3 data events/)).toMatchObject({ quantity: ASSUMED_VOLUMES.dataEventsPerMonitoredBucket, monthlyUsd: 5 });
    expect(byDriver(estimate, /CloudWatch Logs ingestion/)!.monthlyUsd).toBeCloseTo(5 * 0.5 * 0.5);
    expect(byDriver(estimate, /flow logs/)!.monthlyUsd).toBeCloseTo(15 * 5 * 0.25);
    expect(byDriver(estimate, /Runtime Monitoring/)).toBeUndefined();
    expect(estimate.totalUsd).toBeCloseTo(estimate.lines.reduce((sum, each) => sum + each.monthlyUsd, 0));
  });

  it('scales to 1,000 accounts, per account and region, leaving the named buckets as they are', () => {
    const example = estimateMonthlyCost(exampleConfig());
    const large = estimateMonthlyCost(exampleConfig(), { accounts: 1000 });
    expect(large.accounts).toBe(1000);
    expect(byDriver(large, /Config items/)!.monthlyUsd).toBeCloseTo((byDriver(example, /Config items/)!.monthlyUsd * 1000) / 5);
    expect(byDriver(large, /S3 data events/)!.monthlyUsd).toBe(byDriver(example, /S3 data events/)!.monthlyUsd);
  });

  it('follows the configuration: daily recording, no CloudWatch Logs in data-events-only mode, GuardDuty plans when on', () => {
    const config = configWith((input) => {
      input.config = { recordingFrequency: 'DAILY' };
      input.trail = { mode: 'data-events-only' };
      input.securityServices = {
        guardDuty: { runtimeMonitoring: true, s3MalwareProtection: { buckets: [{ name: 'acme-uploads', account: 'workload-prod', region: 'eu-west-1' }] } },
      };
    });
    const estimate = estimateMonthlyCost(config);
    expect(byDriver(estimate, /Config items, daily/)).toMatchObject({ unit: UNIT_PRICES.configItemPeriodic });
    expect(byDriver(estimate, /CloudWatch Logs/)).toBeUndefined();
    expect(byDriver(estimate, /Runtime Monitoring/)!.monthlyUsd).toBe(5 * ASSUMED_VOLUMES.runtimeMonitoringVcpusPerAccount * UNIT_PRICES.runtimeMonitoringVcpu.usd);
    expect(byDriver(estimate, /Malware Protection for S3/)!.quantity).toBe(ASSUMED_VOLUMES.malwareScannedGbPerBucket);
  });

  it('prints the unit prices, where they come from and their date next to the numbers, for the example and 1,000 accounts', () => {
    const text = costEstimateSection([estimateMonthlyCost(exampleConfig()), estimateMonthlyCost(exampleConfig(), { accounts: 1000 })]).join('\n');
    expect(text).toContain(`as of ${PRICES_AS_OF}`);
    expect(text).toMatch(/### 5 accounts × 3 regions: about \$[\d,.]+ a month/);
    expect(text).toMatch(/### 1000 accounts × 3 regions: about \$[\d,.]+ a month/);
    expect(text).toContain('| CloudTrail S3 data events (monitored buckets) | 5,000,000 | $0.1 per 100,000 data events | $5.00 |');
    expect(text).toContain('$0.003 per configuration item (continuous recording) (published summaries)');
  });
});

describe('the cost of VPC endpoint network activity', () => {
  it('prices the denials the trail logs by default, per account and region', () => {
    const estimate = estimateMonthlyCost(exampleConfig());
    expect(byDriver(estimate, /network activity events \(endpoint policy denials, 2 service/)).toMatchObject({
      quantity: 15 * ASSUMED_VOLUMES.deniedEndpointCallsPerAccountRegion,
      monthlyUsd: (15 * 1_000 * 0.1) / 100_000,
    });
  });

  it('adds no key per account and region: the forwarding queues are encrypted with SQS-managed keys, at no charge', () => {
    const example = estimateMonthlyCost(exampleConfig());
    const large = estimateMonthlyCost(exampleConfig(), { accounts: 1000 });
    expect(byDriver(example, /forwarding queues/)).toMatchObject({ quantity: 15, unit: UNIT_PRICES.sqsManagedEncryption, monthlyUsd: 0 });
    expect(byDriver(large, /forwarding queues/)).toMatchObject({ quantity: 3000, monthlyUsd: 0 });
    expect(large.lines.filter((line) => /KMS/.test(line.driver + line.unit.per))).toEqual([]);
    // What the 1,000-account organization pays a month, driver by driver (the keys were 3,000 of it at $1 each).
    expect(large.totalUsd).toBeCloseTo(
      3000 * 2_000 * 0.003 + // Config items, continuous
        large.lines.find((line) => /rule evaluations/.test(line.driver))!.monthlyUsd +
        5 + // S3 data events of the one monitored bucket
        1000 * 0.5 * 0.5 + // CloudWatch Logs ingestion
        3000 * 5 * 0.25 + // flow logs
        (3000 * 1_000 * 0.1) / 100_000, // network activity denials
    );
  });

  it('prints the zero-priced line with the page that says SQS-managed encryption costs nothing', () => {
    const text = costEstimateSection([estimateMonthlyCost(exampleConfig(), { accounts: 1000 })]).join('\n');
    expect(text).toContain('| Detector forwarding queues, SQS-managed encryption (every account and region) | 3,000 | $0 per queue encrypted with SQS-managed keys (SSE-SQS) | $0.00 |');
    expect(text).not.toContain('KMS keys of the detector forwarding queues');
  });

  it('prices every call with allEvents, and nothing when the trail logs none', () => {
    const all = estimateMonthlyCost(configWith((input) => (input.trail = { networkActivityEvents: { allEvents: true } })));
    expect(byDriver(all, /network activity events \(every call/)!.monthlyUsd).toBeCloseTo((15 * 2_000_000 * 0.1) / 100_000);
    const none = estimateMonthlyCost(
      configWith((input) => {
        input.trail = { networkActivityEvents: { enabled: false } };
        input.detector!.rules = { vpcEndpointAccess: false };
      }),
    );
    expect(byDriver(none, /network activity/)).toBeUndefined();
    expect(byDriver(none, /forwarding queues/)).toBeUndefined();
  });
});
