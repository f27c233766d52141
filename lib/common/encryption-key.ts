import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { type PolicyStatement, policyJson } from './policy-document';

export interface EncryptionKeyProps {
  /** What the key protects; shown in the KMS console. */
  readonly description: string;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** The account that owns the key; its IAM policies decide who administers and uses it within the account. */
  readonly accountId: string;
  /** Grants to services and other principals, each scoped by its own conditions. */
  readonly statements?: readonly PolicyStatement[];
  /** Region of the key. @default - the provider's region */
  readonly region?: string;
}

/**
 * A customer-managed KMS key that rotates yearly, cannot be destroyed by a deploy, and waits the longest window
 * before deletion. Its policy delegates to IAM in the owning account and adds only the given grants.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** `arn:aws:kms:…:alias/<alias>`, usable where a key ARN is expected by most services. */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...(props.statements ?? []),
    ];
    this.key = new KmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(statements),
      region: props.region,
      lifecycle: { preventDestroy: true },
    });
    this.aliasName = `alias/${props.alias}`;
    this.alias = new KmsAlias(this, 'Alias', {
      name: this.aliasName,
      targetKeyId: this.key.keyId,
      region: props.region,
    });
  }
}
