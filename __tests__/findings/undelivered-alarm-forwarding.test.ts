import { BaselineNames } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf, synthStack, synthStacks } from '../helpers';
import { evaluate } from '../policy/simulate';

/*
 * A member account's forwarding queue fills when the detector's bus refuses its events. Its alarm fires in the
 * member account; the state change is sent to the security account's default bus in the home region, where findings
 * routing sends it to the findings topic like every other undelivered-findings alarm.
 */

const config = exampleConfig();
const names = new BaselineNames(config);
const SECURITY = '333333333333';
const WORKLOAD = '444444444444';
const HOME_BUS = `arn:aws:events:eu-west-1:${SECURITY}:event-bus/default`;
const stacks = synthStacks(config, ['account-workload-prod', 'account-workload-dev', 'security']);

describe('in the account that owns a monitored bucket', () => {
  const stack = stacks['account-workload-prod'];
  const rules = Object.entries(resourcesOf(stack, 'aws_cloudwatch_event_rule')).filter(([, rule]) => rule.name === names.undeliveredAlarmForwardingRuleName);
  const targets = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_target'));

  it('sends the forwarding queue\'s alarm to the security account\'s default bus in the home region', () => {
    // A forwarding queue in every enabled region: network activity is forwarded from each (eu-west-1 is the home region).
    expect(rules.map(([, rule]) => rule.region)).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
    const [logicalId, rule] = rules[0];
    expect(JSON.parse(String(rule.event_pattern))).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [names.detectorForwardingDeadLetterQueueName], state: { value: ['ALARM'] } },
    });
    const target = targets.find((candidate) => candidate.rule === `\${aws_cloudwatch_event_rule.${logicalId}.name}`)!;
    expect(target.arn).toBe(HOME_BUS);
    expect(target.role_arn).toMatch(/^\$\{aws_iam_role\./);
  });

  it('uses a role EventBridge of this account may assume, that may only put events on that bus', async () => {
    const role = Object.values(resourcesOf(stack, 'aws_iam_role')).find((candidate) => candidate.name === names.undeliveredAlarmForwarderRoleName)!;
    const policy = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).find((candidate) => String(candidate.role).includes('aws_iam_role.'))!;
    const trust = JSON.parse(String(role.assume_role_policy));
    const roleArn = `arn:aws:iam::${WORKLOAD}:role/${names.undeliveredAlarmForwarderRoleName}`;
    const assume = (account: string, rule = names.undeliveredAlarmForwardingRuleName) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: roleArn,
          resourceAccount: WORKLOAD,
          context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:events:eu-west-1:${account}:rule/${rule}` },
        },
        { resourcePolicy: trust },
      );
    await expect(assume(WORKLOAD)).resolves.toBe('Allowed');
    await expect(assume(WORKLOAD, 'another-rule')).resolves.toBe('ImplicitlyDenied');
    await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');
    const policies = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).map((candidate) => JSON.parse(String(candidate.policy)));
    const put = (resource: string) =>
      evaluate(
        // Identity policy alone (the bus policy is checked below): evaluated as if the bus were in the same account.
        { principal: `arn:aws:sts::${WORKLOAD}:assumed-role/${names.undeliveredAlarmForwarderRoleName}/x`, action: 'events:PutEvents', resource, resourceAccount: WORKLOAD },
        { identityPolicies: policies.filter((document) => JSON.stringify(document).includes(HOME_BUS)) },
      );
    expect(policy).toBeDefined();
    await expect(put(HOME_BUS)).resolves.toBe('Allowed');
    await expect(put(`arn:aws:events:eu-west-1:${SECURITY}:event-bus/other`)).resolves.toBe('ImplicitlyDenied');
  });

  it('is left to findings routing in the security account, which forwards its own regions to its home bus', () => {
    const securityOwns = synthStacks(
      configWith((input) => {
        input.detector!.monitoredBuckets!.push({ name: 'acme-security-bucket', account: 'security', region: 'us-east-1', keyPatterns: ['*'] });
      }),
      ['account-security', 'security'],
    );
    expect(
      Object.values(resourcesOf(securityOwns['account-security'], 'aws_cloudwatch_event_rule')).filter((rule) => rule.name === names.undeliveredAlarmForwardingRuleName),
    ).toEqual([]);
    const forward = Object.values(resourcesOf(securityOwns.security, 'aws_cloudwatch_event_rule')).find(
      (rule) => rule.name === 'acme-undelivered-forward-findings' && rule.region === 'us-east-1',
    )!;
    expect(JSON.parse(String(forward.event_pattern)).detail.alarmName).toContain(names.detectorForwardingDeadLetterQueueName);
  });

  it('is needed in every account with forwarding queues: with VPC endpoint network activity forwarded, every account', () => {
    const other = stacks['account-workload-dev'];
    expect(Object.values(resourcesOf(other, 'aws_cloudwatch_event_rule')).filter((rule) => rule.name === names.undeliveredAlarmForwardingRuleName)).toHaveLength(3);
  });
});

describe('in the security account', () => {
  const stack = stacks.security;

  it('lets the accounts of the organization, every one forwarding network activity, put events on the home default bus, adding to its policy', () => {
    // aws_cloudwatch_event_permission adds one statement (PutPermission); a bus policy resource would replace them all.
    expect(resourcesOf(stack, 'aws_cloudwatch_event_bus_policy')).not.toContainEqual(expect.objectContaining({ event_bus_name: 'default' }));
    expect(Object.values(resourcesOf(stack, 'aws_cloudwatch_event_permission'))).toEqual([
      {
        event_bus_name: 'default',
        principal: '*',
        action: 'events:PutEvents',
        statement_id: `${names.undeliveredAlarmForwardingRuleName}-organization`,
        condition: { key: 'aws:PrincipalOrgID', type: 'StringEquals', value: 'o-a1b2c3d4e5' },
        region: 'eu-west-1',
      },
    ]);
  });

  it('lets each account owning monitored buckets, and no other, do so when network activity is not forwarded', () => {
    const s3Only = synthStack('security', configWith((input) => (input.detector!.rules = { vpcEndpointAccess: false })));
    expect(Object.values(resourcesOf(s3Only, 'aws_cloudwatch_event_permission'))).toEqual([
      {
        event_bus_name: 'default',
        principal: WORKLOAD,
        action: 'events:PutEvents',
        statement_id: `${names.undeliveredAlarmForwardingRuleName}-${WORKLOAD}`,
        region: 'eu-west-1',
      },
    ]);
  });

  it('sends the forwarded alarms on to the findings topic', () => {
    const home = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_rule')).find((rule) => rule.name === 'acme-undelivered-findings')!;
    expect(JSON.parse(String(home.event_pattern)).detail.alarmName).toContain(names.detectorForwardingDeadLetterQueueName);
  });
});
