import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';

export interface DefaultSecurityGroupLockdownProps {
  readonly region: string;
  /** Ids of the VPCs whose default security group is emptied, known at plan time (a data source). */
  readonly vpcIds: string[];
}

/**
 * Takes over the default security group of each VPC and removes every rule from it (CIS: the default security group
 * allows nothing), so that resources launched without a chosen group are cut off rather than open.
 */
export class DefaultSecurityGroupLockdown extends Construct {
  readonly groups: DefaultSecurityGroup;

  constructor(scope: Construct, id: string, props: DefaultSecurityGroupLockdownProps) {
    super(scope, id);
    const vpcs = TerraformIterator.fromList(props.vpcIds);
    this.groups = new DefaultSecurityGroup(this, 'Group', {
      forEach: vpcs,
      region: props.region,
      vpcId: vpcs.value,
      // Empty lists, not omitted blocks: Terraform then removes any rule added later as drift.
      ingress: [],
      egress: [],
      tags: { Name: 'default (no rules)' },
    });
  }
}
