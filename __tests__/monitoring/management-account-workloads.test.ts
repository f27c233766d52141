import { MAX_FILTER_PATTERN_LENGTH } from '../../lib/monitoring/cis-filters';
import { matchesFilterPattern, parseFilterPattern } from '../../lib/monitoring/filter-pattern';
import { MANAGEMENT_WORKLOADS_METRIC } from '../../lib/monitoring/management-account-workload-alarm';
import {
  managementWorkloadPatterns,
  WATCHED_WORKLOAD_CALLS,
  WORKLOAD_RESOURCE_TYPES,
} from '../../lib/monitoring/management-account-workloads';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';
import { synthManagement } from './management-synth';

/*
 * The management-account workload alarm: its filters, read back from the synthesized management stack, run through the
 * CloudWatch Logs filter evaluator against CloudTrail records of the organization trail.
 */

const config = exampleConfig();
const MANAGEMENT = config.accounts.management.id;
const MEMBER = config.accounts.members[0].id;
const stack = synthManagement(config);
const workloadFilters = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_metric_filter')).filter((filter) =>
  String(filter.name).startsWith('acme-management-account-workloads-'),
);
const alarmTopicPolicy = (synthesized: typeof stack) =>
  Object.entries(resourcesOf(synthesized, 'aws_sns_topic_policy')).find(([id]) => id.startsWith('CisAlarms_'))![1].policy;
const compiled = workloadFilters.map((filter) => parseFilterPattern(String(filter.pattern)));
const alarms = (record: Record<string, unknown>) => compiled.some((pattern) => matchesFilterPattern(pattern, record));

type Identity = Record<string, unknown>;
const person: Identity = {
  type: 'AssumedRole',
  principalId: 'AROA1111EXAMPLEID:jane@example.com',
  arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com`,
  accountId: MANAGEMENT,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      arn: `arn:aws:iam::${MANAGEMENT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`,
      accountId: MANAGEMENT,
      userName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    },
    attributes: { creationDate: '2026-11-20T09:00:00Z', mfaAuthenticated: 'true' },
  },
};
const deploymentRole: Identity = {
  type: 'AssumedRole',
  principalId: 'AROA1111DEPLOYID:acme-baseline-management',
  arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAccountAccessRole/acme-baseline-management`,
  accountId: MANAGEMENT,
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`, accountId: MANAGEMENT, userName: 'OrganizationAccountAccessRole' },
  },
};

/** A CloudTrail management event as the organization trail delivers it to CloudWatch Logs. */
function event(eventSource: string, eventName: string, options: { account?: string; identity?: Identity; errorCode?: string; readOnly?: boolean } = {}) {
  const account = options.account ?? MANAGEMENT;
  return {
    eventVersion: '1.10',
    userIdentity: options.identity ?? person,
    eventTime: '2026-11-20T10:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.24',
    userAgent: 'aws-cli/2.17.20',
    requestParameters: {},
    responseElements: options.errorCode ? null : {},
    ...(options.errorCode ? { errorCode: options.errorCode, errorMessage: 'denied' } : {}),
    requestID: 'a1b2c3d4-0000-0000-0000-000000000000',
    eventID: 'e1f2a3b4-0000-0000-0000-000000000000',
    readOnly: options.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

describe('the watched calls', () => {
  it('are counted into one metric by filters that each fit CloudWatch Logs', () => {
    expect(workloadFilters.length).toBeGreaterThan(0);
    for (const filter of workloadFilters) {
      expect(String(filter.pattern).length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
      expect(filter.metric_transformation).toEqual({ name: MANAGEMENT_WORKLOADS_METRIC, namespace: 'CISBenchmark', value: '1' });
      expect(filter.region).toBe('eu-west-1');
    }
  });

  // CloudTrail's names for the calls the table matches with a wildcard.
  const EXAMPLES: Record<string, string> = {
    'CreateFunction*': 'CreateFunction20150331',
    'UpdateFunctionCode*': 'UpdateFunctionCode20150331v2',
    'RestoreDB*': 'RestoreDBInstanceFromDBSnapshot',
    'RestoreTable*': 'RestoreTableFromBackup',
  };
  it.each(Object.entries(WATCHED_WORKLOAD_CALLS).flatMap(([source, names]) => names.map((name) => [source, EXAMPLES[name] ?? name])))(
    'alarm when a person calls %s %s in the management account',
    (source, name) => {
      expect(alarms(event(source, name))).toBe(true);
    },
  );

  it('alarm when the deployment role itself starts a workload: the baseline never does', () => {
    expect(alarms(event('ec2.amazonaws.com', 'RunInstances', { identity: deploymentRole }))).toBe(true);
  });

  it.each([
    ['the same call in a member account', event('ec2.amazonaws.com', 'RunInstances', { account: MEMBER })],
    ['a refused call (left to the unauthorized-calls alarm)', event('ec2.amazonaws.com', 'RunInstances', { errorCode: 'Client.UnauthorizedOperation' })],
    ['a read-only call', event('ec2.amazonaws.com', 'DescribeInstances', { readOnly: true })],
    ['the listing of functions', event('lambda.amazonaws.com', 'ListFunctions20150331', { readOnly: true })],
    ['a function configuration change', event('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2')],
    ['the deletion of an access key', event('iam.amazonaws.com', 'DeleteAccessKey')],
    ['a same-named call of another service', event('cloudhsm.amazonaws.com', 'CreateCluster')],
    ['the deployment role creating the trail', event('cloudtrail.amazonaws.com', 'CreateTrail', { identity: deploymentRole })],
    ['the deployment role putting a metric filter', event('logs.amazonaws.com', 'PutMetricFilter', { identity: deploymentRole })],
    ['the deployment role creating a role', event('iam.amazonaws.com', 'CreateRole', { identity: deploymentRole })],
    ['the deployment role creating an SCP', event('organizations.amazonaws.com', 'CreatePolicy', { identity: deploymentRole })],
    ['the deployment role creating a topic', event('sns.amazonaws.com', 'CreateTopic', { identity: deploymentRole })],
    ['the deployment role creating a key', event('kms.amazonaws.com', 'CreateKey', { identity: deploymentRole })],
  ])('stay quiet for %s', (_label, record) => {
    expect(alarms(record)).toBe(false);
  });

  it('leave out configured exclusions, and only them', () => {
    const [pattern] = managementWorkloadPatterns(MANAGEMENT, [{ selector: '$.userIdentity.sessionContext.sessionIssuer.userName', value: 'acme-image-builder' }]).map(parseFilterPattern);
    const builder = { ...person, sessionContext: { sessionIssuer: { type: 'Role', userName: 'acme-image-builder' } } };
    expect(matchesFilterPattern(pattern, event('ec2.amazonaws.com', 'RunInstances', { identity: builder }))).toBe(false);
    expect(matchesFilterPattern(pattern, event('ec2.amazonaws.com', 'RunInstances'))).toBe(true);
  });

  it('refuse exclusions that would push a pattern past the length CloudWatch Logs accepts', () => {
    const long = Array.from({ length: 12 }, (_, index) => ({ selector: '$.userIdentity.sessionContext.sessionIssuer.userName', value: `role-${index}-${'x'.repeat(40)}` }));
    expect(() => managementWorkloadPatterns(MANAGEMENT, long)).toThrow(/monitoring\.managementAccountWorkloads\.exclude: .* at most 1024/);
  });
});

describe('the alarm', () => {
  const alarm = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).find((candidate) => candidate.alarm_name === 'acme-management-account-workloads')!;
  const topicId = Object.keys(resourcesOf(stack, 'aws_sns_topic')).find((id) => id.startsWith('CisAlarms_'))!;

  it('notifies the security alarm topic on any watched call within 5 minutes', () => {
    expect(alarm).toMatchObject({
      metric_name: MANAGEMENT_WORKLOADS_METRIC,
      namespace: 'CISBenchmark',
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
      alarm_actions: [`\${aws_sns_topic.${topicId}.arn}`],
    });
  });

  it('may publish to the topic, as the CIS alarms may', () => {
    const policy = JSON.parse(String(alarmTopicPolicy(stack)));
    const cloudwatch = policy.Statement.find((statement: { Principal?: { Service?: string } }) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch.Condition.ArnLike['aws:SourceArn']).toEqual([
      `arn:aws:cloudwatch:eu-west-1:${MANAGEMENT}:alarm:acme-cis-*`,
      `arn:aws:cloudwatch:eu-west-1:${MANAGEMENT}:alarm:acme-management-account-workloads`,
      // The S3 access detector's tampering alarm (the example deploys the detector).
      `arn:aws:cloudwatch:eu-west-1:${MANAGEMENT}:alarm:acme-s3-access-detector-tampering`,
    ]);
  });

  it('can be turned off, which leaves the CIS alarms and their topic policy as they were', () => {
    const off = synthManagement(configWith((input) => {
      input.monitoring = { managementAccountWorkloads: { enabled: false } };
      // Without the detector either, whose tampering alarm shares the topic.
      input.detector = { enabled: false };
    }));
    const names = Object.values(resourcesOf(off, 'aws_cloudwatch_metric_alarm')).map((candidate) => candidate.alarm_name);
    expect(names).not.toContain('acme-management-account-workloads');
    expect(names).toHaveLength(15);
    const policy = JSON.parse(String(alarmTopicPolicy(off)));
    const cloudwatch = policy.Statement.find((statement: { Principal?: { Service?: string } }) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch.Condition.ArnLike['aws:SourceArn']).toBe(`arn:aws:cloudwatch:eu-west-1:${MANAGEMENT}:alarm:acme-cis-*`);
  });
});

describe("the baseline's own deploys into the management account", () => {
  // The management account also owns a monitored bucket here, so its account stack carries the detector's forwarding.
  const withBucket = configWith((input) => {
    input.detector!.monitoredBuckets!.push({ name: 'acme-management-exports', account: 'management', region: 'eu-west-1', keyPatterns: ['*'] });
  });

  it.each([
    ['management', synthManagement(withBucket)],
    ['account-management', synthStack('account-management', withBucket)],
  ])('%s creates nothing whose creation the alarm watches', (_name, synthesized) => {
    const created = Object.keys(synthesized.resource);
    expect(created.filter((type) => type in WORKLOAD_RESOURCE_TYPES)).toEqual([]);
  });

  it('every watched resource type maps to a watched call', () => {
    for (const call of Object.values(WORKLOAD_RESOURCE_TYPES)) {
      const [source, name] = call.split(' ');
      expect(WATCHED_WORKLOAD_CALLS[source]).toContain(name);
    }
  });
});
