import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../functions/detector/handler';

export interface DetectorAlarmsProps {
  readonly functionName: string;
  readonly region: string;
  /** Where the alarms notify: the findings topic, which the people who act on findings read. */
  readonly topicArn: string;
}

/** Oldest an event may wait in Lambda's asynchronous queue before someone should look: five minutes, in milliseconds. */
export const MAX_EVENT_AGE_MS = 300_000;

/**
 * The detector falling behind or being fed forgeries, each an alarm: throttled invocations (reserved concurrency
 * exhausted, by a flood or by real load), events waiting long in the asynchronous queue, events Lambda dropped
 * (expired or out of retries), and events dropped as not CloudTrail's (UntrustedEvents). The Lambda metrics are
 * documented at https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (Throttles;
 * AsyncEventAge in milliseconds; AsyncEventsDropped).
 */
export class DetectorAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: DetectorAlarmsProps) {
    super(scope, id);
    const lambda = { namespace: 'AWS/Lambda', dimensions: { FunctionName: props.functionName } };
    const definitions = [
      { id: 'Throttles', what: 'invocations throttled: events wait or age out', metricName: 'Throttles', statistic: 'Sum', threshold: 0, ...lambda },
      {
        id: 'EventAge',
        what: `events waited more than ${MAX_EVENT_AGE_MS / 60_000} minutes to be judged`,
        metricName: 'AsyncEventAge',
        statistic: 'Maximum',
        threshold: MAX_EVENT_AGE_MS,
        ...lambda,
      },
      { id: 'DroppedEvents', what: 'events dropped without being judged', metricName: 'AsyncEventsDropped', statistic: 'Sum', threshold: 0, ...lambda },
      {
        id: 'UntrustedEvents',
        what: 'events that are not CloudTrail records of an organization account reached the detector',
        metricName: 'UntrustedEvents',
        statistic: 'Sum',
        threshold: 0,
        namespace: METRIC_NAMESPACE,
        dimensions: undefined,
      },
    ];
    this.alarms = definitions.map(
      (definition) =>
        new CloudwatchMetricAlarm(this, definition.id, {
          alarmName: `${props.functionName}-${definition.id.replace(/[A-Z]/g, (letter, at: number) => `${at > 0 ? '-' : ''}${letter.toLowerCase()}`)}`,
          alarmDescription: `S3 access detector: ${definition.what}`,
          namespace: definition.namespace,
          metricName: definition.metricName,
          ...(definition.dimensions ? { dimensions: definition.dimensions } : {}),
          statistic: definition.statistic,
          period: 300,
          evaluationPeriods: 1,
          threshold: definition.threshold,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: [props.topicArn],
          region: props.region,
        }),
    );
  }
}
