import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { NotificationTopic } from '../common/notification-topic';
import { assertPolicyFits } from '../guardrails/guardrail-policy';
import { type BaselineNames, organizationAccounts } from '../naming';
import { AccountBudget } from './account-budget';
import { BudgetActionRole } from './budget-action-role';
import { computeLaunchDeny } from './compute-launch-deny';
import { CostAnomalyDetection } from './cost-anomaly-detection';

export interface CostGuardrailsProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * Spending limits against resource misuse, all in the management account: AWS Budgets and Cost Anomaly Detection see
 * every linked account's spend only from there, and Budgets notifies only a topic of the account that holds the budget
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html). A cost alert topic of its own
 * reaches the same people as the security alarms, and its key policy names only the two cost services.
 */
export class CostGuardrails extends Construct {
  constructor(scope: Construct, id: string, props: CostGuardrailsProps) {
    super(scope, id);
    const { config, names } = props;
    const { budgets, anomalyDetection, computeLaunchDeny: hardLimit } = config.costGuardrails;
    const managementAccountId = config.accounts.management.id;
    if (!budgets.enabled && !anomalyDetection.enabled) return;

    const topic = new NotificationTopic(this, 'Topic', {
      name: names.costAlertTopicName,
      accountId: managementAccountId,
      region: config.regions.home,
      publishers: [
        // https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
        ...(budgets.enabled ? [{ service: 'budgets.amazonaws.com', sourceArnLike: `arn:aws:budgets::${managementAccountId}:*`, label: 'Budgets' }] : []),
        // Cost Anomaly Detection documents aws:SourceAccount alone for its topic policy:
        // https://docs.aws.amazon.com/cost-management/latest/userguide/ad-SNS.html
        ...(anomalyDetection.enabled ? [{ service: 'costalerts.amazonaws.com', label: 'CostAnomalyDetection' }] : []),
      ],
      subscribers: config.notifications,
    }).topic;

    if (budgets.enabled) {
      // SCPs never bind the management account, so the hard limit is for member accounts only.
      let deny: { policyId: string; executionRoleArn: string } | undefined;
      if (hardLimit.enabled) {
        const definition = computeLaunchDeny(names.resourceName('deny-compute-launch'));
        assertPolicyFits(definition);
        const policy = new OrganizationsPolicy(this, definition.id, {
          name: definition.name,
          description: definition.description,
          type: definition.type,
          content: JSON.stringify(definition.document),
        });
        const role = new BudgetActionRole(this, 'BudgetActionRole', {
          roleName: names.resourceName('budget-actions'),
          accountId: managementAccountId,
          organizationId: config.organization.id,
          policyArn: policy.arn,
        });
        deny = { policyId: policy.id, executionRoleArn: role.role.arn };
      }
      for (const account of organizationAccounts(config)) {
        new AccountBudget(this, `Budget-${account.name}`, {
          budgetName: names.accountBudgetName(account.name),
          managementAccountId,
          budgetedAccountId: account.id,
          monthlyLimitUsd: budgets.accountLimitsUsd[account.name] ?? budgets.monthlyLimitUsd,
          actualThresholdPercents: budgets.actualThresholdPercents,
          forecastThresholdPercent: budgets.forecastThresholdPercent,
          topicArn: topic.arn,
          computeLaunchDeny: deny && account.role !== 'management' ? { ...deny, thresholdPercent: hardLimit.thresholdPercent } : undefined,
        });
      }
    }

    if (anomalyDetection.enabled) {
      new CostAnomalyDetection(this, 'AnomalyDetection', {
        monitorName: names.resourceName(`${anomalyDetection.monitor}-spend`),
        subscriptionName: names.resourceName('cost-anomalies'),
        managementAccountId,
        dimension: anomalyDetection.monitor === 'linked-account' ? 'LINKED_ACCOUNT' : 'SERVICE',
        existingMonitorArns: anomalyDetection.existingMonitorArns,
        impactThresholdUsd: anomalyDetection.impactThresholdUsd,
        topicArn: topic.arn,
      });
    }
  }
}
