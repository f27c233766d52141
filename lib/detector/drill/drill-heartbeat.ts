import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../../config/schema';
import { DRILL_HEARTBEAT_METRIC, DRILL_METRIC_NAMESPACE } from '../../../functions/detector/drill';
import { FINDINGS_RETRY_POLICY } from '../../findings/findings-routing';
import { BaselineNames } from '../../naming';
import { type DrillTarget, drillNames, drillTargets, HEARTBEAT_PERIOD_SECONDS, heartbeatEvaluationPeriods, heartbeatRoutingRuleName } from './drill-plan';

export interface DrillHeartbeatProps {
  readonly config: BaselineConfig;
  /** The security findings topic (findings routing), where the alarm's state change is sent. */
  readonly findingsTopicArn: string;
  /** The home region's dead-letter queue of findings routing, for what the topic cannot take. */
  readonly deadLetterQueueArn: string;
}

/** The hops a drill finding crosses, in order, each with where to look; the alarm names them. */
export function drillHops(config: BaselineConfig, target: DrillTarget): string[] {
  const names = new BaselineNames(config);
  const drill = drillNames(config);
  const security = config.accounts.security.id;
  const home = config.regions.home;
  return [
    `1. drill runner ${drill.runnerName} in ${target.accountId}/${target.region}: its logs (did it read s3://${target.bucket}/${target.key}?) and schedule ${drill.scheduleName}`,
    `2. organization trail ${names.trailName}: logging, and data event selectors that include ${target.bucket}`,
    `3. forwarding rule ${names.detectorForwardingRuleName} on the default bus of ${target.accountId}/${target.region}: MatchedEvents, FailedInvocations, queue ${names.detectorForwardingDeadLetterQueueName}`,
    `4. bus ${names.detectorEventBusName} and rule ${names.detectorRuleName} in ${security}/${home}: MatchedEvents, queue ${names.detectorRuleName}-undelivered`,
    `5. function ${names.detectorFunctionName}: Errors, Throttles, log lines "detection drill arrived", queue ${names.detectorFunctionName}-failed-invocations`,
  ];
}

/**
 * The drill's heartbeat in the security account: per monitored bucket, an alarm on the detector's DrillHeartbeat
 * metric that fires when no drill finding has arrived for the drill interval plus the allowed delivery delay. A
 * missing metric counts as breaching (no heartbeat is exactly what it watches for). Its state change goes through
 * the default bus to the security findings topic, as the findings routing's own alarms do (an alarm action could
 * reach only a topic whose policy names CloudWatch; the findings topic accepts the `<prefix>-*-findings` rules).
 */
export class DrillHeartbeat extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly rule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: DrillHeartbeatProps) {
    super(scope, id);
    const { config } = props;
    const targets = drillTargets(config);
    if (targets.length === 0) return;
    const names = new BaselineNames(config);
    const drill = drillNames(config);
    const home = config.regions.home;
    const { intervalHours, deliveryAllowanceHours } = config.detector.drill;
    const periods = heartbeatEvaluationPeriods(intervalHours, deliveryAllowanceHours);

    for (const target of targets) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `Alarm-${target.bucket}`, {
          alarmName: drill.heartbeatAlarmName(target.bucket),
          // At most 1024 characters (PutMetricAlarm); the hops name resources, not prose.
          alarmDescription: [
            `No detection drill finding for s3://${target.bucket} (account ${target.accountId}, ${target.region}) in ${periods} hours: a read of this bucket would go unreported. Check in order:`,
            ...drillHops(config, target),
          ]
            .join('\n')
            .slice(0, 1024),
          namespace: DRILL_METRIC_NAMESPACE,
          metricName: DRILL_HEARTBEAT_METRIC,
          dimensions: { Bucket: target.bucket },
          statistic: 'Sum',
          period: HEARTBEAT_PERIOD_SECONDS,
          evaluationPeriods: periods,
          datapointsToAlarm: periods,
          threshold: 1,
          comparisonOperator: 'LessThanThreshold',
          treatMissingData: 'breaching',
          region: home,
        }),
      );
    }

    // CloudWatch sends alarm state changes to the default bus, durably:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: heartbeatRoutingRuleName(config),
      description: `Detection drill heartbeat alarms to ${names.findingsTopicName}`,
      eventPattern: JSON.stringify({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: drill.heartbeatAlarmPrefix }], state: { value: ['ALARM'] } },
      }),
      region: home,
    });
    new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      targetId: 'findings-topic',
      arn: props.findingsTopicArn,
      inputTransformer: {
        inputPaths: { alarm: '$.detail.alarmName', description: '$.detail.configuration.description', reason: '$.detail.state.reason' },
        inputTemplate: JSON.stringify(['Detection drill missing (alarm <alarm>)', '<description>', '<reason>', 'Runbook: docs/detector.md, "Detection drill"'].join('\n')),
      },
      retryPolicy: FINDINGS_RETRY_POLICY,
      deadLetterConfig: { arn: props.deadLetterQueueArn },
      region: home,
    });
  }
}
