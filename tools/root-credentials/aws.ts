import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { AUDIT_TASK_POLICY_ARN, type RootCredentialsApi, type RootCredentialStatus } from './audit';

/** The smallest part of an SDK v3 client the audit uses, so that tests can stand in for AWS. */
export interface CommandSender {
  send(command: unknown): Promise<unknown>;
}

export interface AwsRootCredentialsOptions {
  /** A client of the management (or delegated administrator) account. */
  readonly iam: CommandSender;
  /** AssumeRoot is not served by the global STS endpoint: this client must have a region. */
  readonly sts: CommandSender;
  /** Builds an IAM client from a root session's credentials. */
  readonly iamWithCredentials: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => CommandSender;
}

function isNoSuchEntity(error: unknown): boolean {
  return (error as { name?: string }).name === 'NoSuchEntityException' || (error as { name?: string }).name === 'NoSuchEntity';
}

/** The audit's calls made with the AWS SDK. */
export function awsRootCredentialsApi(options: AwsRootCredentialsOptions): RootCredentialsApi {
  return {
    async enabledFeatures() {
      const response = (await options.iam.send(new ListOrganizationsFeaturesCommand({}))) as { EnabledFeatures?: string[] };
      return response.EnabledFeatures ?? [];
    },
    async rootCredentialStatus(accountId): Promise<RootCredentialStatus> {
      const session = (await options.sts.send(
        new AssumeRootCommand({ TargetPrincipal: accountId, TaskPolicyArn: { arn: AUDIT_TASK_POLICY_ARN }, DurationSeconds: 900 }),
      )) as { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } };
      const credentials = session.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
        throw new Error('AssumeRoot returned no credentials');
      }
      const root = options.iamWithCredentials({
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      });
      // Without a user name, these calls act on the calling identity: in a root session, the root user.
      let password = true;
      try {
        await root.send(new GetLoginProfileCommand({}));
      } catch (error) {
        if (!isNoSuchEntity(error)) throw error;
        password = false;
      }
      const keys = (await root.send(new ListAccessKeysCommand({}))) as { AccessKeyMetadata?: unknown[] };
      const certificates = (await root.send(new ListSigningCertificatesCommand({}))) as { Certificates?: unknown[] };
      const mfa = (await root.send(new ListMFADevicesCommand({}))) as { MFADevices?: unknown[] };
      return {
        password,
        accessKeys: keys.AccessKeyMetadata?.length ?? 0,
        signingCertificates: certificates.Certificates?.length ?? 0,
        mfaDevices: mfa.MFADevices?.length ?? 0,
      };
    },
  };
}

/** The real clients: credentials from the environment (a management-account profile or role), STS in the given region. */
export function defaultAwsOptions(region: string): AwsRootCredentialsOptions {
  return {
    iam: new IAMClient({ region }),
    sts: new STSClient({ region }),
    iamWithCredentials: (credentials) => new IAMClient({ region, credentials }),
  };
}
