import { EbsDefaultKmsKey } from '@cdktf/provider-aws/lib/ebs-default-kms-key';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { Construct } from 'constructs';

export interface EbsEncryptionProps {
  readonly region: string;
  /** Customer-managed key in this region. @default - the AWS-managed key `aws/ebs` */
  readonly kmsKeyArn?: string;
}

/** EBS encryption by default in one region: every new volume and snapshot copy is encrypted (CIS). */
export class EbsEncryption extends Construct {
  readonly encryption: EbsEncryptionByDefault;
  readonly defaultKey?: EbsDefaultKmsKey;

  constructor(scope: Construct, id: string, props: EbsEncryptionProps) {
    super(scope, id);
    this.encryption = new EbsEncryptionByDefault(this, 'ByDefault', { region: props.region, enabled: true });
    if (props.kmsKeyArn) {
      this.defaultKey = new EbsDefaultKmsKey(this, 'DefaultKey', { region: props.region, keyArn: props.kmsKeyArn });
    }
  }
}

/**
 * The key to use in a region: a single-Region key only in its own region; a multi-Region key (`mrk-`) through its
 * replica of the same id in every region. Undefined where the configured key cannot be used.
 */
export function ebsKeyForRegion(keyArn: string | undefined, region: string): string | undefined {
  if (!keyArn) return undefined;
  const parts = keyArn.split(':');
  if (parts[3] === region) return keyArn;
  return parts[5]?.startsWith('key/mrk-') ? [...parts.slice(0, 3), region, ...parts.slice(4)].join(':') : undefined;
}
