import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

export interface ConfigServiceLinkedRoleProps {
  /** ARN of `AWSServiceRoleForConfig` in the account. */
  readonly roleArn: string;
  /** Import the role the account already has (AWS Config was set up before) instead of creating it. */
  readonly adopt?: boolean;
}

/**
 * The AWS Config service-linked role, used by the recorder of every region. Its permissions are kept current by AWS,
 * and Config delivers to the bucket as the `config.amazonaws.com` principal, which the log bucket's policy grants
 * per account; a role of our own would need its own grants on the bucket and key of another account.
 */
export class ConfigServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ConfigServiceLinkedRoleProps) {
    super(scope, id);
    this.role = new IamServiceLinkedRole(this, 'Role', { awsServiceName: 'config.amazonaws.com' });
    if (props.adopt) adoptExisting(this.role, props.roleArn);
    this.roleArn = this.role.arn;
  }
}
