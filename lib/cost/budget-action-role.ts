import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface BudgetActionRoleProps {
  readonly roleName: string;
  /** The management account, which owns the budgets. */
  readonly accountId: string;
  readonly organizationId: string;
  /** ARN of the one service control policy the budget actions may attach. */
  readonly policyArn: string;
}

/**
 * The role AWS Budgets assumes to run the compute-launch deny: it may attach and detach that one SCP, to accounts of
 * the organization, and nothing else. Accounts are named by the organization's path rather than one by one, so the
 * policy stays within IAM's inline-policy size whatever the number of accounts.
 */
export class BudgetActionRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BudgetActionRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'AWS Budgets attaches the compute-launch deny to an account over its hard spending limit',
      // Budgets supports both confused-deputy keys on the role it assumes, with budget ARNs of the owning account:
      // https://docs.aws.amazon.com/cost-management/latest/userguide/cross-service-confused-deputy-prevention.html
      assumeRolePolicy: policyJson([
        {
          Sid: 'BudgetsOfThisAccountOnly',
          Effect: 'Allow',
          Principal: { Service: 'budgets.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:budgets::${props.accountId}:budget/*` },
          },
        },
      ]),
    });
    // The permissions budget actions need to apply an SCP, scoped to the policy and the accounts: Organizations
    // authorizes AttachPolicy and DetachPolicy on both the policy and the target resource.
    // https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-action-role.html
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    new IamRolePolicy(this, 'Policy', {
      name: 'apply-compute-launch-deny',
      role: this.role.name,
      policy: policyJson([
        {
          Sid: 'AttachComputeLaunchDenyToBudgetedAccounts',
          Effect: 'Allow',
          Action: ['organizations:AttachPolicy', 'organizations:DetachPolicy'],
          Resource: [props.policyArn, `arn:aws:organizations::${props.accountId}:account/${props.organizationId}/*`],
        },
        {
          // Reading the one policy it applies; AWS's own policy for Budgets-managed SCPs grants the same reads.
          Sid: 'ReadComputeLaunchDeny',
          Effect: 'Allow',
          Action: 'organizations:DescribePolicy',
          Resource: props.policyArn,
        },
      ]),
    });
  }
}
