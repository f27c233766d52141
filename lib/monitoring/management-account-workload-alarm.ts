import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { managementWorkloadPatterns, type WorkloadAlarmExclusion } from './management-account-workloads';

export interface ManagementAccountWorkloadAlarmProps {
  /** The alarm's name; its metric filters are named after it. */
  readonly alarmName: string;
  readonly managementAccountId: string;
  /** The organization trail's log group (every account's events), in the home region. */
  readonly logGroupName: string;
  readonly region: string;
  readonly namespace: string;
  readonly exclusions: readonly WorkloadAlarmExclusion[];
  /** The topic that reaches people. */
  readonly topicArn: string;
}

/** The metric the filters count into. */
export const MANAGEMENT_WORKLOADS_METRIC = 'ManagementAccountWorkloads';

/**
 * An alarm whenever a workload is started (or an access key minted) in the organization's management account: metric
 * filters on the organization trail's log group count the watched calls into one metric, and any count in 5 minutes
 * notifies people.
 */
export class ManagementAccountWorkloadAlarm extends Construct {
  constructor(scope: Construct, id: string, props: ManagementAccountWorkloadAlarmProps) {
    super(scope, id);
    managementWorkloadPatterns(props.managementAccountId, props.exclusions).forEach((pattern, index) => {
      new CloudwatchLogMetricFilter(this, `Filter${index}`, {
        name: `${props.alarmName}-${index}`,
        logGroupName: props.logGroupName,
        pattern,
        region: props.region,
        metricTransformation: { name: MANAGEMENT_WORKLOADS_METRIC, namespace: props.namespace, value: '1' },
      });
    });
    new CloudwatchMetricAlarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription:
        'A workload was started or an access key created in the management account, which is for account management only (see docs/trail-and-alarms.md)',
      namespace: props.namespace,
      metricName: MANAGEMENT_WORKLOADS_METRIC,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      region: props.region,
    });
  }
}
