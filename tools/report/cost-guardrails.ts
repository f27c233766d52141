import { block, blocks } from '../../lib/rules/stack-resources';
import { addressesOf, type SynthesizedStacks } from './synthesized-stacks';

/** What the synthesized stacks set up against runaway spend, read from the resources themselves. */
export interface CostGuardrailsSummary {
  readonly budgets: readonly {
    readonly name: string;
    readonly accounts: readonly string[];
    readonly limit: string;
    readonly alerts: readonly string[];
    /** The share of actual spend at which launches are denied, when a budget action does so. */
    readonly launchDenyAt?: string;
  }[];
  readonly anomalyMonitors: readonly { readonly name: string; readonly watches: string; readonly notifyAtUsd: readonly string[] }[];
}

function resourcesOfType(stacks: SynthesizedStacks, type: string): [string, Record<string, unknown>][] {
  return Object.values(stacks).flatMap((stack) =>
    [...addressesOf(stack).entries()].filter(([address]) => address.startsWith(`${type}.`)).map(([address, config]) => [address, config as Record<string, unknown>] as [string, Record<string, unknown>]),
  );
}

const reference = (address: string, attribute: string) => `\${${address}.${attribute}}`;

export function costGuardrailsSummary(stacks: SynthesizedStacks): CostGuardrailsSummary {
  const actions = resourcesOfType(stacks, 'aws_budgets_budget_action').map(([, config]) => config);
  const budgets = resourcesOfType(stacks, 'aws_budgets_budget').map(([address, config]) => {
    const action = actions.find((candidate) => candidate.budget_name === reference(address, 'name') && candidate.action_type === 'APPLY_SCP_POLICY');
    const threshold = block(action?.action_threshold);
    return {
      name: String(config.name),
      accounts: blocks(config.cost_filter).flatMap((filter) => (filter.name === 'LinkedAccount' ? (filter.values as string[]) : [])),
      limit: `${config.limit_amount} ${config.limit_unit}`,
      alerts: blocks(config.notification).map((notification) => `${String(notification.notification_type).toLowerCase()} ${notification.threshold}%`),
      ...(threshold ? { launchDenyAt: `${threshold.action_threshold_value}%` } : {}),
    };
  });
  const subscriptions = resourcesOfType(stacks, 'aws_ce_anomaly_subscription').map(([, config]) => config);
  const anomalyMonitors = resourcesOfType(stacks, 'aws_ce_anomaly_monitor').map(([address, config]) => ({
    name: String(config.name),
    watches: String(config.monitor_dimension ?? config.monitor_type),
    notifyAtUsd: subscriptions
      .filter((subscription) => (subscription.monitor_arn_list as string[] | undefined)?.includes(reference(address, 'arn')))
      .flatMap((subscription) => (block(block(subscription.threshold_expression)?.dimension)?.values as string[] | undefined) ?? []),
  }));
  return { budgets, anomalyMonitors };
}

/** The report's section on spending limits. */
export function costGuardrailsSection(summary: CostGuardrailsSummary): string[] {
  const lines = ['## Spending limits', ''];
  if (summary.budgets.length === 0 && summary.anomalyMonitors.length === 0) {
    return [...lines, 'None: costGuardrails turns off both the budgets and anomaly detection.', ''];
  }
  if (summary.budgets.length) {
    lines.push('| budget | account | monthly limit | alerts | compute launches denied at |', '| --- | --- | ---: | --- | --- |');
    for (const budget of summary.budgets) {
      lines.push(`| \`${budget.name}\` | ${budget.accounts.join(', ')} | ${budget.limit} | ${budget.alerts.join(', ')} | ${budget.launchDenyAt ?? '—'} |`);
    }
    lines.push('');
  }
  for (const monitor of summary.anomalyMonitors) {
    lines.push(`Cost Anomaly Detection \`${monitor.name}\` watches each ${monitor.watches} and notifies anomalies of at least ${monitor.notifyAtUsd.map((value) => `${value} USD`).join(', ') || 'no threshold'}.`);
  }
  lines.push('');
  return lines;
}
