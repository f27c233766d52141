import { detectorTamperingPatterns } from '../../lib/detector/detector-tamper-alarm';
import { detectorDeployed } from '../../lib/detector/monitored-buckets';
import { matchesFilterPattern, parseFilterPattern } from '../../lib/monitoring/filter-pattern';
import { BaselineNames } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

/* The alarm on attempts to switch the detector off or rewrite it, as CloudTrail records them in any account. */

const config = exampleConfig();
const names = new BaselineNames(config);
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:333333333333:function:acme-s3-access-detector';
const patterns = detectorTamperingPatterns(names, FUNCTION_ARN).map(parseFilterPattern);
const alarmed = (record: Record<string, unknown>) => patterns.some((pattern) => matchesFilterPattern(pattern, record));
const call = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, errorCode?: string) => ({
  eventVersion: '1.10',
  eventSource,
  eventName,
  requestParameters,
  recipientAccountId: '444444444444',
  ...(errorCode ? { errorCode } : {}),
});

describe('the detector tampering alarm', () => {
  it.each([
    ['disabling the forwarding rule', call('events.amazonaws.com', 'DisableRule', { name: 'acme-forward-s3-data-events' })],
    ['re-enabling it (after reading unseen)', call('events.amazonaws.com', 'EnableRule', { name: 'acme-forward-s3-data-events' })],
    ['a denied attempt on a further forwarding rule', call('events.amazonaws.com', 'PutRule', { name: 'acme-forward-s3-data-events-2' }, 'AccessDenied')],
    ['removing its target', call('events.amazonaws.com', 'RemoveTargets', { rule: 'acme-forward-s3-data-events', ids: ['detector-bus'] })],
    ['deleting the detector rule', call('events.amazonaws.com', 'DeleteRule', { name: 'acme-s3-access-detector', eventBusName: 'acme-s3-data-events' })],
    ['changing the bus policy', call('events.amazonaws.com', 'PutPermission', { eventBusName: 'acme-s3-data-events', policy: '{}' })],
    ['rewriting the forwarder trust', call('iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: 'acme-s3-data-event-forwarder' })],
    ['a policy on the response role', call('iam.amazonaws.com', 'PutRolePolicy', { roleName: 'acme-detector-response', policyName: 'x' })],
    ['replacing the function code', call('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: 'acme-s3-access-detector' })],
    ['throttling the function to zero', call('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', { functionName: FUNCTION_ARN })],
    // The forwarding queues have no key of their own: their attributes and policy are the control to watch.
    [
      "switching a forwarding queue's encryption",
      call('sqs.amazonaws.com', 'SetQueueAttributes', {
        queueUrl: 'https://sqs.eu-central-1.amazonaws.com/444444444444/acme-forward-s3-data-events-undelivered',
        attributes: { SqsManagedSseEnabled: 'false' },
      }),
    ],
    [
      'a denied grant on a forwarding queue',
      call('sqs.amazonaws.com', 'AddPermission', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/444444444444/acme-forward-s3-data-events-undelivered', label: 'x' }, 'AccessDenied'),
    ],
    ['purging the failed invocations', call('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/333333333333/acme-s3-access-detector-failed-invocations' })],
    ['deleting the undelivered events', call('sqs.amazonaws.com', 'DeleteQueue', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/333333333333/acme-s3-access-detector-undelivered' })],
  ])('fires on %s', (_, record) => {
    expect(alarmed(record)).toBe(true);
  });

  it.each([
    ['reading the forwarding rule', call('events.amazonaws.com', 'DescribeRule', { name: 'acme-forward-s3-data-events' })],
    ['disabling another rule', call('events.amazonaws.com', 'DisableRule', { name: 'nightly-report' })],
    ['a policy on another role', call('iam.amazonaws.com', 'PutRolePolicy', { roleName: 'workload-admin' })],
    ['reading the response role', call('iam.amazonaws.com', 'GetRole', { roleName: 'acme-detector-response' })],
    ['invoking the function', call('lambda.amazonaws.com', 'Invoke', { functionName: 'acme-s3-access-detector' })],
    ['changing another function', call('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: 'api' })],
    ['changing another queue', call('sqs.amazonaws.com', 'SetQueueAttributes', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/444444444444/orders' })],
    [
      'a queue whose name ends like a forwarding queue',
      call('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/444444444444/x-acme-forward-s3-data-events-undelivered' }),
    ],
    ['reading a forwarding queue', call('sqs.amazonaws.com', 'GetQueueAttributes', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/444444444444/acme-forward-s3-data-events-undelivered' })],
  ])('stays quiet on %s', (_, record) => {
    expect(alarmed(record)).toBe(false);
  });

  it('is one alarm on the CIS alarm topic, fed by four filters on the trail log group, each within the length limit', () => {
    const stack = synthStack('management', config);
    const filters = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_metric_filter')).filter((filter) => String(filter.name).includes('tampering'));
    expect(filters.map((filter) => filter.name)).toEqual([
      'acme-s3-access-detector-tampering-events',
      'acme-s3-access-detector-tampering-iam',
      'acme-s3-access-detector-tampering-lambda',
      'acme-s3-access-detector-tampering-sqs',
    ]);
    for (const filter of filters) expect(String(filter.pattern).length).toBeLessThanOrEqual(1024);
    const alarm = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).find((candidate) => candidate.alarm_name === 'acme-s3-access-detector-tampering');
    expect(alarm).toMatchObject({ metric_name: 'S3AccessDetectorTampering', threshold: 1, treat_missing_data: 'notBreaching' });
  });

  it('is not there without a detector', () => {
    const without = configWith((input) => {
      input.detector = { enabled: false };
    });
    expect(detectorDeployed(without)).toBe(false);
    const stack = synthStack('management', without);
    expect(Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).map((alarm) => alarm.alarm_name)).not.toContain('acme-s3-access-detector-tampering');
  });

  it('fits the length limit with the longest prefix', () => {
    const longest = configWith((input) => {
      input.prefix = 'abcdefghijklmnopqrst';
    });
    for (const pattern of detectorTamperingPatterns(new BaselineNames(longest), FUNCTION_ARN.replace('acme', 'abcdefghijklmnopqrst'))) {
      expect(pattern.length).toBeLessThanOrEqual(1024);
    }
  });
});
