import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';
import { dataPerimeter } from './data-perimeter';
import { denyLeaveOrganization } from './deny-leave-organization';
import { denyPublicEcr } from './deny-public-ecr';
import { denyRootUser } from './deny-root-user';
import { assertPolicyFits, type GuardrailPolicy, packGuardrails, POLICIES_PER_TARGET } from './guardrail-policy';
import { detectorDeployed } from '../detector/monitored-buckets';
import { detectorResourceNames } from '../detector/protected-roles';
import { protectBaseline } from './protect-baseline';
import { protectDetector } from './protect-detector';
import { regionDeny } from './region-deny';
import { requireImdsv2 } from './require-imdsv2';

/** The organization policies the configuration turns on, in a fixed order. */
export function guardrailPolicies(config: BaselineConfig, names: BaselineNames): GuardrailPolicy[] {
  const { guardrails } = config;
  const policies: GuardrailPolicy[] = [];
  if (guardrails.denyLeaveOrganization) policies.push(denyLeaveOrganization(names.resourceName('deny-leave-organization')));
  if (guardrails.protectBaseline) {
    const breakGlass = config.logArchive.breakGlassRoleArn;
    policies.push(protectBaseline(names.resourceName('protect-baseline'), names.deploymentRoleArnPatterns, names.resourceName(''), breakGlass ? [breakGlass] : []));
  }
  if (guardrails.protectBaseline && detectorDeployed(config)) {
    policies.push(protectDetector(names.resourceName('protect-detector'), names.deploymentRoleArnPatterns, detectorResourceNames(config, names)));
  }
  if (guardrails.denyRootUser) policies.push(denyRootUser(names.resourceName('deny-root-user')));
  if (guardrails.requireImdsv2) {
    policies.push(requireImdsv2(names.resourceName('require-imdsv2'), config.accountBaseline.imdsHopLimit));
  }
  if (guardrails.denyPublicEcr) policies.push(denyPublicEcr(names.resourceName('deny-public-ecr'), names.deploymentRoleArnPatterns));
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
 * Service control policies (and the optional resource control policy) of the organization, attached to every target.
 * The service control policies are packed into as few policies as fit, because Organizations attaches at most five
 * per target; a guardrail over the size limit, or more policies than a target can take, fails the synth.
 */
export class OrganizationGuardrails extends Construct {
  readonly policies: Record<string, OrganizationsPolicy> = {};

  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    const targets = guardrailTargets(props.config);
    const guardrails = guardrailPolicies(props.config, props.names);
    const serviceControlPolicies = packGuardrails(
      guardrails.filter((guardrail) => guardrail.type === 'SERVICE_CONTROL_POLICY'),
      props.names.resourceName('guardrails'),
    );
    // FullAWSAccess stays attached: without an Allow above them, the deny-list policies would deny everything.
    if (serviceControlPolicies.length > POLICIES_PER_TARGET - 1) {
      throw new Error(
        `The guardrails need ${serviceControlPolicies.length} service control policies per target; AWS Organizations attaches at most ` +
          `${POLICIES_PER_TARGET}, one of them FullAWSAccess. Turn a guardrail off in guardrails.* or shorten guardrails.regionDeny.allowedRegions.`,
      );
    }
    const resourceControlPolicies = guardrails.filter((guardrail) => guardrail.type === 'RESOURCE_CONTROL_POLICY');
    for (const policyDefinition of [...serviceControlPolicies, ...resourceControlPolicies]) {
      assertPolicyFits(policyDefinition);
      const policy = new OrganizationsPolicy(this, policyDefinition.id, {
        name: policyDefinition.name,
        description: policyDefinition.description,
        type: policyDefinition.type,
        content: JSON.stringify(policyDefinition.document),
      });
      this.policies[policyDefinition.id] = policy;
      for (const target of targets) {
        new OrganizationsPolicyAttachment(this, `${policyDefinition.id}-${target}`, { policyId: policy.id, targetId: target });
      }
    }
  }
}
