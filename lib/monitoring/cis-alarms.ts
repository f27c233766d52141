import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { NotificationTopic } from '../common/notification-topic';
import type { BaselineNames } from '../naming';
import { cisMetricFilters } from './cis-filters';

export interface CisAlarmsProps {
  /** Alarm toggles and exclusions, metric namespace, subscribers. */
  readonly config: BaselineConfig;
  /** Alarm, filter and topic names. */
  readonly names: BaselineNames;
  /** The CloudWatch Logs group, in the home region, of the trail that logs management events. */
  readonly logGroupName: string;
  /** Other alarms of the stack that notify the same topic, by name. */
  readonly otherAlarmNames?: readonly string[];
}

/**
 * The CIS monitoring items: one metric filter per enabled item on the trail's log group, one metric each in one
 * namespace, and an alarm on each (any event in 5 minutes) that notifies the encrypted alarm topic's subscribers.
 */
export class CisAlarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const { config, names } = props;
    const region = config.regions.home;
    const accountId = config.accounts.management.id;
    const namespace = config.monitoring.metricNamespace;

    const alarmArns = [names.cisAlarmName('*'), ...(props.otherAlarmNames ?? [])].map(
      (alarmName) => `arn:${names.partition}:cloudwatch:${region}:${accountId}:alarm:${alarmName}`,
    );
    this.topic = new NotificationTopic(this, 'Topic', {
      name: names.alarmTopicName,
      accountId,
      region,
      publishers: [
        {
          service: 'cloudwatch.amazonaws.com',
          sourceArnLike: alarmArns.length === 1 ? alarmArns[0] : alarmArns,
          label: 'CisAlarms',
        },
      ],
      subscribers: config.notifications,
    }).topic;

    for (const filter of cisMetricFilters(config)) {
      const name = names.cisAlarmName(filter.id);
      new CloudwatchLogMetricFilter(this, `Filter-${filter.id}`, {
        name,
        logGroupName: props.logGroupName,
        pattern: filter.pattern,
        region,
        // No default value: minutes without a matching event publish no data point, which the alarm treats as OK.
        metricTransformation: { name: filter.metricName, namespace, value: '1' },
      });
      new CloudwatchMetricAlarm(this, `Alarm-${filter.id}`, {
        alarmName: name,
        alarmDescription: `${filter.control}: ${filter.title}`,
        namespace,
        metricName: filter.metricName,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.arn],
        region,
      });
    }
  }
}
