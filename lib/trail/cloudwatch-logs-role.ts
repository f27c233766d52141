import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface TrailCloudWatchLogsRoleProps {
  readonly roleName: string;
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
      // CloudTrail sends neither aws:SourceArn nor aws:SourceAccount when it assumes this role: its guide says
      // confused-deputy conditions do not apply here, and a trust policy with them stops delivery (CreateTrail fails
      // with InvalidCloudWatchLogsRoleArnException). What the role may do stays scoped to the one log group below.
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
      assumeRolePolicy: policyJson([
        {
          Sid: 'CloudTrailDeliversToCloudWatchLogs',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
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
