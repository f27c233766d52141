import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface SupportRoleProps {
  readonly roleName: string;
  /** Who may assume the role when no principals are configured: the role the baseline is deployed with. */
  readonly deploymentRoleArn: string;
  /** Who may assume the role. @default - the deployment role only */
  readonly trustedPrincipalArns?: readonly string[];
}

/** A role to manage incidents with AWS Support (CIS: a support role exists), with the AWSSupportAccess policy. */
export class SupportRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SupportRoleProps) {
    super(scope, id);
    const principals =
      props.trustedPrincipalArns && props.trustedPrincipalArns.length > 0
        ? [...props.trustedPrincipalArns].sort()
        : [props.deploymentRoleArn];
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Manages AWS Support cases for the account.',
      assumeRolePolicy: policyJson([
        {
          Sid: 'TrustedPrincipalsAssume',
          Effect: 'Allow',
          Principal: { AWS: principals.length === 1 ? principals[0] : principals },
          Action: 'sts:AssumeRole',
        },
      ]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, 'SupportAccess', {
      role: this.role.name,
      policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
    });
  }
}
