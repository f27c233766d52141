import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface TrailCloudWatchLogsRoleProps {
  readonly roleName: string;
  /** The account of the trail and the log group. */
  readonly accountId: string;
  /** ARN of the only trail that may assume the role. */
  readonly trailArn: string;
  /** ARN of the log group, without the `:*` suffix. */
  readonly logGroupArn: string;
}

/** The role CloudTrail assumes to deliver one trail's events into one log group, and nothing else. */
export class TrailCloudWatchLogsRole extends Construct {
  readonly role: IamRole;
  /** The role's permissions; a trail must not be created before CloudTrail can use them. */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TrailCloudWatchLogsRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'CloudTrail delivers the organization trail to its CloudWatch Logs group',
      assumeRolePolicy: policyJson([
        {
          Sid: 'CloudTrailForThisTrailOnly',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId, 'aws:SourceArn': props.trailArn },
          },
        },
      ]),
    });
    this.policy = new IamRolePolicy(this, 'Policy', {
      name: 'deliver-to-log-group',
      role: this.role.name,
      policy: policyJson([
        {
          Sid: 'WriteTrailEventsToLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${props.logGroupArn}:log-stream:*`,
        },
      ]),
    });
  }
}
