import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

export interface GuardDutyServiceLinkedRoleProps {
  /** The management account, where the role is created. */
  readonly accountId: string;
  /** Import the role the account already has (GuardDuty was enabled there before) instead of creating it. */
  readonly adopt?: boolean;
}

/**
 * `AWSServiceRoleForAmazonGuardDuty` in the management account. GuardDuty documents that the management account must
 * have this role for the delegated administrator to enable and manage GuardDuty in it, and creates it only when
 * GuardDuty is enabled there by hand, which designating an administrator through the API does not do:
 * https://docs.aws.amazon.com/guardduty/latest/ug/delegated-admin-designate.html
 * https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html
 */
export class GuardDutyServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;

  constructor(scope: Construct, id: string, props: GuardDutyServiceLinkedRoleProps) {
    super(scope, id);
    this.role = new IamServiceLinkedRole(this, 'Role', { awsServiceName: 'guardduty.amazonaws.com' });
    if (props.adopt) {
      adoptExisting(this.role, `arn:aws:iam::${props.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`);
    }
  }
}
