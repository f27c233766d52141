import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { BaselineConfig } from '../config/schema';
import { BASELINE_MANAGED_BY } from '../config/tags';
import { BaselineNames, type OrganizationAccount } from '../lib/naming';

/** Versions of the AWS provider the synthesized stacks accept: the binding's own release and later 6.x. */
export const AWS_PROVIDER_CONSTRAINT = '>= 6.25.0, < 7.0.0';

/** Versions of Terraform (or OpenTofu) the synthesized stacks need, and with the S3 backend's native locking. */
export const TERRAFORM_CONSTRAINT = '>= 1.6.0';
export const S3_BACKEND_TERRAFORM_CONSTRAINT = '>= 1.10.0';

export interface BaselineStackProps {
  readonly config: BaselineConfig;
  /** The account the stack is deployed into. */
  readonly account: OrganizationAccount;
}

/**
 * A stack deployed into one account: one AWS provider that can only reach that account, default tags, and the
 * backend from the configuration. Regional resources set `region` per resource instead of using provider aliases.
 */
export class BaselineStack extends TerraformStack {
  readonly config: BaselineConfig;
  readonly account: OrganizationAccount;
  readonly names: BaselineNames;
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id);
    this.config = props.config;
    this.account = props.account;
    this.names = new BaselineNames(props.config);
    const { deployment } = props.config;

    const profile = deployment.profiles?.[props.account.name];
    const roleArn = this.names.assumedDeploymentRoleArn(props.account.id);
    this.provider = new AwsProvider(this, 'aws', {
      region: props.config.regions.home,
      // A credential for the wrong account fails at plan instead of changing the wrong account.
      allowedAccountIds: [props.account.id],
      // A profile, else the deployment role, else (the management account by default) the caller's own credentials.
      ...(profile
        ? { profile }
        : roleArn === undefined
          ? {}
          : {
              assumeRole: [
                {
                  roleArn,
                  sessionName: `${props.config.prefix}-baseline-${id}`.slice(0, 64),
                  externalId: deployment.externalId,
                },
              ],
            }),
      defaultTags: [
        {
          tags: {
            ...deployment.tags,
            ManagedBy: BASELINE_MANAGED_BY,
            BaselinePrefix: props.config.prefix,
            BaselineStack: id,
          },
        },
      ],
    });

    // Import blocks whose id is an expression need Terraform or OpenTofu 1.6; S3-native state locking needs 1.10.
    this.addOverride('terraform.required_version', deployment.backend.type === 's3' ? S3_BACKEND_TERRAFORM_CONSTRAINT : TERRAFORM_CONSTRAINT);
    this.addOverride('terraform.required_providers.aws', {
      source: 'hashicorp/aws',
      version: AWS_PROVIDER_CONSTRAINT,
    });

    const backend = deployment.backend;
    if (backend.type === 's3') {
      new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix}/${id}.tfstate`,
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
        ...(backend.roleArn ? { assumeRole: { roleArn: backend.roleArn } } : {}),
      });
      // S3-native state locking; the cdktf 0.21 binding predates the option.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // A relative path keeps the output independent of where the project is checked out.
      new LocalBackend(this, { path: 'terraform.tfstate' });
    }
  }
}
