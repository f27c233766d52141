import { cisCoverage } from '../../tools/report/cis-coverage';
import { costGuardrailsSection, costGuardrailsSummary } from '../../tools/report/cost-guardrails';
import { type CurrentBaseline, synthesizeCurrent } from '../../tools/report/current-synth';
import { configWith, exampleConfig } from '../helpers';
import { synthManagement } from '../monitoring/management-synth';

/* The report's rows for the CIS IAM items and its section on spending limits, from the synthesized stacks. */

describe('the audit-checklist items in the pull-request report', () => {
  const config = exampleConfig();
  let example: CurrentBaseline;
  beforeAll(() => {
    example = synthesizeCurrent(config);
  });

  it.each([
    ['1.14', 'ACCESS_KEYS_ROTATED', 'met'],
    ['1.15', 'IAM_USER_NO_POLICIES_CHECK', 'met'],
    // The rule does not read inline policies.
    ['1.16', 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', 'partial'],
  ])('covers CIS %s with the Config rule %s in every account (%s)', (control, identifier, status) => {
    const row = cisCoverage(example.stacks, config, example.findings).find((candidate) => candidate.control === control)!;
    expect(row.how).toContain(identifier);
    expect(row.status).toBe(status);
    expect(row.resources).toHaveLength(5);
  });

  it('lists each account budget with its limit and alerts, and the anomaly monitor', () => {
    const summary = costGuardrailsSummary(example.stacks);
    expect(summary.budgets).toHaveLength(5);
    expect(summary.budgets.find((budget) => budget.name === 'acme-workload-prod-monthly')).toEqual({
      name: 'acme-workload-prod-monthly',
      accounts: ['444444444444'],
      limit: '1000.00 USD',
      alerts: ['actual 80%', 'actual 100%', 'forecasted 100%'],
    });
    expect(summary.anomalyMonitors).toEqual([{ name: 'acme-service-spend', watches: 'SERVICE', notifyAtUsd: ['100'] }]);
    const section = costGuardrailsSection(summary).join('\n');
    expect(section).toContain('| `acme-workload-prod-monthly` | 444444444444 | 1000.00 USD | actual 80%, actual 100%, forecasted 100% | — |');
    expect(section).toContain('Cost Anomaly Detection `acme-service-spend` watches each SERVICE and notifies anomalies of at least 100 USD.');
  });

  it('shows where compute launches are denied, and says so when both are off', () => {
    // The cost guardrails live in the management stack alone.
    const hard = { management: synthManagement(configWith((input) => (input.costGuardrails = { computeLaunchDeny: { enabled: true } }))) };
    const budgets = costGuardrailsSummary(hard).budgets;
    expect(budgets.find((budget) => budget.name === 'acme-workload-prod-monthly')!.launchDenyAt).toBe('150%');
    expect(budgets.find((budget) => budget.name === 'acme-management-monthly')!.launchDenyAt).toBeUndefined();

    const none = { management: synthManagement(configWith((input) => (input.costGuardrails = { budgets: { enabled: false }, anomalyDetection: { enabled: false } }))) };
    expect(costGuardrailsSection(costGuardrailsSummary(none))).toContain('None: costGuardrails turns off both the budgets and anomaly detection.');
  });
});
