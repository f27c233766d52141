import { POLICIES_PER_TARGET, POLICY_MAX_CHARACTERS, assertPolicyFits, packGuardrails } from '../../lib/guardrails/guardrail-policy';
import { dataPerimeter } from '../../lib/guardrails/data-perimeter';
import { guardrailPolicies, guardrailTargets } from '../../lib/guardrails/organization-guardrails';
import { AWS_REGIONS } from '../../config/regions';
import { BASELINE_PROTECTED_ACTIONS } from '../../lib/guardrails/protect-baseline';
import { BASELINE_MANAGED_BY } from '../../config/tags';
import { BaselineNames } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';
import { evaluate, type SimulatedRequest } from '../policy/simulate';

/*
 * The guardrails as AWS Organizations would apply them: each synthesized policy is evaluated with the IAM simulator
 * against requests from a workload role, the deployment role and the root user of a member account.
 */

const MEMBER = '444444444444';
const WORKLOAD_ROLE = `arn:aws:sts::${MEMBER}:assumed-role/workload-admin/session`;
const DEPLOYMENT_ROLE = `arn:aws:sts::${MEMBER}:assumed-role/OrganizationAccountAccessRole/baseline`;
const ROOT_USER = `arn:aws:iam::${MEMBER}:root`;
const OUS = ['ou-ab12-workload1', 'ou-ab12-sandbox01'];
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const config = configWith((input) => {
  input.guardrails = {
    targets: OUS,
    regionDeny: { enabled: true },
    dataPerimeter: { enabled: true, allowedCidrs: ['203.0.113.0/24'], allowedVpcIds: ['vpc-0a1b2c3d'] },
  };
});
const stack = synthStack('management', config);
const policies = Object.values(resourcesOf(stack, 'aws_organizations_policy')) as Array<{ name: string; type: string; content: string; description: string }>;
const policyNamed = (name: string) => {
  const found = policies.find((policy) => policy.name === `acme-${name}`);
  if (!found) throw new Error(`no policy acme-${name}; have ${policies.map((policy) => policy.name).join(', ')}`);
  return JSON.parse(found.content) as unknown;
};
const scps = policies.filter((policy) => policy.type === 'SERVICE_CONTROL_POLICY').map((policy) => JSON.parse(policy.content) as unknown);
type Statement = { Sid: string; Action: string[]; Condition: Record<string, Record<string, string[]>> };
const scpStatements = (scps as Array<{ Statement: Statement[] }>).flatMap((document) => document.Statement);
/** The statements one guardrail contributes, wherever it was packed. */
const statementsOf = (guardrailId: string) => {
  const guardrail = guardrailPolicies(config, new BaselineNames(config)).find((candidate) => candidate.id === guardrailId)!;
  const sids = new Set(guardrail.document.Statement.map((statement) => statement.Sid));
  return scpStatements.filter((statement) => sids.has(statement.Sid));
};

/**
 * A request from a member account in an allowed region, under every service control policy of the stack (identity
 * policies allow all, so any denial comes from the guardrails).
 */
function underGuardrails(request: Omit<SimulatedRequest, 'resourceAccount'> & { resourceAccount?: string }) {
  return evaluate(
    { resourceAccount: MEMBER, ...request, context: { 'aws:RequestedRegion': 'eu-west-1', ...request.context } },
    { identityPolicies: [ALLOW_ALL], serviceControlPolicies: [scps] },
  );
}

describe('the guardrail policies', () => {
  it('pack every guardrail, statements intact, into as few service control policies as fit, beside the resource control policy', () => {
    expect(policies.map((policy) => [policy.name, policy.type]).sort()).toEqual([
      ['acme-data-perimeter', 'RESOURCE_CONTROL_POLICY'],
      ['acme-ec2-settings', 'DECLARATIVE_POLICY_EC2'],
      ['acme-guardrails', 'SERVICE_CONTROL_POLICY'],
      ['acme-guardrails-2', 'SERVICE_CONTROL_POLICY'],
    ]);
    const guardrails = guardrailPolicies(config, new BaselineNames(config)).filter((guardrail) => guardrail.type === 'SERVICE_CONTROL_POLICY');
    const bySid = (statements: readonly { Sid: string }[]) => [...statements].sort((a, b) => a.Sid.localeCompare(b.Sid));
    expect(bySid(scpStatements)).toEqual(bySid(guardrails.flatMap((guardrail) => guardrail.document.Statement)));
    for (const guardrail of guardrails) {
      expect(policies.some((policy) => policy.description.includes(guardrail.name))).toBe(true);
    }
  });

  it('leave room for FullAWSAccess and the organization\'s own policies under the five-per-target quota', () => {
    // Every toggle on, every region allowed: the largest the service control policies get.
    const everything = configWith((input) => {
      input.regions.enabled = [...AWS_REGIONS];
      input.guardrails = { regionDeny: { enabled: true, allowedRegions: [...AWS_REGIONS] } };
    });
    const guardrails = guardrailPolicies(everything, new BaselineNames(everything));
    const packed = packGuardrails(guardrails.filter((guardrail) => guardrail.type === 'SERVICE_CONTROL_POLICY'), 'acme-guardrails');
    expect(packed.length).toBeLessThanOrEqual(POLICIES_PER_TARGET - 3);
  });

  it('stay under the Organizations size limit, measured without whitespace', () => {
    for (const policy of policies) {
      expect(policy.content).toBe(JSON.stringify(JSON.parse(policy.content)));
      expect(policy.content.length).toBeLessThanOrEqual(POLICY_MAX_CHARACTERS);
    }
  });

  it('attach every policy to every configured target', () => {
    const attachments = Object.values(resourcesOf(stack, 'aws_organizations_policy_attachment'));
    expect(attachments).toHaveLength(policies.length * OUS.length);
    expect(new Set(attachments.map((attachment) => attachment.target_id))).toEqual(new Set(OUS));
  });

  it('attach to the organization root when no target is configured', () => {
    const defaults = exampleConfig();
    expect(defaults.guardrails.targets).toEqual([]);
    expect(guardrailTargets(defaults)).toEqual(['r-a1b2']);
  });

  it('fit even with every region enabled and allowed', () => {
    const everywhere = configWith((input) => {
      input.regions.enabled = [...AWS_REGIONS];
      input.guardrails = { regionDeny: { enabled: true, allowedRegions: [...AWS_REGIONS] } };
    });
    for (const policy of guardrailPolicies(everywhere, new BaselineNames(everywhere))) {
      expect(() => assertPolicyFits(policy)).not.toThrow();
    }
  });

  it('follow their toggles; the region deny and the data perimeter are off by default', () => {
    const defaults = exampleConfig();
    const names = (changed: typeof defaults) => guardrailPolicies(changed, new BaselineNames(changed)).map((policy) => policy.id);
    expect(names(defaults)).toEqual(['DenyLeaveOrganization', 'ProtectBaseline', 'ProtectDetector', 'DenyRootUser', 'RequireImdsv2', 'DenyPublicEcr']);
    const noDetector = configWith((input) => {
      input.detector = { enabled: false };
    });
    expect(names(noDetector)).not.toContain('ProtectDetector');
    const off = configWith((input) => {
      input.guardrails = { denyLeaveOrganization: false, protectBaseline: false, denyRootUser: false, requireImdsv2: false, denyPublicEcr: false };
    });
    expect(names(off)).toEqual([]);
  });

  it('fail the synth with the policy name and sizes when a policy is too large', () => {
    const huge = dataPerimeter('acme-data-perimeter', {
      organizationId: 'o-a1b2c3d4e5',
      monitoredBucketNames: Array.from({ length: 60 }, (_, index) => `acme-monitored-bucket-number-${index}`),
      allowedCidrs: ['203.0.113.0/24'],
      allowedVpcIds: [],
    });
    expect(() => assertPolicyFits(huge)).toThrow(/^Policy "acme-data-perimeter" is \d{4} characters \(whitespace removed\); AWS Organizations accepts at most 5120/);
  });
});

describe('protect baseline', () => {
  const samples: Array<[string, string]> = [
    ['cloudtrail:StopLogging', 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail'],
    ['cloudtrail:DeleteTrail', 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail'],
    ['config:StopConfigurationRecorder', `arn:aws:config:eu-west-1:${MEMBER}:configuration-recorder/acme-recorder/abcd1234efgh5678`],
    ['config:DeleteDeliveryChannel', '*'],
    ['ec2:DeleteFlowLogs', `arn:aws:ec2:eu-west-1:${MEMBER}:vpc-flow-log/fl-0123456789abcdef0`],
    ['guardduty:DeleteDetector', `arn:aws:guardduty:eu-west-1:${MEMBER}:detector/12abc34d567e8fa901bc2d34eexample`],
    ['guardduty:DisassociateFromAdministratorAccount', '*'],
    ['securityhub:DisableSecurityHub', `arn:aws:securityhub:eu-west-1:${MEMBER}:hub/default`],
    ['securityhub:BatchDisableStandards', `arn:aws:securityhub:eu-west-1:${MEMBER}:hub/default`],
    ['access-analyzer:DeleteAnalyzer', `arn:aws:access-analyzer:eu-west-1:${MEMBER}:analyzer/acme-account-access`],
    ['s3:PutAccountPublicAccessBlock', '*'],
    ['ec2:DisableEbsEncryptionByDefault', '*'],
    ['ec2:ModifyInstanceMetadataDefaults', '*'],
  ];

  it.each(samples)('denies %s to a workload role', async (action, resource) => {
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource })).resolves.toBe('ExplicitlyDenied');
  });

  it.each(samples)('lets the deployment role %s', async (action, resource) => {
    await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action, resource })).resolves.toBe('Allowed');
  });

  it('names every protected part in its own statement', () => {
    expect(statementsOf('ProtectBaseline').map((statement) => statement.Sid)).toEqual([
      ...Object.keys(BASELINE_PROTECTED_ACTIONS).map((part) => `Protect${part}`),
      'ProtectBaselineConfigRules',
      'ProtectBaselineKeys',
      'ProtectBaselineKeyAliases',
      'ProtectBaselineRoles',
    ]);
  });

  describe("the baseline's key aliases (the stacks find the log archive's key by its alias)", () => {
    const LOG_KEY_ALIAS = `arn:aws:kms:eu-west-1:${MEMBER}:alias/acme-logs`;
    const aliasChanges = ['kms:UpdateAlias', 'kms:DeleteAlias', 'kms:CreateAlias'];

    it.each(aliasChanges)('denies %s on a baseline alias to a workload role, whatever key it names', async (action) => {
      await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: LOG_KEY_ALIAS })).resolves.toBe('ExplicitlyDenied');
    });

    it.each(aliasChanges)('lets the deployment role %s on a baseline alias', async (action) => {
      await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action, resource: LOG_KEY_ALIAS })).resolves.toBe('Allowed');
    });

    it.each(aliasChanges)("leaves %s on the account's own aliases to its admins", async (action) => {
      await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: `arn:aws:kms:eu-west-1:${MEMBER}:alias/payments-data` })).resolves.toBe('Allowed');
      await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: `arn:aws:kms:eu-west-1:${MEMBER}:alias/acmelogs` })).resolves.toBe('Allowed');
    });
  });

  it('leaves other work alone', async () => {
    await expect(
      underGuardrails({ principal: WORKLOAD_ROLE, action: 'cloudtrail:LookupEvents', resource: '*' }),
    ).resolves.toBe('Allowed');
  });

  describe("the baseline's Config rules (told apart by their ManagedBy tag: a rule's ARN holds its id, not its name)", () => {
    const RULE = `arn:aws:config:eu-west-1:${MEMBER}:config-rule/config-rule-a1b2c3`;
    const baselineRule = { 'aws:ResourceTag/ManagedBy': BASELINE_MANAGED_BY };
    const changes = ['config:DeleteConfigRule', 'config:PutConfigRule', 'config:DeleteEvaluationResults', 'config:UntagResource', 'config:TagResource'];

    it.each(changes)('denies %s on a baseline rule to a workload role', async (action) => {
      await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: RULE, context: baselineRule })).resolves.toBe('ExplicitlyDenied');
    });

    it.each(changes)('lets the deployment role %s on a baseline rule', async (action) => {
      await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action, resource: RULE, context: baselineRule })).resolves.toBe('Allowed');
    });

    it.each(changes)("leaves %s on the account's own rules to its admins", async (action) => {
      await expect(
        underGuardrails({ principal: WORKLOAD_ROLE, action, resource: RULE, context: { 'aws:ResourceTag/ManagedBy': 'team-payments' } }),
      ).resolves.toBe('Allowed');
      await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: RULE })).resolves.toBe('Allowed');
    });

  });

  describe("the baseline's KMS keys (told apart by their ManagedBy tag)", () => {
    const KEY = `arn:aws:kms:eu-west-1:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const baselineKey = { 'aws:ResourceTag/ManagedBy': BASELINE_MANAGED_BY };
    // KMS reads identity policies only when the key policy delegates to the account, as the default key policy does.
    const DEFAULT_KEY_POLICY = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: 'kms:*', Resource: '*' }],
    };
    const onKey = (request: { principal: string; action: string; context?: Record<string, string> }) =>
      evaluate(
        { resourceAccount: MEMBER, resource: KEY, ...request, context: { 'aws:RequestedRegion': 'eu-west-1', ...request.context } },
        { identityPolicies: [ALLOW_ALL], serviceControlPolicies: [scps], resourcePolicy: DEFAULT_KEY_POLICY },
      );
    const changes = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation', 'kms:UntagResource', 'kms:TagResource'];

    it.each(changes)('denies %s on a baseline key to a workload role', async (action) => {
      await expect(onKey({ principal: WORKLOAD_ROLE, action, context: baselineKey })).resolves.toBe('ExplicitlyDenied');
    });

    it.each(changes)('lets the deployment role %s on a baseline key', async (action) => {
      await expect(onKey({ principal: DEPLOYMENT_ROLE, action, context: baselineKey })).resolves.toBe('Allowed');
    });

    it.each(changes)("leaves %s on the account's own keys to its admins", async (action) => {
      await expect(onKey({ principal: WORKLOAD_ROLE, action })).resolves.toBe('Allowed');
    });

    it('leaves using a baseline key alone', async () => {
      await expect(onKey({ principal: WORKLOAD_ROLE, action: 'kms:Decrypt', context: baselineKey })).resolves.toBe('Allowed');
    });
  });

  describe('the tag both read', () => {
    it('protects the tag the guardrail reads: every Config rule of an account stack carries it through the default tags', () => {
      const account = synthStack('account-workload-prod', config);
      const providers = (account as unknown as { provider: { aws: Array<{ default_tags?: Array<{ tags: Record<string, string> }> }> } }).provider.aws;
      expect(providers.every((provider) => provider.default_tags?.[0]?.tags.ManagedBy === BASELINE_MANAGED_BY)).toBe(true);
      expect(Object.keys(resourcesOf(account, 'aws_config_config_rule')).length).toBeGreaterThan(0);
    });
  });
});

describe('the exempted roles themselves', () => {
  // The exemption names the deployment role; a member admin who could rewrite its trust, or create it in an account
  // where it does not exist, could assume it and walk around every guardrail.
  const deploymentRole = `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`;
  const breakGlassRole = 'arn:aws:iam::222222222222:role/acme-log-break-glass';
  const roleChanges = [
    'iam:UpdateAssumeRolePolicy',
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    'iam:UpdateRole',
    'iam:TagRole',
    'iam:UntagRole',
  ];

  it.each(roleChanges)('denies %s on the deployment role to a member account admin', async (action) => {
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action, resource: deploymentRole })).resolves.toBe('ExplicitlyDenied');
  });

  it.each(roleChanges)('denies %s on the break-glass role to an admin of the log-archive account', async (action) => {
    const admin = 'arn:aws:sts::222222222222:assumed-role/workload-admin/session';
    await expect(underGuardrails({ principal: admin, action, resource: breakGlassRole, resourceAccount: '222222222222' })).resolves.toBe(
      'ExplicitlyDenied',
    );
  });

  it('denies creating the deployment role in an account where it does not exist yet (an invited account)', async () => {
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'iam:CreateRole', resource: deploymentRole })).resolves.toBe('ExplicitlyDenied');
  });

  it('lets the deployment role, the organization\'s own automation, maintain them', async () => {
    for (const action of roleChanges) {
      await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action, resource: breakGlassRole, resourceAccount: MEMBER })).resolves.toBe('Allowed');
    }
  });

  it('leaves the member admin free to manage other roles and to read the protected ones', async () => {
    const other = `arn:aws:iam::${MEMBER}:role/app-role`;
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'iam:UpdateAssumeRolePolicy', resource: other })).resolves.toBe('Allowed');
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'iam:GetRole', resource: deploymentRole })).resolves.toBe('Allowed');
  });
});

describe('require IMDSv2', () => {
  const instance = `arn:aws:ec2:eu-west-1:${MEMBER}:instance/*`;
  const existing = `arn:aws:ec2:eu-west-1:${MEMBER}:instance/i-0123456789abcdef0`;
  const launch = (context: Record<string, string>) =>
    underGuardrails({ principal: WORKLOAD_ROLE, action: 'ec2:RunInstances', resource: instance.replace('*', 'i-0123456789abcdef0'), context });

  it('denies a launch without IMDSv2', async () => {
    await expect(launch({ 'ec2:MetadataHttpTokens': 'optional', 'ec2:MetadataHttpPutResponseHopLimit': '1' })).resolves.toBe('ExplicitlyDenied');
    await expect(launch({ 'ec2:MetadataHttpPutResponseHopLimit': '1' })).resolves.toBe('ExplicitlyDenied');
  });

  it('allows a launch with IMDSv2 required and the configured hop limit', async () => {
    await expect(launch({ 'ec2:MetadataHttpTokens': 'required', 'ec2:MetadataHttpPutResponseHopLimit': '2' })).resolves.toBe('Allowed');
  });

  it('denies a launch with a hop limit above the configured one', async () => {
    await expect(launch({ 'ec2:MetadataHttpTokens': 'required', 'ec2:MetadataHttpPutResponseHopLimit': '3' })).resolves.toBe('ExplicitlyDenied');
  });

  it('denies turning IMDSv1 back on or raising the hop limit of an instance, even to the deployment role', async () => {
    const modify = (principal: string, context: Record<string, string>) =>
      underGuardrails({ principal, action: 'ec2:ModifyInstanceMetadataOptions', resource: existing, context });
    await expect(modify(WORKLOAD_ROLE, { 'ec2:Attribute/HttpTokens': 'optional' })).resolves.toBe('ExplicitlyDenied');
    await expect(modify(DEPLOYMENT_ROLE, { 'ec2:Attribute/HttpTokens': 'optional' })).resolves.toBe('ExplicitlyDenied');
    await expect(modify(WORKLOAD_ROLE, { 'ec2:Attribute/HttpTokens': 'required', 'ec2:Attribute/HttpPutResponseHopLimit': '5' })).resolves.toBe(
      'ExplicitlyDenied',
    );
    await expect(modify(WORKLOAD_ROLE, { 'ec2:Attribute/HttpTokens': 'required', 'ec2:Attribute/HttpPutResponseHopLimit': '1' })).resolves.toBe(
      'Allowed',
    );
  });
});

describe('root user, leaving, public ECR', () => {
  it('denies the root user of a member account any action', async () => {
    await expect(underGuardrails({ principal: ROOT_USER, action: 's3:ListAllMyBuckets', resource: '*' })).resolves.toBe('ExplicitlyDenied');
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 's3:ListAllMyBuckets', resource: '*' })).resolves.toBe('Allowed');
  });

  it('denies leaving the organization, even to the deployment role', async () => {
    await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action: 'organizations:LeaveOrganization', resource: '*' })).resolves.toBe(
      'ExplicitlyDenied',
    );
  });

  it('denies public repositories, and repository policies outside the deployment role', async () => {
    const repository = `arn:aws:ecr:eu-west-1:${MEMBER}:repository/app`;
    await expect(
      underGuardrails({ principal: WORKLOAD_ROLE, action: 'ecr-public:CreateRepository', resource: `arn:aws:ecr-public::${MEMBER}:repository/app` }),
    ).resolves.toBe('ExplicitlyDenied');
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'ecr:SetRepositoryPolicy', resource: repository })).resolves.toBe('ExplicitlyDenied');
    await expect(underGuardrails({ principal: DEPLOYMENT_ROLE, action: 'ecr:SetRepositoryPolicy', resource: repository })).resolves.toBe('Allowed');
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'ecr:CreateRepository', resource: repository })).resolves.toBe('Allowed');
  });
});

describe('region deny', () => {
  it('denies regional services outside the allowed regions and keeps global ones', async () => {
    const inRegion = (region: string, action: string, resource: string) =>
      underGuardrails({ principal: WORKLOAD_ROLE, action, resource, context: { 'aws:RequestedRegion': region } });
    await expect(inRegion('ap-south-1', 'sqs:CreateQueue', `arn:aws:sqs:ap-south-1:${MEMBER}:q`)).resolves.toBe('ExplicitlyDenied');
    await expect(inRegion('eu-central-1', 'sqs:CreateQueue', `arn:aws:sqs:eu-central-1:${MEMBER}:q`)).resolves.toBe('Allowed');
    await expect(inRegion('us-east-1', 'iam:CreateRole', `arn:aws:iam::${MEMBER}:role/app`)).resolves.toBe('Allowed');
    expect(statementsOf('RegionDeny')[0].Condition.StringNotEquals['aws:RequestedRegion']).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
  });
});

describe('data perimeter (resource control policy)', () => {
  const rcp = policyNamed('data-perimeter');
  const object = 'arn:aws:s3:::acme-customer-records/customers/1.csv';
  const other = 'arn:aws:s3:::acme-app-assets/logo.png';
  const request = (principal: string, resource: string, context: Record<string, string>) =>
    evaluate(
      { principal, action: 's3:GetObject', resource, resourceAccount: MEMBER, context },
      { identityPolicies: [ALLOW_ALL], resourceControlPolicies: [rcp] },
    );
  const inOrg = { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' };

  it('denies principals from outside the organization', async () => {
    const stranger = 'arn:aws:sts::999999999999:assumed-role/attacker/s';
    await expect(request(stranger, other, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz', 'aws:SourceIp': '198.51.100.7' })).resolves.toBe('ExplicitlyDenied');
    await expect(request(WORKLOAD_ROLE, other, { ...inOrg, 'aws:SourceIp': '198.51.100.7' })).resolves.toBe('Allowed');
  });

  it('denies a monitored bucket to the organization\'s own credentials used from outside the allowed networks', async () => {
    await expect(request(WORKLOAD_ROLE, object, { ...inOrg, 'aws:SourceIp': '198.51.100.7' })).resolves.toBe('ExplicitlyDenied');
    await expect(request(WORKLOAD_ROLE, object, { ...inOrg, 'aws:SourceIp': '203.0.113.10' })).resolves.toBe('Allowed');
    await expect(request(WORKLOAD_ROLE, object, { ...inOrg, 'aws:SourceVpc': 'vpc-0a1b2c3d' })).resolves.toBe('Allowed');
    await expect(request(WORKLOAD_ROLE, object, { ...inOrg, 'aws:SourceVpc': 'vpc-99999999' })).resolves.toBe('ExplicitlyDenied');
  });

  it('lets AWS services acting for the organization in, and not those acting for another', async () => {
    const service = (sourceOrg: string) =>
      evaluate(
        {
          principal: 'cloudtrail.amazonaws.com',
          action: 's3:PutObject',
          resource: object,
          resourceAccount: MEMBER,
          context: { 'aws:SourceOrgID': sourceOrg, 'aws:SourceAccount': '111111111111' },
        },
        { resourcePolicy: { Version: '2012-10-17', Statement: [{ Sid: 'Trail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: object }] }, resourceControlPolicies: [rcp] },
      );
    await expect(service('o-a1b2c3d4e5')).resolves.toBe('Allowed');
    await expect(service('o-zzzzzzzzzz')).resolves.toBe('ExplicitlyDenied');
  });
});

describe('the S3 access detector under the guardrails', () => {
  // An admin of a bucket-owning account would disable forwarding, read, and re-enable it; or rewrite the roles.
  const admin = (action: string, resource: string) => underGuardrails({ principal: WORKLOAD_ROLE, action, resource });
  const deployment = (action: string, resource: string) => underGuardrails({ principal: DEPLOYMENT_ROLE, action, resource });
  const forwardingRule = `arn:aws:events:eu-west-1:${MEMBER}:rule/acme-forward-s3-data-events`;

  it.each([
    ['events:DisableRule', forwardingRule],
    ['events:DeleteRule', forwardingRule],
    ['events:PutRule', forwardingRule],
    ['events:RemoveTargets', forwardingRule],
    ['events:PutTargets', `${forwardingRule}-2`],
    ['events:DisableRule', 'arn:aws:events:eu-west-1:333333333333:rule/acme-s3-data-events/acme-s3-access-detector'],
    ['events:DeleteEventBus', 'arn:aws:events:eu-west-1:333333333333:event-bus/acme-s3-data-events'],
    ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MEMBER}:role/acme-s3-data-event-forwarder`],
    ['iam:DeleteRolePolicy', `arn:aws:iam::${MEMBER}:role/acme-s3-data-event-forwarder`],
    ['iam:PutRolePolicy', `arn:aws:iam::${MEMBER}:role/acme-detector-response`],
    ['iam:AttachRolePolicy', `arn:aws:iam::${MEMBER}:role/acme-detector-response`],
    ['iam:CreateRole', `arn:aws:iam::${MEMBER}:role/acme-detector-response`],
    ['iam:PutRolePermissionsBoundary', 'arn:aws:iam::333333333333:role/acme-s3-access-detector'],
    ['lambda:UpdateFunctionCode', 'arn:aws:lambda:eu-west-1:333333333333:function:acme-s3-access-detector'],
    ['lambda:PutFunctionConcurrency', 'arn:aws:lambda:eu-west-1:333333333333:function:acme-s3-access-detector'],
    ['sns:SetTopicAttributes', 'arn:aws:sns:eu-west-1:333333333333:acme-s3-access-findings'],
    ['sqs:PurgeQueue', `arn:aws:sqs:eu-west-1:${MEMBER}:acme-forward-s3-data-events-undelivered`],
    // The forwarding queues have no key of their own (SQS-managed encryption): their attributes and policy are what
    // keeps them encrypted, TLS-only and writable by the forwarding rules alone.
    ['sqs:SetQueueAttributes', `arn:aws:sqs:eu-west-1:${MEMBER}:acme-forward-s3-data-events-undelivered`],
    ['sqs:AddPermission', `arn:aws:sqs:us-east-1:${MEMBER}:acme-forward-s3-data-events-undelivered`],
    ['sqs:RemovePermission', `arn:aws:sqs:eu-central-1:${MEMBER}:acme-forward-s3-data-events-undelivered`],
    ['sqs:DeleteQueue', `arn:aws:sqs:eu-west-1:${MEMBER}:acme-forward-s3-data-events-undelivered`],
    ['cloudwatch:DisableAlarmActions', 'arn:aws:cloudwatch:eu-west-1:333333333333:alarm:acme-s3-access-detector-throttles'],
    ['dynamodb:DeleteTable', 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state'],
    ['dynamodb:UpdateTimeToLive', 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state'],
    ['dynamodb:UpdateContinuousBackups', 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state'],
    ['dynamodb:PutItem', 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state'],
    ['dynamodb:DeleteItem', 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state'],
    ['kms:UpdateAlias', 'arn:aws:kms:eu-west-1:333333333333:alias/acme-s3-access-detector-state'],
  ])('deny %s on %s to a member admin, not to the deployment role', async (action, resource) => {
    await expect(admin(action, resource)).resolves.toBe('ExplicitlyDenied');
    await expect(deployment(action, resource)).resolves.toBe('Allowed');
  });

  it("let the detector's own role write its window state, and no other of the security account's roles", async () => {
    const table = 'arn:aws:dynamodb:eu-west-1:333333333333:table/acme-s3-access-detector-state';
    const write = (principal: string) => underGuardrails({ principal, action: 'dynamodb:UpdateItem', resource: table, resourceAccount: '333333333333' });
    await expect(write('arn:aws:sts::333333333333:assumed-role/acme-s3-access-detector/acme-s3-access-detector')).resolves.toBe('Allowed');
    await expect(write('arn:aws:sts::333333333333:assumed-role/workload-admin/s')).resolves.toBe('ExplicitlyDenied');
  });

  it("deny changing bus policies in the security account, where the detector's bus is, to all but the deployment role", async () => {
    const put = (principal: string) => underGuardrails({ principal, action: 'events:PutPermission', resource: '*', resourceAccount: '333333333333' });
    await expect(put('arn:aws:sts::333333333333:assumed-role/workload-admin/s')).resolves.toBe('ExplicitlyDenied');
    await expect(put('arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/baseline')).resolves.toBe('Allowed');
    await expect(underGuardrails({ principal: WORKLOAD_ROLE, action: 'events:PutPermission', resource: '*' })).resolves.toBe('Allowed');
  });

  it("leave the account's other rules, roles and functions to its admins", async () => {
    await expect(admin('events:DisableRule', `arn:aws:events:eu-west-1:${MEMBER}:rule/nightly-report`)).resolves.toBe('Allowed');
    await expect(admin('iam:PutRolePolicy', `arn:aws:iam::${MEMBER}:role/workload-admin`)).resolves.toBe('Allowed');
    await expect(admin('lambda:UpdateFunctionCode', `arn:aws:lambda:eu-west-1:${MEMBER}:function:api`)).resolves.toBe('Allowed');
  });

  it('protect every queue and role the detector creates, by the names the stacks give them', () => {
    const security = synthStack('security', config);
    const account = synthStack('account-workload-prod', config);
    const named = (type: string) => [security, account].flatMap((stack) => Object.values(resourcesOf(stack, type)).map((resource) => resource.name as string));
    const resources = JSON.stringify(statementsOf('ProtectDetector'));
    for (const queue of named('aws_sqs_queue').filter((name) => name.includes('s3-access') || name.includes('s3-data'))) {
      expect(resources).toContain(`:${queue}"`);
    }
    for (const role of named('aws_iam_role').filter((name) => name.includes('detector') || name.includes('s3-data'))) {
      expect(resources).toContain(`role/${role}"`);
    }
  });
});
