import type { PolicyDocument } from '../common/policy-document';

/** The Organizations policy types the guardrails use. */
export type GuardrailPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/** One organization policy: what it is called, what it says it does, and its document. */
export interface GuardrailPolicy {
  /** Construct id, e.g. `DenyLeaveOrganization`. */
  readonly id: string;
  /** Policy name, unique in the organization. */
  readonly name: string;
  /** What the policy blocks, shown in the Organizations console. */
  readonly description: string;
  readonly type: GuardrailPolicyType;
  readonly document: PolicyDocument;
}

/** The most characters AWS Organizations accepts in a service or resource control policy. */
export const POLICY_MAX_CHARACTERS = 5120;

/**
 * The size AWS counts: Organizations removes the whitespace outside quoted strings before measuring, which is what
 * compact JSON serialization produces.
 */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/** Fails with a message naming the policy and the sizes when the policy would be refused by Organizations. */
export function assertPolicyFits(policy: GuardrailPolicy): void {
  const size = policySize(policy.document);
  if (size > POLICY_MAX_CHARACTERS) {
    throw new Error(
      `Policy "${policy.name}" is ${size} characters (whitespace removed); AWS Organizations accepts at most ` +
        `${POLICY_MAX_CHARACTERS}. Shorten its lists (allowed regions, CIDRs, VPCs, monitored buckets) or split it.`,
    );
  }
}
