import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { Construct } from 'constructs';

export interface PasswordPolicyProps {
  /** Minimum length; CIS asks for at least 14. */
  readonly minimumLength: number;
  /** Number of previous passwords that cannot be reused; CIS asks for 24 (the IAM maximum). */
  readonly reusePrevention: number;
  /** Days before a password expires. */
  readonly maxAgeDays: number;
}

/** The account's IAM password policy: long, every character class, no reuse, expiring (CIS 2.x). */
export class PasswordPolicy extends Construct {
  readonly policy: IamAccountPasswordPolicy;

  constructor(scope: Construct, id: string, props: PasswordPolicyProps) {
    super(scope, id);
    this.policy = new IamAccountPasswordPolicy(this, 'Policy', {
      minimumPasswordLength: props.minimumLength,
      passwordReusePrevention: props.reusePrevention,
      maxPasswordAge: props.maxAgeDays,
      requireUppercaseCharacters: true,
      requireLowercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      allowUsersToChangePassword: true,
      // An expired password can still be changed by its user; hard expiry would lock users out and need an admin.
      hardExpiry: false,
    });
  }
}
