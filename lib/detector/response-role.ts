import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { policyJson } from '../common/policy-document';

export interface DetectorResponseRoleProps {
  readonly name: string;
  readonly accountId: string;
  /** The detector function's role in the security account: the only principal that may assume this one. */
  readonly detectorRoleArn: string;
  /**
   * Roles the detector must never change, as role names (any path) or role ARNs (those of this account apply): the
   * deployment, break-glass and log reader roles, and the detector's own.
   */
  readonly protectedRoles: readonly string[];
}

/**
 * The role the detector assumes in an account to revoke the sessions of a flagged role there, by writing an inline
 * policy that denies credentials issued before now (what the IAM console's "Revoke active sessions" does), and, after
 * a mass download, to cut the role off from the bucket with another inline policy (S3CutOff-<finding id>) that only a
 * person removes: the role can put role policies, never delete them.
 * IAM has no condition on an inline policy's name or content, so the grant is limited instead by whom (the detector's
 * function role only; its own policy lets only the detector function's code assume this role), where (roles of this
 * account, never the management or log-archive account), and which roles (never service-linked or Identity Center
 * roles, the deployment, break-glass and log reader roles, the detector's own, or itself).
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
          Sid: 'DetectorFunctionOnly',
          Effect: 'Allow',
          // The account as principal, narrowed to the detector's role: then the role's own identity policy must allow
          // too, in every account, the security account included (a trust policy naming the role would suffice alone
          // there), and that policy binds the call to the detector function's code (lambda:SourceFunctionArn, which
          // trust policies cannot test). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
          // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
          Principal: { AWS: `arn:aws:iam::${props.detectorRoleArn.split(':')[4]}:root` },
          Action: 'sts:AssumeRole',
          Condition: { ArnEquals: { 'aws:PrincipalArn': props.detectorRoleArn } },
        },
      ]),
    });
    // A role name matches at any path: "role/name" and "role/<path>/name" (IAM resource ARNs,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
    const protectedArns = [
      ...new Set(
        [props.name, ...props.protectedRoles].flatMap((entry) =>
          entry.startsWith('arn:')
            ? entry.split(':')[4] === props.accountId
              ? [entry]
              : []
            : [roleArn(entry), roleArn(`*/${entry}`)],
        ),
      ),
    ].sort();
    new IamRolePolicy(this, 'Policy', {
      name: 'revoke-role-sessions',
      role: this.role.name,
      policy: policyJson([
        // GetRolePolicy reads the revocation already in place (never moved back, a cooldown between two).
        { Sid: 'RevokeSessionsOfRoles', Effect: 'Allow', Action: ['iam:GetRolePolicy', 'iam:PutRolePolicy'], Resource: roleArn('*') },
        {
          Sid: 'NeverProtectedRoles',
          Effect: 'Deny',
          Action: 'iam:PutRolePolicy',
          // Service-linked roles cannot be revoked (IAM refuses), Identity Center's are managed by it.
          Resource: [roleArn('aws-service-role/*'), roleArn('aws-reserved/*'), ...protectedArns],
        },
      ]),
    });
  }
}
