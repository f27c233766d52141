import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { MAX_FILTER_PATTERN_LENGTH } from '../monitoring/cis-filters';
import type { BaselineNames } from '../naming';

export const DETECTOR_TAMPERING_METRIC = 'S3AccessDetectorTampering';

/** The alarm's name; the CIS alarm topic lets it publish (CisAlarms' otherAlarmNames). */
export function detectorTamperingAlarmName(names: BaselineNames): string {
  return names.resourceName('s3-access-detector-tampering');
}

const anyOf = (selector: string, values: readonly string[]) => values.map((value) => `${selector} = "${value}"`).join(' || ');

/**
 * The CloudTrail filter patterns, one per service, of every attempt (allowed or denied) to switch the S3 access
 * detector off or rewrite it: its forwarding and detector rules, its bus, its roles, its function, its queues. The
 * guardrail denies these calls to all but the deployment role (lib/guardrails/protect-detector.ts); the alarm says
 * someone tried, and also fires on the deployment role's own changes, which are rare and worth a look. Fields as
 * CloudTrail records the calls (EventBridge: `name`, `rule` or `eventBusName`; IAM: `roleName`; Lambda:
 * `functionName`, and event names with an API version suffix such as "UpdateFunctionCode20150331v2"; SQS:
 * `queueUrl`); syntax:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function detectorTamperingPatterns(names: BaselineNames, functionArn: string): string[] {
  const rule = names.detectorForwardingRuleName;
  const bus = names.detectorEventBusName;
  const roles = [names.detectorForwarderRoleName, names.detectorResponseRoleName, names.detectorFunctionName].sort();
  const eventBridge = [
    'DeleteEventBus',
    'DeleteRule',
    'DisableRule',
    'EnableRule',
    'PutPermission',
    'PutRule',
    'PutTargets',
    'RemovePermission',
    'RemoveTargets',
    'UpdateEventBus',
  ];
  const iam = [
    'AttachRolePolicy',
    'CreateRole',
    'DeleteRole',
    'DeleteRolePermissionsBoundary',
    'DeleteRolePolicy',
    'DetachRolePolicy',
    'PutRolePermissionsBoundary',
    'PutRolePolicy',
    'UpdateAssumeRolePolicy',
    'UpdateRole',
  ];
  const lambda = ['AddPermission*', 'DeleteFunction*', 'PutFunction*', 'RemovePermission*', 'UpdateFunction*'];
  // SQS management calls name the queue by URL (https://sqs.<region>.amazonaws.com/<account>/<name>); queue names
  // hold no "/", so "*/<name>" is that queue in any account and region. These calls are management events
  // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-logging-using-cloudtrail.html).
  const sqs = ['AddPermission', 'DeleteQueue', 'PurgeQueue', 'RemovePermission', 'SetQueueAttributes'];
  const queues = [names.detectorForwardingDeadLetterQueueName, names.detectorFailedInvocationsQueueName, names.detectorUndeliveredQueueName].sort();
  return [
    `{ ($.eventSource = "events.amazonaws.com") && (${anyOf('$.eventName', eventBridge)}) && (` +
      `${anyOf('$.requestParameters.name', [`${rule}*`, names.detectorRuleName, bus])} || ` +
      `${anyOf('$.requestParameters.rule', [`${rule}*`, names.detectorRuleName])} || $.requestParameters.eventBusName = "${bus}") }`,
    `{ ($.eventSource = "iam.amazonaws.com") && (${anyOf('$.eventName', iam)}) && (${anyOf('$.requestParameters.roleName', roles)}) }`,
    `{ ($.eventSource = "lambda.amazonaws.com") && (${anyOf('$.eventName', lambda)}) && (` +
      `${anyOf('$.requestParameters.functionName', [names.detectorFunctionName, functionArn])}) }`,
    `{ ($.eventSource = "sqs.amazonaws.com") && (${anyOf('$.eventName', sqs)}) && (` +
      `${anyOf('$.requestParameters.queueUrl', queues.map((queue) => `*/${queue}`))}) }`,
  ];
}

export interface DetectorTamperingAlarmProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  /** The organization trail's log group in the management account (where the CIS filters are). */
  readonly logGroupName: string;
  /** The CIS alarm topic. */
  readonly topicArn: string;
}

/** Metric filters on the organization trail and an alarm: any attempt to change the detector, in any account. */
export class DetectorTamperingAlarm extends Construct {
  constructor(scope: Construct, id: string, props: DetectorTamperingAlarmProps) {
    super(scope, id);
    const { config, names } = props;
    const region = config.regions.home;
    const functionArn = `arn:${names.partition}:lambda:${region}:${config.accounts.security.id}:function:${names.detectorFunctionName}`;
    const name = detectorTamperingAlarmName(names);
    // One filter per service, one metric: one pattern for all of them would not fit CloudWatch Logs' limit.
    detectorTamperingPatterns(names, functionArn).forEach((pattern, index) => {
      if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
        throw new Error(`prefix: "${config.prefix}": the detector tampering filter would be ${pattern.length} characters; CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}`);
      }
      new CloudwatchLogMetricFilter(this, `Filter${index + 1}`, {
        name: `${name}-${['events', 'iam', 'lambda', 'sqs'][index]}`,
        logGroupName: props.logGroupName,
        pattern,
        region,
        metricTransformation: { name: DETECTOR_TAMPERING_METRIC, namespace: config.monitoring.metricNamespace, value: '1' },
      });
    });
    new CloudwatchMetricAlarm(this, 'Alarm', {
      alarmName: name,
      alarmDescription: 'Someone changed, or tried to change, the S3 access detector (forwarding rules, bus, roles, function, queues)',
      namespace: config.monitoring.metricNamespace,
      metricName: DETECTOR_TAMPERING_METRIC,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.topicArn],
      region,
    });
  }
}
