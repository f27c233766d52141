import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

/**
 * Denies every action of the root user of member accounts: day-to-day work never needs it, and its credentials
 * are the hardest to rotate and to attribute. Tasks that truly require root are done with the guardrail detached.
 */
export function denyRootUser(name: string): GuardrailPolicy {
  return {
    id: 'DenyRootUser',
    name,
    description: 'Denies every action of the root user in member accounts.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      {
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
      },
    ]),
  };
}
