import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

/** An account that leaves the organization leaves every guardrail, trail and detector with it. */
export function denyLeaveOrganization(name: string): GuardrailPolicy {
  return {
    id: 'DenyLeaveOrganization',
    name,
    description: 'Denies member accounts leaving the organization (and with it the baseline).',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      { Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    ]),
  };
}
