import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

/**
 * Denies every action of the root user of member accounts: day-to-day work never needs it, and its credentials
 * are the hardest to rotate and to attribute. Sessions opened with sts:AssumeRoot (centralized root access) are let
 * through: they come from the management account or a delegated administrator, last at most 15 minutes and are
 * scoped by an AWS task policy; AWS sets the global key aws:AssumedRoot on their requests and on no others, as in
 * AWS's own example SCP.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-assumedroot
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
 */
export function denyRootUser(name: string): GuardrailPolicy {
  return {
    id: 'DenyRootUser',
    name,
    description: 'Denies every action of the root user in member accounts, except task-scoped sessions opened with sts:AssumeRoot.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      {
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' }, Null: { 'aws:AssumedRoot': 'true' } },
      },
    ]),
  };
}
