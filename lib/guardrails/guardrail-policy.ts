import { type PolicyDocument, policyDocument } from '../common/policy-document';

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

/** One ARN pattern as a plain string (the shorter form), several as a list. */
export function principalArns(patterns: readonly string[]): string | string[] {
  return patterns.length === 1 ? patterns[0] : [...patterns];
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
        `${POLICY_MAX_CHARACTERS}. Shorten its lists (allowed regions, CIDRs, VPCs, monitored buckets, distinct deploymentRoleName names of accounts) or split it.`,
    );
  }
}

/**
 * AWS Organizations attaches at most five policies of one type to a root, OU or account, and the AWS-managed
 * FullAWSAccess service control policy takes one of those places.
 */
export const POLICIES_PER_TARGET = 5;

/** The most description characters AWS Organizations accepts. */
const DESCRIPTION_MAX_CHARACTERS = 512;

/**
 * Packs guardrails of one type, in order, into as few policies as fit the size limit, so that they leave room under
 * the five-per-target quota for FullAWSAccess and the organization's own policies. Each guardrail keeps its
 * statements and statement ids, so it stays recognizable in the console and in reviews.
 */
export function packGuardrails(guardrails: readonly GuardrailPolicy[], namePrefix: string): GuardrailPolicy[] {
  const groups: GuardrailPolicy[][] = [];
  for (const guardrail of guardrails) {
    assertPolicyFits(guardrail);
    const current = groups[groups.length - 1];
    if (current && policySize(combined(current.concat(guardrail))) <= POLICY_MAX_CHARACTERS) current.push(guardrail);
    else groups.push([guardrail]);
  }
  return groups.map((group, index) => {
    const name = index === 0 ? namePrefix : `${namePrefix}-${index + 1}`;
    const description = `Baseline guardrails: ${group.map((guardrail) => guardrail.name).join(', ')}`;
    return {
      id: index === 0 ? 'ServiceControlPolicy' : `ServiceControlPolicy${index + 1}`,
      name,
      description: description.length <= DESCRIPTION_MAX_CHARACTERS ? description : `${description.slice(0, DESCRIPTION_MAX_CHARACTERS - 1)}…`,
      type: group[0].type,
      document: combined(group),
    };
  });
}

function combined(group: readonly GuardrailPolicy[]): PolicyDocument {
  return policyDocument(group.flatMap((guardrail) => guardrail.document.Statement));
}
