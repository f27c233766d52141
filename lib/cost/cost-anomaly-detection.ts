import { CeAnomalyMonitor } from '@cdktf/provider-aws/lib/ce-anomaly-monitor';
import { CeAnomalySubscription } from '@cdktf/provider-aws/lib/ce-anomaly-subscription';
import { Construct } from 'constructs';

export interface CostAnomalyDetectionProps {
  readonly monitorName: string;
  readonly subscriptionName: string;
  /** The management account: only there does a monitor see every linked account. */
  readonly managementAccountId: string;
  /** `LINKED_ACCOUNT`: every account's spend on its own; `SERVICE`: every service's, organization-wide. */
  readonly dimension: 'LINKED_ACCOUNT' | 'SERVICE';
  /** Monitors that already exist, subscribed to instead of creating one (AWS allows one per dimension and account). */
  readonly existingMonitorArns: readonly string[];
  readonly impactThresholdUsd: number;
  readonly topicArn: string;
}

/**
 * An AWS-managed Cost Anomaly Detection monitor over the organization's spend, and a subscription that notifies the
 * cost alert topic of every anomaly whose total impact reaches the threshold. A managed (DIMENSIONAL) monitor tracks
 * up to the top 5,000 values of its dimension and picks up new accounts by itself.
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalyMonitor.html
 */
export class CostAnomalyDetection extends Construct {
  constructor(scope: Construct, id: string, props: CostAnomalyDetectionProps) {
    super(scope, id);
    const monitorArns =
      props.existingMonitorArns.length > 0
        ? [...props.existingMonitorArns].sort()
        : [
            new CeAnomalyMonitor(this, 'Monitor', {
              name: props.monitorName,
              monitorType: 'DIMENSIONAL',
              monitorDimension: props.dimension,
            }).arn,
          ];
    new CeAnomalySubscription(this, 'Subscription', {
      name: props.subscriptionName,
      accountId: props.managementAccountId,
      monitorArnList: monitorArns,
      // SNS subscribers take IMMEDIATE notifications (DAILY and WEEKLY summaries go to email only).
      // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html
      frequency: 'IMMEDIATE',
      subscriber: [{ type: 'SNS', address: props.topicArn }],
      thresholdExpression: {
        dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', matchOptions: ['GREATER_THAN_OR_EQUAL'], values: [String(props.impactThresholdUsd)] },
      },
    });
  }
}
