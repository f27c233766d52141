import { COMPUTE_LAUNCH_ACTIONS } from '../../lib/cost/compute-launch-deny';
import { organizationAccounts } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack } from '../helpers';
import { synthManagement } from '../monitoring/management-synth';
import { evaluate } from '../policy/simulate';

/* Spending limits against resource misuse: budgets per account and anomaly detection, in the management account. */

const config = exampleConfig();
const MANAGEMENT = config.accounts.management.id;
const stack = synthManagement(config);
const all = (s: SynthesizedStack, type: string) => Object.entries(resourcesOf(s, type)) as [string, Record<string, any>][];
const costTopic = (s: SynthesizedStack) => all(s, 'aws_sns_topic').find(([, topic]) => topic.name === 'acme-cost-alerts');
const costTopicRef = (s: SynthesizedStack) => `\${aws_sns_topic.${costTopic(s)![0]}.arn}`;
const budgets = (s: SynthesizedStack) => all(s, 'aws_budgets_budget').map(([, budget]) => budget);

describe('account budgets', () => {
  it('give every account of the organization a monthly cost budget, held in the management account', () => {
    const accounts = organizationAccounts(config);
    expect(budgets(stack).map((budget) => budget.name).sort()).toEqual(accounts.map((account) => `acme-${account.name}-monthly`).sort());
    for (const account of accounts) {
      const budget = budgets(stack).find((candidate) => candidate.name === `acme-${account.name}-monthly`)!;
      expect(budget).toMatchObject({
        account_id: MANAGEMENT,
        budget_type: 'COST',
        limit_amount: '1000.00',
        limit_unit: 'USD',
        time_unit: 'MONTHLY',
        cost_filter: [{ name: 'LinkedAccount', values: [account.id] }],
      });
    }
  });

  it('notify the cost alert topic at 80% and 100% of actual spend and at 100% of forecast spend', () => {
    for (const budget of budgets(stack)) {
      expect(budget.notification).toEqual(
        [
          ['ACTUAL', 80],
          ['ACTUAL', 100],
          ['FORECASTED', 100],
        ].map(([type, threshold]) => ({
          comparison_operator: 'GREATER_THAN',
          threshold,
          threshold_type: 'PERCENTAGE',
          notification_type: type,
          subscriber_sns_topic_arns: [costTopicRef(stack)],
        })),
      );
    }
  });

  it('take a per-account amount over the default, and other thresholds', () => {
    const tuned = synthManagement(
      configWith((input) => {
        input.costGuardrails = {
          budgets: { monthlyLimitUsd: 250, accountLimitsUsd: { 'workload-prod': 12500.5 }, actualThresholdPercents: [100, 50], forecastThresholdPercent: 120 },
        };
      }),
    );
    const byName = (name: string) => budgets(tuned).find((budget) => budget.name === name)!;
    expect(byName('acme-workload-prod-monthly').limit_amount).toBe('12500.50');
    expect(byName('acme-workload-dev-monthly').limit_amount).toBe('250.00');
    expect(byName('acme-workload-dev-monthly').notification.map((n: Record<string, unknown>) => [n.notification_type, n.threshold])).toEqual([
      ['ACTUAL', 50],
      ['ACTUAL', 100],
      ['FORECASTED', 120],
    ]);
  });

  it('attach no spending deny unless asked', () => {
    expect(all(stack, 'aws_budgets_budget_action')).toEqual([]);
    expect(all(stack, 'aws_organizations_policy').map(([, policy]) => policy.name)).not.toContain('acme-deny-compute-launch');
  });
});

describe('the cost alert topic', () => {
  const policy = JSON.parse(String(all(stack, 'aws_sns_topic_policy').find(([id]) => id.startsWith('CostGuardrails_'))![1].policy));
  const topicArn = `arn:aws:sns:eu-west-1:${MANAGEMENT}:acme-cost-alerts`;
  const publish = (principal: string, context: Record<string, string>) =>
    evaluate({ principal, action: 'sns:Publish', resource: topicArn, resourceAccount: MANAGEMENT, context }, { resourcePolicy: policy });

  it('is encrypted and reaches the configured people', () => {
    expect(costTopic(stack)![1].kms_master_key_id).toMatch(/^\$\{aws_kms_key\.CostGuardrails_Topic_Key_/);
    const subscriptions = all(stack, 'aws_sns_topic_subscription').filter(([, subscription]) => subscription.topic_arn === costTopicRef(stack));
    expect(subscriptions.map(([, subscription]) => [subscription.protocol, subscription.endpoint])).toEqual([['email', 'security-alerts@example.com']]);
  });

  it("takes budget notifications of this account's budgets only", async () => {
    await expect(
      publish('budgets.amazonaws.com', { 'aws:SourceAccount': MANAGEMENT, 'aws:SourceArn': `arn:aws:budgets::${MANAGEMENT}:budget/acme-workload-prod-monthly` }),
    ).resolves.toBe('Allowed');
    await expect(
      publish('budgets.amazonaws.com', { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': 'arn:aws:budgets::999999999999:budget/x' }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it("takes anomaly notifications on this account's behalf only", async () => {
    await expect(publish('costalerts.amazonaws.com', { 'aws:SourceAccount': MANAGEMENT })).resolves.toBe('Allowed');
    await expect(publish('costalerts.amazonaws.com', { 'aws:SourceAccount': '999999999999' })).resolves.toBe('ImplicitlyDenied');
  });

  it('lets no other service publish', async () => {
    await expect(publish('events.amazonaws.com', { 'aws:SourceAccount': MANAGEMENT, 'aws:SourceArn': `arn:aws:events:eu-west-1:${MANAGEMENT}:rule/x` })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('cost anomaly detection', () => {
  it('watches every service with an AWS-managed monitor and notifies each anomaly above the impact threshold', () => {
    const [[monitorId, monitor]] = all(stack, 'aws_ce_anomaly_monitor');
    expect(monitor).toEqual({ name: 'acme-service-spend', monitor_type: 'DIMENSIONAL', monitor_dimension: 'SERVICE' });
    const [[, subscription]] = all(stack, 'aws_ce_anomaly_subscription');
    expect(subscription).toEqual({
      name: 'acme-cost-anomalies',
      account_id: MANAGEMENT,
      monitor_arn_list: [`\${aws_ce_anomaly_monitor.${monitorId}.arn}`],
      frequency: 'IMMEDIATE',
      subscriber: [{ type: 'SNS', address: costTopicRef(stack) }],
      threshold_expression: { dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', match_options: ['GREATER_THAN_OR_EQUAL'], values: ['100'] } },
    });
  });

  it('can watch each linked account instead, at another threshold', () => {
    const byAccount = synthManagement(configWith((input) => (input.costGuardrails = { anomalyDetection: { monitor: 'linked-account', impactThresholdUsd: 40 } })));
    expect(all(byAccount, 'aws_ce_anomaly_monitor')[0][1]).toMatchObject({ monitor_dimension: 'LINKED_ACCOUNT', name: 'acme-linked-account-spend' });
    expect(all(byAccount, 'aws_ce_anomaly_subscription')[0][1].threshold_expression.dimension.values).toEqual(['40']);
  });

  it('subscribes to monitors the account already has instead of creating one, since AWS allows one per dimension', () => {
    const existing = 'arn:aws:ce::111111111111:anomalymonitor/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const adopted = synthManagement(configWith((input) => (input.costGuardrails = { anomalyDetection: { existingMonitorArns: [existing] } })));
    expect(all(adopted, 'aws_ce_anomaly_monitor')).toEqual([]);
    expect(all(adopted, 'aws_ce_anomaly_subscription')[0][1].monitor_arn_list).toEqual([existing]);
  });
});

describe('turning each off', () => {
  it('leaves out budgets, anomaly detection, and with both off the cost topic', () => {
    const noBudgets = synthManagement(configWith((input) => (input.costGuardrails = { budgets: { enabled: false } })));
    expect(all(noBudgets, 'aws_budgets_budget')).toEqual([]);
    expect(all(noBudgets, 'aws_ce_anomaly_monitor')).toHaveLength(1);
    const policy = JSON.parse(String(all(noBudgets, 'aws_sns_topic_policy').find(([id]) => id.startsWith('CostGuardrails_'))![1].policy));
    expect(JSON.stringify(policy)).not.toContain('budgets.amazonaws.com');

    const none = synthManagement(configWith((input) => (input.costGuardrails = { budgets: { enabled: false }, anomalyDetection: { enabled: false } })));
    expect(all(none, 'aws_ce_anomaly_monitor')).toEqual([]);
    expect(costTopic(none)).toBeUndefined();
  });
});

describe('the compute-launch deny above a hard limit (optional)', () => {
  const hard = synthManagement(configWith((input) => (input.costGuardrails = { computeLaunchDeny: { enabled: true, thresholdPercent: 200 } })));
  const [[policyId, scp]] = all(hard, 'aws_organizations_policy').filter(([, policy]) => policy.name === 'acme-deny-compute-launch');
  const actions = all(hard, 'aws_budgets_budget_action').map(([, action]) => action);
  const [[roleId, role]] = all(hard, 'aws_iam_role').filter(([, candidate]) => candidate.name === 'acme-budget-actions');

  it('is a service control policy that nothing attaches but the budget action', () => {
    expect(scp.type).toBe('SERVICE_CONTROL_POLICY');
    const attachments = all(hard, 'aws_organizations_policy_attachment').filter(([, attachment]) => attachment.policy_id === `\${aws_organizations_policy.${policyId}.id}`);
    expect(attachments).toEqual([]);
  });

  it('denies launching compute to everyone in the account, and leaves stopping and cleaning up allowed', async () => {
    const document = JSON.parse(scp.content);
    expect(document.Statement).toEqual([{ Sid: 'DenyComputeLaunchOverBudget', Effect: 'Deny', Action: [...COMPUTE_LAUNCH_ACTIONS], Resource: '*' }]);
    const instance = 'arn:aws:ec2:eu-west-1:444444444444:instance/i-0a1b2c3d4e5f60718';
    const func = 'arn:aws:lambda:eu-west-1:444444444444:function:miner';
    const request = (action: string, resource: string) =>
      evaluate(
        { principal: 'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole', action, resource, resourceAccount: '444444444444' },
        { identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], serviceControlPolicies: [[document]] },
      );
    await expect(request('ec2:RunInstances', instance)).resolves.toBe('ExplicitlyDenied');
    await expect(request('ec2:StartInstances', instance)).resolves.toBe('ExplicitlyDenied');
    await expect(request('lambda:CreateFunction', func)).resolves.toBe('ExplicitlyDenied');
    await expect(request('ec2:TerminateInstances', instance)).resolves.toBe('Allowed');
    await expect(request('ec2:StopInstances', instance)).resolves.toBe('Allowed');
    await expect(request('lambda:DeleteFunction', func)).resolves.toBe('Allowed');
    // Scaling an attacker's Auto Scaling group to zero stays possible.
    const group = 'arn:aws:autoscaling:eu-west-1:444444444444:autoScalingGroup:0a1b2c3d-0000-0000-0000-000000000000:autoScalingGroupName/miners';
    await expect(request('autoscaling:UpdateAutoScalingGroup', group)).resolves.toBe('Allowed');
  });

  it('is applied automatically by every member account budget at the hard limit, never to the management account', () => {
    const budgetIds = Object.fromEntries(all(hard, 'aws_budgets_budget').map(([id, budget]) => [budget.name, id]));
    expect(actions.map((action) => action.budget_name).sort()).toEqual(
      ['log-archive', 'security', 'workload-prod', 'workload-dev'].map((name) => `\${aws_budgets_budget.${budgetIds[`acme-${name}-monthly`]}.name}`).sort(),
    );
    for (const action of actions) {
      expect(action).toMatchObject({
        account_id: MANAGEMENT,
        action_type: 'APPLY_SCP_POLICY',
        approval_model: 'AUTOMATIC',
        notification_type: 'ACTUAL',
        execution_role_arn: `\${aws_iam_role.${roleId}.arn}`,
        action_threshold: { action_threshold_type: 'PERCENTAGE', action_threshold_value: 200 },
        subscriber: [{ address: costTopicRef(hard), subscription_type: 'SNS' }],
      });
      expect(action.definition.scp_action_definition.policy_id).toBe(`\${aws_organizations_policy.${policyId}.id}`);
    }
    const targets = actions.map((action) => action.definition.scp_action_definition.target_ids[0]).sort();
    expect(targets).toEqual(['222222222222', '333333333333', '444444444444', '555555555555']);
  });

  it("runs as a role only this account's budgets can assume, that can attach only that policy", async () => {
    const trust = JSON.parse(role.assume_role_policy);
    const assume = (account: string) =>
      evaluate(
        {
          principal: 'budgets.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${MANAGEMENT}:role/acme-budget-actions`,
          resourceAccount: MANAGEMENT,
          context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:budgets::${account}:budget/acme-workload-dev-monthly` },
        },
        { resourcePolicy: trust },
      );
    await expect(assume(MANAGEMENT)).resolves.toBe('Allowed');
    await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');

    const [[, inline]] = all(hard, 'aws_iam_role_policy').filter(([, policy]) => policy.role === `\${aws_iam_role.${roleId}.name}`);
    expect(JSON.parse(inline.policy).Statement).toEqual([
      {
        Sid: 'AttachComputeLaunchDenyToBudgetedAccounts',
        Effect: 'Allow',
        Action: ['organizations:AttachPolicy', 'organizations:DetachPolicy'],
        Resource: [`\${aws_organizations_policy.${policyId}.arn}`, `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/*`],
      },
      { Sid: 'ReadComputeLaunchDeny', Effect: 'Allow', Action: 'organizations:DescribePolicy', Resource: `\${aws_organizations_policy.${policyId}.arn}` },
    ]);
  });
});
