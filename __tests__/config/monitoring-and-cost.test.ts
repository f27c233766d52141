import { parseConfig } from '../../config/load';
import { exampleInput, problemsWith } from './example-input';

/* The management-account workload alarm's settings, checked when the configuration is loaded. */


describe('monitoring.managementAccountWorkloads', () => {
  it('is on by default, with no exclusions', () => {
    expect(parseConfig(exampleInput()).monitoring.managementAccountWorkloads).toEqual({ enabled: true, exclude: [] });
  });

  it('accepts a few exclusions', () => {
    const exclude = [{ selector: '$.userIdentity.sessionContext.sessionIssuer.userName', value: 'acme-image-builder' }];
    expect(problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude } }))).toEqual([]);
  });

  it('rejects exclusions that would make a filter pattern longer than CloudWatch Logs accepts, naming the path', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({
      selector: '$.userIdentity.sessionContext.sessionIssuer.arn',
      value: `arn:aws:iam::444444444444:role/acme-automation-${index}`,
    }));
    const problems = problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude } }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['monitoring.managementAccountWorkloads.exclude']);
    expect(problems[0].expected).toMatch(/^expected fewer or shorter exclusions: .*at most 1024/);
  });

  it('does not check exclusions of a disabled alarm', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({ selector: '$.userIdentity.arn', value: `x${index}${'y'.repeat(60)}` }));
    expect(problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { enabled: false, exclude } }))).toEqual([]);
  });
});

describe('costGuardrails', () => {
  it('is on by default, budgets and anomaly detection, without the compute-launch deny', () => {
    const cost = parseConfig(exampleInput()).costGuardrails;
    expect(cost.budgets).toEqual({ enabled: true, monthlyLimitUsd: 1000, accountLimitsUsd: {}, actualThresholdPercents: [80, 100], forecastThresholdPercent: 100 });
    expect(cost.anomalyDetection).toEqual({ enabled: true, monitor: 'service', existingMonitorArns: [], impactThresholdUsd: 100 });
    expect(cost.computeLaunchDeny).toEqual({ enabled: false, thresholdPercent: 150 });
  });

  it('accepts a per-account budget for an account of the organization', () => {
    expect(problemsWith((input) => (input.costGuardrails = { budgets: { accountLimitsUsd: { 'workload-prod': 5000 } } }))).toEqual([]);
  });

  it('rejects a per-account budget for an account it does not know, naming it', () => {
    const problems = problemsWith((input) => (input.costGuardrails = { budgets: { accountLimitsUsd: { 'workload-prdo': 5000 } } }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['costGuardrails.budgets.accountLimitsUsd.workload-prdo']);
    expect(problems[0].expected).toMatch(/^expected keys that are account names \(management, log-archive, security, workload-prod, workload-dev\)/);
  });

  it.each([
    ['a budget of 0', { budgets: { monthlyLimitUsd: 0 } }, 'costGuardrails.budgets.monthlyLimitUsd'],
    ['more thresholds than a budget takes', { budgets: { actualThresholdPercents: [50, 80, 90, 100, 120] } }, 'costGuardrails.budgets.actualThresholdPercents'],
    ['a hard limit under the budget', { computeLaunchDeny: { enabled: true, thresholdPercent: 90 } }, 'costGuardrails.computeLaunchDeny.thresholdPercent'],
    ['the deny without budgets', { budgets: { enabled: false }, computeLaunchDeny: { enabled: true } }, 'costGuardrails.computeLaunchDeny.enabled'],
    ['an unknown monitor', { anomalyDetection: { monitor: 'region' } }, 'costGuardrails.anomalyDetection.monitor'],
    ['a monitor ARN that is not one', { anomalyDetection: { existingMonitorArns: ['Default-Services-Monitor'] } }, 'costGuardrails.anomalyDetection.existingMonitorArns.0'],
  ])('rejects %s', (_label, cost, path) => {
    const problems = problemsWith((input) => (input.costGuardrails = cost));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual([path]);
  });
});

describe('alarm exclusion values', () => {
  it.each(['${aws_iam_role.x.arn}', 'role-%{if true}x%{endif}'])('refuses %s, which Terraform would read as an expression', (value) => {
    const problems = problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude: [{ selector: '$.userIdentity.arn', value }] } }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['monitoring.managementAccountWorkloads.exclude.0.value']);
    expect(problems[0].expected).toMatch(/Terraform would read as an expression/);
  });

  it('accepts a dollar sign or a brace alone', () => {
    expect(problemsWith((input) => (input.monitoring = { alarms: { 'root-account-usage': { exclude: [{ selector: '$.userIdentity.arn', value: 'a$b{c}' }] } } }))).toEqual([]);
  });
});
