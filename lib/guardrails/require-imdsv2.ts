import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

/**
 * Instances answer only session-token (IMDSv2) metadata requests, so that a server-side request forgery cannot read
 * the instance's credentials; the hop limit keeps the token from leaving the instance (or its containers).
 */
export function requireImdsv2(name: string, maxHopLimit: number): GuardrailPolicy {
  return {
    id: 'RequireImdsv2',
    name,
    description: `Denies launching instances without IMDSv2 or with a metadata hop limit above ${maxHopLimit}, and re-enabling IMDSv1.`,
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      {
        Sid: 'DenyLaunchWithoutImdsv2',
        Effect: 'Deny',
        Action: 'ec2:RunInstances',
        Resource: 'arn:aws:ec2:*:*:instance/*',
        Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
      },
      {
        Sid: 'DenyLaunchWithHigherHopLimit',
        Effect: 'Deny',
        Action: 'ec2:RunInstances',
        Resource: 'arn:aws:ec2:*:*:instance/*',
        Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': String(maxHopLimit) } },
      },
      // The request's own values are ec2:Attribute/…; ec2:Metadata… would be the instance's current ones. A change that
      // does not state "required" is refused too, as an omitted HttpTokens has meant "optional" in the past.
      {
        Sid: 'DenyReenablingImdsv1',
        Effect: 'Deny',
        Action: 'ec2:ModifyInstanceMetadataOptions',
        Resource: '*',
        Condition: { StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' } },
      },
      {
        Sid: 'DenyRaisingHopLimit',
        Effect: 'Deny',
        Action: 'ec2:ModifyInstanceMetadataOptions',
        Resource: '*',
        Condition: { NumericGreaterThan: { 'ec2:Attribute/HttpPutResponseHopLimit': String(maxHopLimit) } },
      },
    ]),
  };
}
