import { S3AccountPublicAccessBlock as S3AccountPublicAccessBlockResource } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { Construct } from 'constructs';

export interface S3AccountPublicAccessBlockProps {
  /** The account whose every bucket the block applies to. */
  readonly accountId: string;
}

/** All four S3 public-access blocks at the account level, so that no bucket of the account can be made public. */
export class S3AccountPublicAccessBlock extends Construct {
  readonly block: S3AccountPublicAccessBlockResource;

  constructor(scope: Construct, id: string, props: S3AccountPublicAccessBlockProps) {
    super(scope, id);
    this.block = new S3AccountPublicAccessBlockResource(this, 'Block', {
      accountId: props.accountId,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
  }
}
