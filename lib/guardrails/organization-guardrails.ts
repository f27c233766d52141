import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';
import { dataPerimeter } from './data-perimeter';
import { denyLeaveOrganization } from './deny-leave-organization';
import { denyPublicEcr } from './deny-public-ecr';
import { denyRootUser } from './deny-root-user';
import { assertPolicyFits, type GuardrailPolicy } from './guardrail-policy';
import { protectBaseline } from './protect-baseline';
import { regionDeny } from './region-deny';
import { requireImdsv2 } from './require-imdsv2';

/** The organization policies the configuration turns on, in a fixed order. */
export function guardrailPolicies(config: BaselineConfig, names: BaselineNames): GuardrailPolicy[] {
  const { guardrails } = config;
  const policies: GuardrailPolicy[] = [];
  if (guardrails.denyLeaveOrganization) policies.push(denyLeaveOrganization(names.resourceName('deny-leave-organization')));
  if (guardrails.protectBaseline) policies.push(protectBaseline(names.resourceName('protect-baseline'), names.deploymentRoleArnPattern));
  if (guardrails.denyRootUser) policies.push(denyRootUser(names.resourceName('deny-root-user')));
  if (guardrails.requireImdsv2) {
    policies.push(requireImdsv2(names.resourceName('require-imdsv2'), config.accountBaseline.imdsHopLimit));
  }
  if (guardrails.denyPublicEcr) policies.push(denyPublicEcr(names.resourceName('deny-public-ecr'), names.deploymentRoleArnPattern));
  if (guardrails.regionDeny.enabled) {
    policies.push(regionDeny(names.resourceName('region-deny'), guardrails.regionDeny.allowedRegions ?? config.regions.enabled));
  }
  if (guardrails.dataPerimeter.enabled) {
    policies.push(
      dataPerimeter(names.resourceName('data-perimeter'), {
        organizationId: config.organization.id,
        monitoredBucketNames: config.detector.monitoredBuckets.map((bucket) => bucket.name),
        allowedCidrs: guardrails.dataPerimeter.allowedCidrs,
        allowedVpcIds: guardrails.dataPerimeter.allowedVpcIds,
      }),
    );
  }
  return policies;
}

/** Where the guardrails attach: the configured roots and OUs, or the organization root. */
export function guardrailTargets(config: BaselineConfig): string[] {
  return config.guardrails.targets.length > 0 ? [...config.guardrails.targets] : [config.organization.rootId];
}

export interface OrganizationGuardrailsProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * Service control policies (and the optional resource control policy) of the organization, each its own policy so
 * that one can be detached without the others, attached to every target. A policy over the Organizations size limit
 * fails the synth.
 */
export class OrganizationGuardrails extends Construct {
  readonly policies: Record<string, OrganizationsPolicy> = {};

  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    const targets = guardrailTargets(props.config);
    for (const guardrail of guardrailPolicies(props.config, props.names)) {
      assertPolicyFits(guardrail);
      const policy = new OrganizationsPolicy(this, guardrail.id, {
        name: guardrail.name,
        description: guardrail.description,
        type: guardrail.type,
        content: JSON.stringify(guardrail.document),
      });
      this.policies[guardrail.id] = policy;
      for (const target of targets) {
        new OrganizationsPolicyAttachment(this, `${guardrail.id}-${target}`, { policyId: policy.id, targetId: target });
      }
    }
  }
}
