import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface DetectorResponseRoleProps {
  readonly name: string;
  readonly accountId: string;
  /** The detector function's role in the security account: the only principal that may assume this one. */
  readonly detectorRoleArn: string;
  /** Roles of this account the detector must never change (the baseline's own, whoever deploys it). */
  readonly protectedRoleNames: readonly string[];
}

/**
 * The role the detector assumes in an account to revoke the sessions of a flagged role there, by writing an inline
 * policy that denies credentials issued before now (what the IAM console's "Revoke active sessions" does).
 * IAM has no condition on an inline policy's name or content, so the grant is limited instead by whom (the detector
 * only), where (roles of this account), and which roles (never service-linked roles, the baseline's own, or itself).
 */
export class DetectorResponseRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DetectorResponseRoleProps) {
    super(scope, id);
    const roleArn = (name: string) => `arn:aws:iam::${props.accountId}:role/${name}`;
    this.role = new IamRole(this, 'Role', {
      name: props.name,
      description: 'The S3 access detector revokes the sessions of a flagged role of this account',
      maxSessionDuration: 3600,
      assumeRolePolicy: policyJson([
        {
          Sid: 'DetectorOnly',
          Effect: 'Allow',
          Principal: { AWS: props.detectorRoleArn },
          Action: 'sts:AssumeRole',
        },
      ]),
    });
    new IamRolePolicy(this, 'Policy', {
      name: 'revoke-role-sessions',
      role: this.role.name,
      policy: policyJson([
        { Sid: 'RevokeSessionsOfRoles', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roleArn('*') },
        {
          Sid: 'NeverProtectedRoles',
          Effect: 'Deny',
          Action: 'iam:PutRolePolicy',
          Resource: [roleArn('aws-service-role/*'), ...[props.name, ...props.protectedRoleNames].sort().map(roleArn)],
        },
      ]),
    });
  }
}
