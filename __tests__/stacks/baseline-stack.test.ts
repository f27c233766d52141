import { AWS_PROVIDER_CONSTRAINT } from '../../stacks/baseline-stack';
import { evaluate } from '../policy/simulate';
import { configWith, exampleConfig, synthAll, synthStack, synthStacks, type SynthesizedStack } from '../helpers';

describe('the stacks of the example organization', () => {
  const stacks = synthAll();

  it('has one stack per account role and one account stack per account', () => {
    expect(Object.keys(stacks).sort()).toEqual(
      [
        'log-archive',
        'management',
        'security',
        'account-management',
        'account-log-archive',
        'account-security',
        'account-workload-prod',
        'account-workload-dev',
      ].sort(),
    );
  });

  it.each([
    ['log-archive', '222222222222'],
    ['security', '333333333333'],
    ['account-workload-dev', '555555555555'],
  ])('gives %s one provider that can only reach account %s', (name, accountId) => {
    const providers = stacks[name].provider.aws as Array<Record<string, any>>;
    expect(providers).toHaveLength(1);
    expect(providers[0].allowed_account_ids).toEqual([accountId]);
    expect(providers[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`);
    expect(providers[0].region).toBe('eu-west-1');
    expect(providers[0].default_tags[0].tags).toMatchObject({ ManagedBy: 'aws-org-baseline', BaselineStack: name });
  });

  it('requires hashicorp/aws 6.25.0 or a later 6.x release', () => {
    for (const stack of Object.values(stacks)) {
      expect((stack.terraform as any).required_providers.aws).toEqual({
        source: 'hashicorp/aws',
        version: AWS_PROVIDER_CONSTRAINT,
      });
    }
    expect(AWS_PROVIDER_CONSTRAINT).toBe('>= 6.25.0, < 7.0.0');
  });

  it('requires a Terraform that reads import blocks with expression ids (1.6)', () => {
    for (const stack of Object.values(stacks)) expect((stack.terraform as any).required_version).toBe('>= 1.6.0');
  });

  it('keeps state locally, at a path relative to the stack directory, by default', () => {
    for (const stack of Object.values(stacks)) {
      expect((stack.terraform as any).backend).toEqual({ local: { path: 'terraform.tfstate' } });
    }
  });

  it('never references another stack (no remote state)', () => {
    for (const stack of Object.values(stacks)) {
      expect(stack.data?.terraform_remote_state).toBeUndefined();
    }
  });
});

describe('the management account and invited accounts', () => {
  // One synth of the example and one of a configuration with named roles, each stack read from the same app.
  const example = synthStacks(exampleConfig(), ['management', 'account-management']);
  const named = synthStacks(
    configWith((input) => {
      input.accounts.management.deploymentRoleName = 'BaselineDeployment';
      input.accounts.members![0].deploymentRoleName = 'InvitedAccountDeployment';
    }),
    ['management', 'account-management', 'account-workload-prod', 'account-workload-dev'],
  );
  const providerOf = (stack: SynthesizedStack) => (stack.provider.aws as Array<Record<string, any>>)[0];

  // Organizations creates OrganizationAccountAccessRole only in accounts it creates, never in the management account.
  it.each(['management', 'account-management'])("deploys %s with the caller's own credentials by default, pinned to the account", (name) => {
    const providers = example[name].provider.aws as Array<Record<string, any>>;
    expect(providers).toHaveLength(1);
    expect(providers[0].allowed_account_ids).toEqual(['111111111111']);
    expect(providers[0].assume_role).toBeUndefined();
    expect(providers[0].profile).toBeUndefined();
  });

  it('lets the support role of the management account be assumed from the account itself, as no deployment role exists there', () => {
    const role = Object.values(example['account-management'].resource.aws_iam_role).find((r) => String(r.name).endsWith('-support'))!;
    expect(JSON.parse(String(role.assume_role_policy)).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
  });

  it('assumes a configured role in the management account', () => {
    for (const name of ['management', 'account-management']) {
      expect(providerOf(named[name]).assume_role[0].role_arn).toBe('arn:aws:iam::111111111111:role/BaselineDeployment');
    }
  });

  it('assumes the role an invited account names, and deployment.roleName elsewhere', () => {
    expect(providerOf(named['account-workload-prod']).assume_role[0].role_arn).toBe('arn:aws:iam::444444444444:role/InvitedAccountDeployment');
    expect(providerOf(named['account-workload-dev']).assume_role[0].role_arn).toBe('arn:aws:iam::555555555555:role/OrganizationAccountAccessRole');
  });

  it("exempts an invited account's role from the guardrails, and protects roles of that name everywhere", () => {
    const statements = Object.values(named.management.resource.aws_organizations_policy)
      .filter((p) => p.type === 'SERVICE_CONTROL_POLICY')
      .flatMap((p) => JSON.parse(String(p.content)).Statement);
    const exempted = statements.flatMap((statement: any) => statement.Condition?.ArnNotLike?.['aws:PrincipalArn'] ?? []);
    expect(exempted).toContain('arn:aws:iam::*:role/InvitedAccountDeployment');
    const protectedRoles = statements.find((statement: any) => statement.Sid === 'ProtectBaselineRoles').Resource;
    expect(protectedRoles).toEqual(expect.arrayContaining(['arn:aws:iam::*:role/OrganizationAccountAccessRole', 'arn:aws:iam::*:role/InvitedAccountDeployment']));
  });

  it('lets no member admin create a role by that name in another account to be exempted', async () => {
    const scps = Object.values(named.management.resource.aws_organizations_policy)
      .filter((p) => p.type === 'SERVICE_CONTROL_POLICY')
      .map((p) => JSON.parse(String(p.content)));
    const decision = await evaluate(
      {
        principal: 'arn:aws:sts::555555555555:assumed-role/workload-admin/session',
        action: 'iam:CreateRole',
        resource: 'arn:aws:iam::555555555555:role/InvitedAccountDeployment',
        resourceAccount: '555555555555',
        context: { 'aws:RequestedRegion': 'us-east-1' },
      },
      { identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], serviceControlPolicies: [scps] },
    );
    expect(decision).toBe('ExplicitlyDenied');
  });
});

describe('deployment options', () => {
  it('uses an S3 backend with native locking, one state key per stack, when configured', () => {
    const config = configWith((input) => {
      input.deployment = {
        backend: { type: 's3', bucket: 'acme-terraform-state', region: 'eu-west-1', roleArn: 'arn:aws:iam::111111111111:role/state' },
      };
    });
    const security = synthStack('security', config);
    expect((security.terraform as any).backend.s3).toEqual({
      bucket: 'acme-terraform-state',
      key: 'aws-baseline/security.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      assume_role: { role_arn: 'arn:aws:iam::111111111111:role/state' },
      use_lockfile: true,
    });
    // S3-native locking arrived in Terraform and OpenTofu 1.10; an older binary would ignore the lock.
    expect((security.terraform as any).required_version).toBe('>= 1.10.0');
  });

  it('uses a named profile per account instead of assuming a role, when configured', () => {
    const config = configWith((input) => {
      input.deployment = {
        profiles: {
          management: 'org-management',
          'log-archive': 'org-logs',
          security: 'org-security',
          'workload-prod': 'prod',
          'workload-dev': 'dev',
        },
      };
    });
    const provider = (synthStack('log-archive', config).provider.aws as Array<Record<string, unknown>>)[0];
    expect(provider.profile).toBe('org-logs');
    expect(provider.assume_role).toBeUndefined();
  });
});
