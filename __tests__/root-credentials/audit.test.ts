import {
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRootCommand } from '@aws-sdk/client-sts';
import { AUDIT_TASK_POLICY_ARN, auditExitCode, auditRootCredentials, renderAudit, type RootCredentialStatus } from '../../tools/root-credentials/audit';
import { awsRootCredentialsApi, type CommandSender } from '../../tools/root-credentials/aws';

const PROD = { name: 'workload-prod', id: '444444444444' };
const DEV = { name: 'workload-dev', id: '555555555555' };
const NONE: RootCredentialStatus = { password: false, accessKeys: 0, signingCertificates: 0, mfaDevices: 0 };

/** An AWS organization as the SDK would see it: features of the organization, root credentials per account. */
function fakeAws(features: string[], roots: Record<string, { password: boolean; keys: number; certificates: number; mfa: number }>) {
  const calls: { client: string; command: string; input: unknown }[] = [];
  const record = (client: string) => (command: unknown) => {
    const { constructor, input } = command as { constructor: { name: string }; input: unknown };
    calls.push({ client, command: constructor.name, input });
    return constructor.name;
  };
  const iam: CommandSender = {
    async send(command) {
      if (record('management')(command) !== ListOrganizationsFeaturesCommand.name) throw new Error('unexpected call');
      return { EnabledFeatures: features, OrganizationId: 'o-a1b2c3d4e5' };
    },
  };
  const sts: CommandSender = {
    async send(command) {
      record('sts')(command);
      const target = (command as AssumeRootCommand).input.TargetPrincipal!;
      if (!roots[target]) throw Object.assign(new Error(`Account ${target} is not in the organization`), { name: 'AccessDenied' });
      return { Credentials: { AccessKeyId: `ASIA${target}`, SecretAccessKey: 'secret', SessionToken: 'token' } };
    },
  };
  const iamWithCredentials = (credentials: { accessKeyId: string }): CommandSender => ({
    async send(command) {
      const root = roots[credentials.accessKeyId.slice(4)];
      const name = record(`root:${credentials.accessKeyId.slice(4)}`)(command);
      if (name === GetLoginProfileCommand.name) {
        if (!root.password) throw Object.assign(new Error('The user with name root cannot be found.'), { name: 'NoSuchEntityException' });
        return { LoginProfile: { UserName: 'root' } };
      }
      if (name === ListAccessKeysCommand.name) return { AccessKeyMetadata: Array.from({ length: root.keys }, () => ({ Status: 'Active' })) };
      if (name === ListSigningCertificatesCommand.name) return { Certificates: Array.from({ length: root.certificates }, () => ({})) };
      if (name === ListMFADevicesCommand.name) return { MFADevices: Array.from({ length: root.mfa }, () => ({})) };
      throw new Error(`unexpected ${name}`);
    },
  });
  return { api: awsRootCredentialsApi({ iam, sts, iamWithCredentials: iamWithCredentials as never }), calls };
}

describe('the root credentials audit', () => {
  it('reports the accounts whose root user still holds a password or access keys, and exits 1', async () => {
    // Prepare
    const { api } = fakeAws(['RootCredentialsManagement', 'RootSessions'], {
      [PROD.id]: { password: true, keys: 1, certificates: 0, mfa: 0 },
      [DEV.id]: { password: false, keys: 0, certificates: 0, mfa: 0 },
    });
    // Act
    const audit = await auditRootCredentials([PROD, DEV], api);
    // Assess
    expect(audit.accounts.map((entry) => [entry.account.name, entry.verdict])).toEqual([
      ['workload-prod', 'holds root credentials'],
      ['workload-dev', 'no root credentials'],
    ]);
    expect(renderAudit(audit)).toContain('!! workload-prod (444444444444): root user holds a password, 1 access key (password without MFA)');
    expect(renderAudit(audit)).toContain('ok workload-dev (555555555555): no root credentials');
    expect(auditExitCode(audit)).toBe(1);
  });

  it('opens each root session with the audit task policy only, in the target account', async () => {
    const { api, calls } = fakeAws(['RootCredentialsManagement'], { [DEV.id]: { password: false, keys: 0, certificates: 0, mfa: 0 } });
    const audit = await auditRootCredentials([DEV], api);
    expect(auditExitCode(audit)).toBe(0);
    expect(calls.find((call) => call.command === AssumeRootCommand.name)?.input).toEqual({
      TargetPrincipal: DEV.id,
      TaskPolicyArn: { arn: AUDIT_TASK_POLICY_ARN },
      DurationSeconds: 900,
    });
    // Every credential read is made with the root session, never with the caller's own credentials.
    expect(calls.filter((call) => call.client === `root:${DEV.id}`).map((call) => call.command).sort()).toEqual(
      [GetLoginProfileCommand.name, ListAccessKeysCommand.name, ListMFADevicesCommand.name, ListSigningCertificatesCommand.name].sort(),
    );
  });

  it('stops before any root session when centralized root credentials management is off', async () => {
    const { api, calls } = fakeAws(['RootSessions'], { [DEV.id]: { password: true, keys: 0, certificates: 0, mfa: 0 } });
    const audit = await auditRootCredentials([DEV], api);
    expect(audit.blocked).toMatch(/RootCredentialsManagement is not enabled/);
    expect(calls.some((call) => call.client === 'sts')).toBe(false);
    expect(auditExitCode(audit)).toBe(1);
  });

  it('reports an account it could not audit and does not call it clean', async () => {
    const { api } = fakeAws(['RootCredentialsManagement'], {});
    const audit = await auditRootCredentials([PROD], api);
    expect(audit.accounts[0]).toMatchObject({ verdict: 'not audited', reason: 'Account 444444444444 is not in the organization' });
    expect(renderAudit(audit)).toContain('1 could not be audited');
    expect(auditExitCode(audit)).toBe(1);
  });

  it('names signing certificates as credentials, and MFA devices alone as none', async () => {
    const api = {
      enabledFeatures: async () => ['RootCredentialsManagement'],
      rootCredentialStatus: async (id: string) => (id === PROD.id ? { ...NONE, signingCertificates: 2 } : { ...NONE, mfaDevices: 1 }),
    };
    const audit = await auditRootCredentials([PROD, DEV], api);
    expect(audit.accounts.map((entry) => entry.verdict)).toEqual(['holds root credentials', 'no root credentials']);
    expect(renderAudit(audit)).toContain('root user holds 2 signing certificates');
  });
});
