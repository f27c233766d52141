import { Testing } from 'cdktf';
import { DelegatedAdministrators } from '../../lib/security-services/delegated-administrators';
import { PROTECTION_PLANS } from '../../lib/security-services/guardduty-organization';
import { cisStandardArn, foundationalBestPracticesArn, SecurityHubOrganization } from '../../lib/security-services/security-hub-organization';
import { configWith, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';
import { evaluate } from '../policy/simulate';

/* The security services run for the organization from the security account, and registered from the management account. */

const config = configWith((input) => {
  input.securityServices = { guardDuty: { runtimeMonitoring: true, rdsLoginEvents: false } };
});
const ENABLED = ['eu-central-1', 'eu-west-1', 'us-east-1'];
const HOME = 'eu-west-1';
const security = synthStack('security', config);
const management = synthStack('management', config);

const values = (stack: SynthesizedStack, type: string) => Object.values(resourcesOf(stack, type)) as Array<Record<string, any>>;
const regionsOf = (resources: Array<Record<string, any>>) => resources.map((resource) => resource.region).sort();

function synthConstruct(build: (scope: never) => void): SynthesizedStack {
  return JSON.parse(Testing.synthScope((scope) => build(scope as never))) as SynthesizedStack;
}

describe('delegated administration (management account)', () => {
  it('makes the security account GuardDuty administrator in every region and Security Hub administrator in the home region', () => {
    const guardDuty = values(management, 'aws_guardduty_organization_admin_account');
    expect(regionsOf(guardDuty)).toEqual(ENABLED);
    expect(new Set(guardDuty.map((admin) => admin.admin_account_id))).toEqual(new Set(['333333333333']));
    expect(values(management, 'aws_securityhub_organization_admin_account')).toEqual([
      { admin_account_id: '333333333333', region: HOME, depends_on: [expect.stringMatching(/^aws_securityhub_account\./)] },
    ]);
    expect(values(management, 'aws_securityhub_account')).toEqual([{ enable_default_standards: false, region: HOME }]);
  });

  it('gives the management account the GuardDuty service-linked role before designating, so the administrator can enroll it', () => {
    // GuardDuty: "The management account must have the GuardDuty service-linked role (SLR) so that the delegated
    // GuardDuty administrator account can enable and manage GuardDuty in that account."
    const roles = Object.entries(resourcesOf(management, 'aws_iam_service_linked_role'));
    expect(roles.map(([, role]) => role.aws_service_name)).toEqual(['guardduty.amazonaws.com']);
    const [logicalId] = roles[0];
    for (const admin of values(management, 'aws_guardduty_organization_admin_account')) {
      expect(admin.depends_on).toEqual([`aws_iam_service_linked_role.${logicalId}`]);
    }
    expect(management.import ?? []).toEqual([]);
  });

  it('adopts the GuardDuty service-linked role when the management account already has it', () => {
    const adopting = synthStack(
      'management',
      configWith((input) => {
        input.accounts.management.adopt = { guardDutyServiceLinkedRole: true };
      }),
    );
    const [logicalId] = Object.keys(resourcesOf(adopting, 'aws_iam_service_linked_role'));
    expect(adopting.import).toEqual([
      { to: `aws_iam_service_linked_role.${logicalId}`, id: 'arn:aws:iam::111111111111:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty' },
    ]);
  });

  it('registers the security account for Config aggregation and Access Analyzer, and not CloudTrail unless chosen', () => {
    expect(values(management, 'aws_organizations_delegated_administrator').map((admin) => [admin.service_principal, admin.account_id]).sort()).toEqual([
      ['access-analyzer.amazonaws.com', '333333333333'],
      ['config.amazonaws.com', '333333333333'],
    ]);
    expect(values(management, 'aws_cloudtrail_organization_delegated_admin_account')).toEqual([]);
    const withTrail = synthConstruct((scope) => {
      new DelegatedAdministrators(scope, 'Admins', { securityAccountId: '333333333333', regions: ENABLED, homeRegion: HOME, cloudTrail: true });
    });
    expect(values(withTrail, 'aws_cloudtrail_organization_delegated_admin_account')).toEqual([{ account_id: '333333333333' }]);
  });
});

describe('GuardDuty for the organization', () => {
  it('adopts the administrator detector of every region and exports findings every 15 minutes', () => {
    const detectors = resourcesOf(security, 'aws_guardduty_detector');
    expect(regionsOf(Object.values(detectors))).toEqual(ENABLED);
    for (const detector of Object.values(detectors)) expect(detector).toMatchObject({ enable: true, finding_publishing_frequency: 'FIFTEEN_MINUTES' });
    // Each is imported from the detector that designating the administrator created in its region; the provider
    // reads "<id>@<region>" as an id in that region, not the provider's.
    const imports = (security.import ?? []).filter((block) => block.to.startsWith('aws_guardduty_detector.'));
    expect(imports).toHaveLength(ENABLED.length);
    for (const { to, id } of imports) {
      const logicalId = to.replace('aws_guardduty_detector.', '');
      const [, dataId, region] = /^\$\{data\.aws_guardduty_detector\.([^.]+)\.id\}@([a-z0-9-]+)$/.exec(id) ?? [];
      expect(region).toBe(detectors[logicalId].region);
      expect(security.data?.aws_guardduty_detector?.[dataId]?.region).toBe(region);
    }
  });

  it('enrolls every account, present and future, in every region', () => {
    const organization = values(security, 'aws_guardduty_organization_configuration');
    expect(regionsOf(organization)).toEqual(ENABLED);
    for (const each of organization) expect(each.auto_enable_organization_members).toBe('ALL');
  });

  it('turns each protection plan on or off as configured, for members and for the administrator', () => {
    const features = values(security, 'aws_guardduty_organization_configuration_feature');
    const own = values(security, 'aws_guardduty_detector_feature');
    expect(features).toHaveLength(PROTECTION_PLANS.length * ENABLED.length);
    expect(own).toHaveLength(PROTECTION_PLANS.length * ENABLED.length);
    const inHome = (list: Array<Record<string, any>>, name: string) => list.find((feature) => feature.name === name && feature.region === HOME)!;
    expect(inHome(features, 'S3_DATA_EVENTS').auto_enable).toBe('ALL');
    expect(inHome(features, 'RDS_LOGIN_EVENTS').auto_enable).toBe('NONE');
    expect(inHome(own, 'RDS_LOGIN_EVENTS').status).toBe('DISABLED');
    expect(inHome(features, 'RUNTIME_MONITORING')).toMatchObject({
      auto_enable: 'ALL',
      additional_configuration: expect.arrayContaining([{ name: 'EC2_AGENT_MANAGEMENT', auto_enable: 'ALL' }]),
    });
    expect(inHome(own, 'EBS_MALWARE_PROTECTION').status).toBe('ENABLED');
  });

  it('updates the protection plans only after the organization configuration of their region', () => {
    const organizations = resourcesOf(security, 'aws_guardduty_organization_configuration');
    for (const feature of values(security, 'aws_guardduty_organization_configuration_feature')) {
      const [dependency] = feature.depends_on as string[];
      const logicalId = dependency.replace('aws_guardduty_organization_configuration.', '');
      expect(organizations[logicalId]?.region).toBe(feature.region);
    }
  });
});

describe('Security Hub for the organization', () => {
  it('aggregates the other enabled regions into the home region', () => {
    expect(values(security, 'aws_securityhub_finding_aggregator')).toEqual([
      { linking_mode: 'SPECIFIED_REGIONS', specified_regions: ['eu-central-1', 'us-east-1'], region: HOME },
    ]);
  });

  it('uses central configuration: one policy with CIS 5.0.0 and Foundational Security Best Practices, on the organization root', () => {
    const [organization] = values(security, 'aws_securityhub_organization_configuration');
    expect(organization).toMatchObject({ auto_enable: false, auto_enable_standards: 'NONE', organization_configuration: { configuration_type: 'CENTRAL' } });
    const [policy] = values(security, 'aws_securityhub_configuration_policy');
    expect(policy.configuration_policy).toEqual({
      service_enabled: true,
      enabled_standard_arns: [
        `arn:aws:securityhub:${HOME}::standards/aws-foundational-security-best-practices/v/1.0.0`,
        `arn:aws:securityhub:${HOME}::standards/cis-aws-foundations-benchmark/v/5.0.0`,
      ],
      security_controls_configuration: { disabled_control_identifiers: [] },
    });
    const [association] = values(security, 'aws_securityhub_configuration_policy_association');
    expect(association.target_id).toBe('r-a1b2');
  });

  it('leaves a standard out when it is turned off, and links no region when only the home region is enabled', () => {
    const stack = synthConstruct((scope) => {
      new SecurityHubOrganization(scope, 'Hub', {
        homeRegion: HOME,
        regions: [HOME],
        rootId: 'r-a1b2',
        policyName: 'acme-baseline',
        cisStandard: false,
        foundationalBestPractices: true,
      });
    });
    expect(values(stack, 'aws_securityhub_configuration_policy')[0].configuration_policy.enabled_standard_arns).toEqual([
      foundationalBestPracticesArn(HOME),
    ]);
    expect(cisStandardArn(HOME)).toContain('/v/5.0.0');
    // The regional "standards/" form Security Hub lists for CIS 1.4.0 and later; "ruleset/" is CIS 1.2.0 only.
    expect(cisStandardArn('us-east-1')).toBe('arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/5.0.0');
    const [aggregator] = values(stack, 'aws_securityhub_finding_aggregator');
    expect(aggregator.linking_mode).toBe('ALL_REGIONS_EXCEPT_SPECIFIED');
    expect(aggregator.specified_regions).toContain('us-east-1');
    expect(aggregator.specified_regions).not.toContain(HOME);
  });
});

describe('Access Analyzer and Config aggregation', () => {
  it('analyzes the organization as zone of trust in every region', () => {
    const analyzers = values(security, 'aws_accessanalyzer_analyzer').filter((analyzer) => analyzer.type === 'ORGANIZATION');
    expect(regionsOf(analyzers)).toEqual(ENABLED);
    expect(new Set(analyzers.map((analyzer) => analyzer.analyzer_name))).toEqual(new Set(['acme-organization-access']));
  });

  it('aggregates Config of every account and region in the home region', () => {
    const [aggregator] = values(security, 'aws_config_configuration_aggregator');
    expect(aggregator).toMatchObject({ name: 'acme-organization', region: HOME, organization_aggregation_source: { all_regions: true } });
    // all_regions, not a list: regions AWS opens later are aggregated without a change here.
    expect(aggregator.organization_aggregation_source.regions).toBeUndefined();
    const [attachment] = values(security, 'aws_iam_role_policy_attachment').filter((each) => String(each.policy_arn).endsWith('/AWSConfigRoleForOrganizations'));
    expect(attachment.policy_arn).toBe('arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations');
  });

  it('lets only Config, for the security account, assume the aggregator role', async () => {
    const role = values(security, 'aws_iam_role').find((each) => each.name === 'acme-config-aggregator')!;
    const trust = JSON.parse(role.assume_role_policy);
    const assume = (sourceAccount: string) =>
      evaluate(
        {
          principal: 'config.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: 'arn:aws:iam::333333333333:role/acme-config-aggregator',
          resourceAccount: '333333333333',
          context: { 'aws:SourceAccount': sourceAccount },
        },
        { resourcePolicy: trust },
      );
    await expect(assume('333333333333')).resolves.toBe('Allowed');
    await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');
  });
});
