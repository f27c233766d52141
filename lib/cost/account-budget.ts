import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { BudgetsBudgetAction } from '@cdktf/provider-aws/lib/budgets-budget-action';
import { Construct } from 'constructs';

export interface AccountBudgetProps {
  readonly budgetName: string;
  /** The management account, which holds the budgets of every account of the organization. */
  readonly managementAccountId: string;
  /** The account whose spend the budget counts. */
  readonly budgetedAccountId: string;
  readonly monthlyLimitUsd: number;
  readonly actualThresholdPercents: readonly number[];
  readonly forecastThresholdPercent: number;
  readonly topicArn: string;
  /** When set, AWS Budgets attaches the compute-launch deny at this share of actual spend. */
  readonly computeLaunchDeny?: { readonly thresholdPercent: number; readonly policyId: string; readonly executionRoleArn: string };
}

/**
 * One account's monthly cost budget, held in the management account and filtered on the account (a management account
 * may budget for its linked accounts), with notifications on actual and forecast spend.
 * https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create.html
 */
export class AccountBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: AccountBudgetProps) {
    super(scope, id);
    const notify = (type: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      notificationType: type,
      subscriberSnsTopicArns: [props.topicArn],
    });
    this.budget = new BudgetsBudget(this, 'Budget', {
      name: props.budgetName,
      accountId: props.managementAccountId,
      budgetType: 'COST',
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      costFilter: [{ name: 'LinkedAccount', values: [props.budgetedAccountId] }],
      notification: [
        ...[...new Set(props.actualThresholdPercents)].sort((a, b) => a - b).map((threshold) => notify('ACTUAL', threshold)),
        notify('FORECASTED', props.forecastThresholdPercent),
      ],
    });

    if (props.computeLaunchDeny) {
      // APPLY_SCP_POLICY runs only from the management account; AUTOMATIC applies it at once, and it stays until a
      // person reverses the action (or detaches the policy): AWS Budgets never lifts it by itself.
      // https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-controls.html
      new BudgetsBudgetAction(this, 'ComputeLaunchDeny', {
        accountId: props.managementAccountId,
        budgetName: this.budget.name,
        actionType: 'APPLY_SCP_POLICY',
        approvalModel: 'AUTOMATIC',
        notificationType: 'ACTUAL',
        executionRoleArn: props.computeLaunchDeny.executionRoleArn,
        actionThreshold: { actionThresholdType: 'PERCENTAGE', actionThresholdValue: props.computeLaunchDeny.thresholdPercent },
        definition: { scpActionDefinition: { policyId: props.computeLaunchDeny.policyId, targetIds: [props.budgetedAccountId] } },
        subscriber: [{ address: props.topicArn, subscriptionType: 'SNS' }],
      });
    }
  }
}
