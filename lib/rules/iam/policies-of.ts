import { attributeValues, POLICY_ATTRIBUTES, type ReadPolicy, readPolicy } from '../policy-statements';
import type { StackResources, SynthesizedResource } from '../stack-resources';

/** Organization policy types written in the IAM policy language (tag, backup and AI opt-out policies are not). */
const IAM_LANGUAGE_ORGANIZATION_POLICIES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

/** Every policy a resource carries, read, with the attribute it came from. */
export function policiesOf(resource: SynthesizedResource, stack: StackResources): { attribute: string; policy: ReadPolicy }[] {
  const where = POLICY_ATTRIBUTES[resource.type];
  if (!where) return [];
  if (resource.type === 'aws_organizations_policy' && !IAM_LANGUAGE_ORGANIZATION_POLICIES.includes(String(resource.config.type ?? 'SERVICE_CONTROL_POLICY'))) {
    return [];
  }
  return where.attributes.flatMap((attribute) => attributeValues(resource.config, attribute).map((value) => ({ attribute, policy: readPolicy(value, stack) })));
}

/** The resource types whose policies the IAM rules read. */
export const POLICY_BEARING_TYPES = Object.keys(POLICY_ATTRIBUTES);

/** The resource types whose policies grant to principals (resource policies), which service grants live in. */
export const RESOURCE_POLICY_TYPES = Object.entries(POLICY_ATTRIBUTES)
  .filter(([, where]) => where.resourcePolicy)
  .map(([type]) => type);
