import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from './guardrail-policy';

/**
 * Services (or calls) with one global endpoint, which requests reach in us-east-1 (a few in us-west-2) whatever
 * region the caller works in; denying them outside the allowed regions would break IAM, billing and DNS.
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'account:*',
  'acm:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'billing:*',
  'budgets:*',
  'ce:*',
  'chatbot:*',
  'cloudfront:*',
  'cur:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'fms:*',
  'freetier:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'invoicing:*',
  'networkmanager:*',
  'organizations:*',
  'payments:*',
  'pricing:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  'route53:*',
  'route53domains:*',
  's3:GetAccountPublic*',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*',
  'shield:*',
  'sts:*',
  'support:*',
  'tax:*',
  'trustedadvisor:*',
  'waf:*',
  'wafv2:*',
  'wellarchitected:*',
] as const;

/** Denies every regional call outside the allowed regions, so that nothing runs (or hides) where nobody looks. */
export function regionDeny(name: string, allowedRegions: readonly string[]): GuardrailPolicy {
  return {
    id: 'RegionDeny',
    name,
    description: `Denies regional services outside ${[...allowedRegions].sort().join(', ')}; global services stay available.`.slice(0, 512),
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      {
        Sid: 'DenyOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': [...allowedRegions].sort() } },
      },
    ]),
  };
}
