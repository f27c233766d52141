import { type BaselineConfig, CIS_ALARM_IDS } from '../../config/schema';
import { cisMetricFilters } from '../../lib/monitoring/cis-filters';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import type { SynthesizedStacks } from './synthesized-stacks';

const has = (stacks: SynthesizedStacks, stack: string, type: string) => Object.keys(stacks[stack]?.resource?.[type] ?? {}).length > 0;
const anyAccount = (stacks: SynthesizedStacks, config: BaselineConfig, type: string) =>
  organizationAccounts(config).some((account) => has(stacks, BaselineNames.accountStack(account.name), type));
/** Mermaid labels are quoted; a quote inside would end them. */
const text = (value: string) => value.replace(/"/g, "'");

/**
 * A Mermaid flowchart of the accounts and the log flows between them, drawn from what the stacks actually declare:
 * a flow appears only when the resources that make it exist.
 */
export function logFlowDiagram(stacks: SynthesizedStacks, config: BaselineConfig): string {
  const names = new BaselineNames(config);
  const { management, logArchive, security } = config.accounts;
  const regions = config.regions.enabled.join(', ');
  const lines = ['flowchart LR'];
  const node = (id: string, label: string, shape: 'box' | 'store' = 'box') => (shape === 'store' ? `${id}[("${text(label)}")]` : `${id}["${text(label)}"]`);

  lines.push(`  subgraph accounts["Every account (${organizationAccounts(config).length}), in ${text(regions)}"]`);
  if (anyAccount(stacks, config, 'aws_config_configuration_recorder')) lines.push(`    ${node('config', 'AWS Config recorders')}`);
  if (anyAccount(stacks, config, 'aws_flow_log')) lines.push(`    ${node('flowLogs', 'VPC flow logs')}`);
  if (anyAccount(stacks, config, 'aws_cloudwatch_event_rule')) lines.push(`    ${node('s3Events', 'S3 data events of monitored buckets')}`);
  const drill = anyAccount(stacks, config, 'aws_scheduler_schedule');
  if (drill) lines.push(`    ${node('drill', `Detection drill: canary read every ${config.detector.drill.intervalHours} h`)}`);
  lines.push('  end');

  lines.push(`  subgraph management["management ${management.id}"]`);
  const trail = has(stacks, BaselineNames.managementStack, 'aws_cloudtrail');
  if (trail) lines.push(`    ${node('trail', `Organization trail ${names.trailName}`)}`);
  const logGroup = has(stacks, BaselineNames.managementStack, 'aws_cloudwatch_log_group');
  if (logGroup) lines.push(`    ${node('trailLogs', `CloudWatch Logs ${names.trailLogGroupName}`)}`);
  // In data-events-only mode the alarms watch the group of another trail (Control Tower's), named in the configuration.
  const externalLogs = !logGroup && config.trail.mode === 'data-events-only' ? config.monitoring.logGroupName : undefined;
  if (externalLogs) lines.push(`    ${node('trailLogs', `CloudWatch Logs ${externalLogs} (management events of another trail)`)}`);
  // Only the CIS alarms: the management stack has others (workloads started in the management account, say).
  const cisMetricNames = new Set(
    cisMetricFilters({
      ...config,
      monitoring: { ...config.monitoring, alarms: Object.fromEntries(CIS_ALARM_IDS.map((id) => [id, { ...config.monitoring.alarms[id], enabled: true }])) as typeof config.monitoring.alarms },
    }).map((filter) => filter.metricName),
  );
  const alarms = Object.values(stacks[BaselineNames.managementStack]?.resource?.aws_cloudwatch_metric_alarm ?? {}).filter((alarm) =>
    cisMetricNames.has(String((alarm as Record<string, unknown>).metric_name)),
  ).length;
  if (alarms) lines.push(`    ${node('alarms', `${alarms} CIS alarms`)}`);
  const alarmTopic = has(stacks, BaselineNames.managementStack, 'aws_sns_topic');
  if (alarmTopic) lines.push(`    ${node('alarmTopic', `SNS ${names.alarmTopicName}`)}`);
  lines.push('  end');

  lines.push(`  subgraph logArchive["log-archive ${logArchive.id}"]`);
  const bucket = has(stacks, BaselineNames.logArchiveStack, 'aws_s3_bucket');
  if (bucket) lines.push(`    ${node('logBucket', `S3 ${names.logBucketName} (KMS ${names.logKeyAliasName})`, 'store')}`);
  const accessLogs = has(stacks, BaselineNames.logArchiveStack, 'aws_s3_bucket_logging');
  if (accessLogs) lines.push(`    ${node('accessLogBucket', `S3 ${names.accessLogBucketName}`, 'store')}`);
  lines.push('  end');

  lines.push(`  subgraph security["security ${security.id}"]`);
  const services = ['aws_guardduty_detector', 'aws_securityhub_organization_configuration'].some((type) => has(stacks, BaselineNames.securityStack, type));
  if (services) lines.push(`    ${node('findings', 'GuardDuty and Security Hub findings')}`);
  const bus = has(stacks, BaselineNames.securityStack, 'aws_cloudwatch_event_bus');
  if (bus) lines.push(`    ${node('bus', `Event bus ${names.detectorEventBusName}`)}`);
  const detector = has(stacks, BaselineNames.securityStack, 'aws_lambda_function');
  if (detector) lines.push(`    ${node('detector', `Detector ${names.detectorFunctionName}`)}`);
  const heartbeats = Object.values(stacks[BaselineNames.securityStack]?.resource?.aws_cloudwatch_metric_alarm ?? {}).filter((alarm) =>
    String((alarm as { alarm_name?: unknown }).alarm_name).startsWith(`${config.prefix}-detector-drill-`),
  ).length;
  if (heartbeats) lines.push(`    ${node('heartbeat', `${heartbeats} drill heartbeat alarm${heartbeats === 1 ? '' : 's'}`)}`);
  const findingsTopic = has(stacks, BaselineNames.securityStack, 'aws_sns_topic');
  if (findingsTopic) lines.push(`    ${node('findingsTopic', `SNS ${names.findingsTopicName}`)}`);
  lines.push('  end');

  lines.push(`  ${node('people', 'Email and HTTPS subscribers')}`);

  const flows: string[] = [];
  const trailEvents = config.trail.mode === 'data-events-only' ? 'data events of every account' : 'API calls of every account';
  if (trail && bucket) flows.push(`trail -->|"${trailEvents}"| logBucket`);
  if (trail && logGroup) flows.push('trail -->|"same events"| trailLogs');
  if ((logGroup || externalLogs) && alarms) flows.push('trailLogs -->|"metric filters"| alarms');
  if (alarms && alarmTopic) flows.push('alarms --> alarmTopic');
  if (alarmTopic) flows.push('alarmTopic --> people');
  if (bucket && anyAccount(stacks, config, 'aws_config_delivery_channel')) flows.push('config -->|"snapshots and history"| logBucket');
  if (bucket && anyAccount(stacks, config, 'aws_flow_log')) flows.push('flowLogs -->|"Parquet, hourly"| logBucket');
  if (bucket && accessLogs) flows.push('logBucket -->|"server access logs"| accessLogBucket');
  if (bus && anyAccount(stacks, config, 'aws_cloudwatch_event_rule')) flows.push('s3Events -->|"EventBridge"| bus');
  if (bus && detector) flows.push('bus --> detector');
  if (detector && findingsTopic) flows.push('detector -->|"alerts"| findingsTopic');
  if (drill && anyAccount(stacks, config, 'aws_cloudwatch_event_rule')) flows.push('drill -->|"read as the drill role"| s3Events');
  if (detector && heartbeats) flows.push('detector -->|"drill arrived"| heartbeat');
  if (heartbeats && findingsTopic) flows.push('heartbeat -->|"no drill in time"| findingsTopic');
  if (services && findingsTopic) flows.push(`findings -->|"${text(config.securityServices.findingsSeverityThreshold)} and above"| findingsTopic`);
  if (findingsTopic) flows.push('findingsTopic --> people');
  lines.push(...flows.map((flow) => `  ${flow}`));
  return lines.join('\n');
}
