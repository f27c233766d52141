import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

/** The AWS managed policy that lets Config read the organization's accounts for aggregation. */
export const CONFIG_ORGANIZATIONS_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations';

export interface ConfigAggregatorProps {
  readonly name: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly homeRegion: string;
}

/** One AWS Config view of every account and every region of the organization, in the home region. */
export class ConfigAggregator extends Construct {
  readonly aggregator: ConfigConfigurationAggregator;

  constructor(scope: Construct, id: string, props: ConfigAggregatorProps) {
    super(scope, id);
    const role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Lets AWS Config list the organization accounts for the organization aggregator.',
      assumeRolePolicy: policyJson([
        {
          Sid: 'ConfigAggregatesForThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    const access = new IamRolePolicyAttachment(this, 'Organizations', { role: role.name, policyArn: CONFIG_ORGANIZATIONS_POLICY_ARN });
    this.aggregator = new ConfigConfigurationAggregator(this, 'Aggregator', {
      name: props.name,
      organizationAggregationSource: { allRegions: true, roleArn: role.arn },
      region: props.homeRegion,
      dependsOn: [access],
    });
  }
}
