import { VpcBlockPublicAccessExclusion } from '@cdktf/provider-aws/lib/vpc-block-public-access-exclusion';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';

export interface VpcBlockPublicAccessExclusionsProps {
  readonly config: BaselineConfig;
  /** The account this stack deploys into; only its exclusions are created here. */
  readonly accountName: string;
}

/**
 * The VPCs and subnets of one account that VPC Block Public Access leaves reachable (a central egress VPC): the
 * declarative policy cannot create exclusions, only allow accounts to, so each is created in the owning account.
 */
export class VpcBlockPublicAccessExclusions extends Construct {
  constructor(scope: Construct, id: string, props: VpcBlockPublicAccessExclusionsProps) {
    super(scope, id);
    const settings = props.config.guardrails.ec2DeclarativePolicy;
    if (!settings.enabled || !settings.vpcBlockPublicAccess.enabled) return;
    for (const exclusion of settings.vpcBlockPublicAccess.exclusions.filter((candidate) => candidate.account === props.accountName)) {
      const resource = exclusion.vpcId ?? exclusion.subnetId!;
      new VpcBlockPublicAccessExclusion(this, `${resource}-${exclusion.region}`, {
        region: exclusion.region,
        // The configuration's modes are the API's: allow-egress | allow-bidirectional.
        internetGatewayExclusionMode: exclusion.mode,
        ...(exclusion.vpcId ? { vpcId: exclusion.vpcId } : { subnetId: exclusion.subnetId }),
        tags: { Reason: exclusion.reason },
      });
    }
  }
}
