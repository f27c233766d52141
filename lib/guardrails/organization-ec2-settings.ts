import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import type { BaselineNames } from '../naming';
import { EC2_DECLARATIVE_POLICY_TYPE, ec2DeclarativePolicyDocument } from './ec2-declarative-policy';
import { guardrailTargets } from './organization-guardrails';

export interface OrganizationEc2SettingsProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
}

/**
 * The EC2 declarative policy, attached to the same targets as the service control policies. The policy type must be
 * enabled on the root first (docs/organization-controls.md), as for the SCPs: the baseline does not own the
 * organization resource that holds the enabled types.
 */
export class OrganizationEc2Settings extends Construct {
  readonly policy?: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: OrganizationEc2SettingsProps) {
    super(scope, id);
    const document = ec2DeclarativePolicyDocument(props.config);
    if (!document) return;
    this.policy = new OrganizationsPolicy(this, 'Policy', {
      name: props.names.resourceName('ec2-settings'),
      description: `Baseline EC2 settings: ${Object.keys(document.ec2_attributes).filter((key) => key !== 'exception_message').join(', ')}`.slice(0, 512),
      type: EC2_DECLARATIVE_POLICY_TYPE,
      content: JSON.stringify(document),
    });
    for (const target of guardrailTargets(props.config)) {
      new OrganizationsPolicyAttachment(this, `Attachment-${target}`, { policyId: this.policy.id, targetId: target });
    }
  }
}
