import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { CONFIG_RULE_IDS } from '../../config/schema';
import { buildBaselineApp } from '../../lib/app';
import { MANAGED_RULES } from '../../lib/account-baseline/config-rules';
import { evaluate } from '../policy/simulate';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';

/* The account baseline: what every account gets once, and in every enabled region. */

const example = exampleConfig();
const enabledRegions = example.regions.enabled;
const home = example.regions.home;
const accountId = '555555555555';
const stack = synthStack('account-workload-dev', example);

const one = (s: SynthesizedStack, type: string) => {
  const resources = Object.values(resourcesOf(s, type));
  expect(resources).toHaveLength(1);
  return resources[0] as Record<string, any>;
};
const all = (s: SynthesizedStack, type: string) => Object.values(resourcesOf(s, type)) as Record<string, any>[];
/** The account's support role (every account also holds the detector's forwarding roles). */
const supportRole = (s: SynthesizedStack) => {
  const roles = all(s, 'aws_iam_role').filter((role) => role.name === 'acme-support');
  expect(roles).toHaveLength(1);
  return roles[0]!;
};
const regionsOf = (s: SynthesizedStack, type: string) => all(s, type).map((resource) => resource.region).sort();
const byRegion = (s: SynthesizedStack, type: string, region: string) => all(s, type).filter((r) => r.region === region);
/** The regions a resource with `for_each = toset([...regions])` has instances in. */
const instanceRegions = (resource: Record<string, any>): string[] => {
  const match = /^\$\{toset\((\[.*\])\)\}$/.exec(resource.for_each);
  return (JSON.parse(match![1]) as string[]).sort();
};

const REGIONAL_TYPES = [
  'aws_config_configuration_recorder',
  'aws_config_delivery_channel',
  'aws_config_configuration_recorder_status',
  'aws_ebs_encryption_by_default',
  'aws_accessanalyzer_analyzer',
  'aws_ecr_registry_scanning_configuration',
  'aws_flow_log',
  'aws_default_security_group',
];

describe('every enabled region', () => {
  it.each(REGIONAL_TYPES)('has exactly one %s per enabled region', (type) => {
    expect(regionsOf(stack, type)).toEqual([...enabledRegions].sort());
  });
});

describe('every account of the organization', () => {
  const app = buildBaselineApp(example, { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
  const accountStacks = app.node.children.filter((child) => child.node.id.startsWith('account-'));
  const GLOBAL_TYPES = [
    'aws_iam_account_password_policy',
    'aws_s3_account_public_access_block',
    'aws_iam_service_linked_role',
  ];

  it.each(accountStacks.map((child) => child.node.id))('%s has the global controls once and the regional ones in every region', (name) => {
    const synthesized = JSON.parse(Testing.synth(app.node.findChild(name) as never)) as SynthesizedStack;
    for (const type of GLOBAL_TYPES) expect(all(synthesized, type)).toHaveLength(1);
    expect(all(synthesized, 'aws_iam_role').filter((role) => role.name === 'acme-support')).toHaveLength(1);
    for (const type of REGIONAL_TYPES) expect(regionsOf(synthesized, type)).toEqual([...enabledRegions].sort());
    // The EC2 declarative policy sets the IMDS defaults of the member accounts; the management account sets its own.
    const imdsDefaults = all(synthesized, 'aws_ec2_instance_metadata_defaults');
    if (name === 'account-management') {
      expect(imdsDefaults.map((defaults) => defaults.region).sort()).toEqual([...enabledRegions].sort());
      for (const defaults of imdsDefaults) expect(defaults).toEqual({ region: defaults.region, http_tokens: 'required', http_put_response_hop_limit: 2 });
    } else {
      expect(imdsDefaults).toEqual([]);
    }
    const recordingGlobalTypes = all(synthesized, 'aws_config_configuration_recorder').filter((r) => r.recording_group.include_global_resource_types);
    expect(recordingGlobalTypes.map((recorder) => recorder.region)).toEqual([home]);
  });

  it('covers the five accounts of the example', () => {
    expect(accountStacks).toHaveLength(5);
  });
});

describe('once per account', () => {
  it('sets a CIS password policy with every character class', () => {
    expect(one(stack, 'aws_iam_account_password_policy')).toEqual({
      minimum_password_length: 14,
      password_reuse_prevention: 24,
      max_password_age: 90,
      require_uppercase_characters: true,
      require_lowercase_characters: true,
      require_numbers: true,
      require_symbols: true,
      allow_users_to_change_password: true,
      hard_expiry: false,
    });
  });

  it('blocks public access to every bucket of the account, all four ways', () => {
    expect(one(stack, 'aws_s3_account_public_access_block')).toEqual({
      account_id: accountId,
      block_public_acls: true,
      ignore_public_acls: true,
      block_public_policy: true,
      restrict_public_buckets: true,
    });
  });

  it('has a support role with AWSSupportAccess that only the deployment role may assume by default', async () => {
    const role = supportRole(stack);
    expect(role.name).toBe('acme-support');
    expect(one(stack, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AWSSupportAccess');
    const trust = JSON.parse(role.assume_role_policy);
    const assume = (principal: string) =>
      evaluate(
        { principal, action: 'sts:AssumeRole', resource: `arn:aws:iam::${accountId}:role/acme-support`, resourceAccount: accountId },
        { resourcePolicy: trust, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }] },
      );
    await expect(assume(`arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`)).resolves.toBe('Allowed');
    await expect(assume(`arn:aws:iam::${accountId}:role/operator`)).resolves.toBe('ImplicitlyDenied');
    await expect(assume('arn:aws:iam::999999999999:role/outsider')).resolves.toBe('ImplicitlyDenied');
  });

  it('uses the AWS Config service-linked role, created once', () => {
    expect(one(stack, 'aws_iam_service_linked_role').aws_service_name).toBe('config.amazonaws.com');
    for (const recorder of all(stack, 'aws_config_configuration_recorder')) {
      expect(recorder.role_arn).toMatch(/^\$\{aws_iam_service_linked_role\.[\w-]+\.arn\}$/);
    }
  });

  it('leaves the unused-access analyzer (billed per role) off by default', () => {
    expect(all(stack, 'aws_accessanalyzer_analyzer').map((analyzer) => analyzer.type)).toEqual(enabledRegions.map(() => 'ACCOUNT'));
  });

  it('imports nothing unless asked to adopt', () => {
    expect(stack.import).toBeUndefined();
  });
});

describe('AWS Config', () => {
  it('records every supported type, global types in the home region only', () => {
    const recorders = all(stack, 'aws_config_configuration_recorder');
    const global = recorders.filter((recorder) => recorder.recording_group.include_global_resource_types);
    expect(global.map((recorder) => recorder.region)).toEqual([home]);
    for (const recorder of recorders) {
      expect(recorder.name).toBe('acme-config-recorder');
      expect(recorder.recording_group.all_supported).toBe(true);
      expect(recorder.recording_mode).toEqual({ recording_frequency: 'CONTINUOUS' });
    }
  });

  it('delivers to the log-archive bucket under the config prefix, encrypted with the log key', () => {
    for (const channel of all(stack, 'aws_config_delivery_channel')) {
      expect(channel).toMatchObject({
        name: 'acme-config-delivery',
        s3_bucket_name: 'acme-logs-222222222222-eu-west-1',
        s3_key_prefix: 'config',
      });
      // The key ARN, looked up by its alias: the alias ARN would show as a change in every plan.
      const lookup = /^\$\{data\.aws_kms_key\.([^.]+)\.arn\}$/.exec(String(channel.s3_kms_key_arn))?.[1];
      expect(stack.data!.aws_kms_key[lookup!]).toMatchObject({ key_id: 'arn:aws:kms:eu-west-1:222222222222:alias/acme-logs', region: 'eu-west-1' });
      expect(channel.depends_on).toEqual([expect.stringMatching(/^aws_config_configuration_recorder\./)]);
    }
  });

  it('turns each recorder on once its delivery channel exists', () => {
    for (const region of enabledRegions) {
      const [status] = byRegion(stack, 'aws_config_configuration_recorder_status', region);
      expect(status.is_enabled).toBe(true);
      expect(status.depends_on).toEqual([expect.stringMatching(new RegExp(`^aws_config_delivery_channel\\.Region-${region}_`))]);
    }
  });
});

describe('AWS Config rules', () => {
  const rules = all(stack, 'aws_config_config_rule');
  const homeOnly = CONFIG_RULE_IDS.filter((id) => MANAGED_RULES[id].scope === 'home-region');
  const everywhere = CONFIG_RULE_IDS.filter((id) => MANAGED_RULES[id].scope === 'every-region');
  const ruleNamed = (s: SynthesizedStack, id: string) => all(s, 'aws_config_config_rule').find((rule) => rule.name === `acme-${id}`)!;

  it('has one resource per rule, with an instance per region it runs in', () => {
    expect(rules.map((rule) => rule.name).sort()).toEqual(CONFIG_RULE_IDS.map((id) => `acme-${id}`).sort());
    for (const rule of rules) expect(rule.region).toBe('${each.value}');
  });

  it('runs account-wide checks in the home region and resource checks in every region', () => {
    expect(homeOnly.length).toBeGreaterThan(0);
    for (const id of homeOnly) expect(instanceRegions(ruleNamed(stack, id))).toEqual([home]);
    for (const id of everywhere) expect(instanceRegions(ruleNamed(stack, id))).toEqual([...enabledRegions].sort());
  });

  it.each([
    ['restricted-ssh', 'INCOMING_SSH_DISABLED'],
    ['restricted-common-ports', 'RESTRICTED_INCOMING_TRAFFIC'],
    ['cloudtrail-enabled', 'CLOUD_TRAIL_ENABLED'],
    ['ebs-encryption-by-default', 'EC2_EBS_ENCRYPTION_BY_DEFAULT'],
  ])('uses the managed rule identifier of %s (%s), which differs from its name', (id, identifier) => {
    expect(ruleNamed(stack, id).source).toEqual({ owner: 'AWS', source_identifier: identifier });
  });

  it('blocks SSH, RDP, Oracle, SQL Server and MySQL from anywhere', () => {
    expect(JSON.parse(ruleNamed(stack, 'restricted-common-ports').input_parameters)).toEqual({
      blockedPort1: '22',
      blockedPort2: '3389',
      blockedPort3: '5500',
      blockedPort4: '1433',
      blockedPort5: '3306',
    });
  });

  it('checks flow logs for the configured traffic type', () => {
    expect(JSON.parse(ruleNamed(stack, 'vpc-flow-logs-enabled').input_parameters)).toEqual({ trafficType: 'ALL' });
  });

  it('creates rules only once the recorder of every region exists', () => {
    const recorders = Object.keys(resourcesOf(stack, 'aws_config_configuration_recorder')).map((id) => `aws_config_configuration_recorder.${id}`);
    expect(recorders).toHaveLength(enabledRegions.length);
    for (const rule of rules) expect([...rule.depends_on].sort()).toEqual(recorders.sort());
  });
});

describe('EC2 defaults', () => {
  it('encrypts EBS by default with the AWS-managed key unless a key is configured', () => {
    for (const encryption of all(stack, 'aws_ebs_encryption_by_default')) expect(encryption.enabled).toBe(true);
    expect(all(stack, 'aws_ebs_default_kms_key')).toEqual([]);
  });

  it('scans every image pushed to ECR', () => {
    for (const scanning of all(stack, 'aws_ecr_registry_scanning_configuration')) {
      expect(scanning.scan_type).toBe('BASIC');
      expect(scanning.rule).toEqual([{ scan_frequency: 'SCAN_ON_PUSH', repository_filter: [{ filter: '*', filter_type: 'WILDCARD' }] }]);
    }
  });
});

describe('VPCs found at plan time', () => {
  const vpcData = stack.data!.aws_vpcs as Record<string, Record<string, any>>;
  const isDefaultFilter = (data: Record<string, any>) => (data.filter ?? []).some((f: { name: string }) => f.name === 'is-default');
  const ownedBy = { name: 'owner-id', values: [accountId] };

  it('selects only the VPCs the account owns: VPCs shared with it through RAM are listed but take no flow logs from it', () => {
    for (const region of enabledRegions) {
      const sources = Object.values(vpcData).filter((data) => data.region === region);
      expect(sources.length).toBeGreaterThan(0);
      for (const data of sources) expect(data.filter).toContainEqual(ownedBy);
    }
  });

  it('logs the flows of every VPC of each region to the log bucket, Parquet, hourly hive partitions', () => {
    for (const region of enabledRegions) {
      const [flowLog] = byRegion(stack, 'aws_flow_log', region);
      const [source] = Object.entries(vpcData).find(([, data]) => data.region === region && !isDefaultFilter(data))!;
      expect(flowLog).toMatchObject({
        for_each: `\${toset(data.aws_vpcs.${source}.ids)}`,
        vpc_id: '${each.value}',
        traffic_type: 'ALL',
        log_destination_type: 's3',
        log_destination: 'arn:aws:s3:::acme-logs-222222222222-eu-west-1/flow-logs',
        destination_options: { file_format: 'parquet', hive_compatible_partitions: true, per_hour_partition: true },
      });
    }
  });

  it('strips every rule from the default security group of the default VPC only', () => {
    for (const region of enabledRegions) {
      const [group] = byRegion(stack, 'aws_default_security_group', region);
      const [source, data] = Object.entries(vpcData).find(([, d]) => d.region === region && isDefaultFilter(d))!;
      expect(data.filter).toEqual([ownedBy, { name: 'is-default', values: ['true'] }]);
      expect(group).toMatchObject({ for_each: `\${toset(data.aws_vpcs.${source}.ids)}`, vpc_id: '${each.value}', ingress: [], egress: [] });
    }
  });
});

describe('configured otherwise', () => {
  const customRegions = [...enabledRegions, 'ap-southeast-2', 'sa-east-1'];
  const mrk = 'arn:aws:kms:eu-west-1:555555555555:key/mrk-1234abcd12ab34cd56ef1234567890ab';
  const custom = synthStack('account-workload-dev', configWith((input) => {
    input.regions.enabled = [...input.regions.enabled, 'ap-southeast-2', 'sa-east-1'];
    input.config = { recordingFrequency: 'DAILY', rules: { 'restricted-ssh': false, 'root-account-mfa-enabled': false } };
    input.flowLogs = { trafficType: 'REJECT', fileFormat: 'plain-text' };
    input.accountBaseline = {
      imdsHopLimit: 1,
      ebsDefaultKmsKeyArn: mrk,
      defaultSecurityGroups: 'all-vpcs',
      supportRoleTrustedPrincipalArns: ['arn:aws:iam::333333333333:role/support-desk'],
      unusedAccessAnalyzer: true,
      ecrScanOnPush: false,
    };
    // Without the declarative policy's IMDS defaults, every account sets its own.
    input.guardrails = { ec2DeclarativePolicy: { instanceMetadataDefaults: false } };
  }));
  it('scales with the configured regions: two more regions, two more of each regional resource', () => {
    // ECR scanning is off here; the unused-access analyzer adds one in the home region.
    for (const type of REGIONAL_TYPES.filter((t) => !['aws_ecr_registry_scanning_configuration', 'aws_accessanalyzer_analyzer'].includes(t))) {
      expect(regionsOf(custom, type)).toEqual([...customRegions].sort());
    }
    const accountAnalyzers = all(custom, 'aws_accessanalyzer_analyzer').filter((analyzer) => analyzer.type === 'ACCOUNT');
    expect(accountAnalyzers.map((analyzer) => analyzer.region).sort()).toEqual([...customRegions].sort());
    expect(Object.values(custom.data!.aws_vpcs).map((data) => data.region).sort()).toEqual([...customRegions].sort());
  });

  it('records daily when configured', () => {
    for (const recorder of all(custom, 'aws_config_configuration_recorder')) {
      expect(recorder.recording_mode).toEqual({ recording_frequency: 'DAILY' });
    }
  });

  it('drops rules switched off, one by one, and runs the others in every added region', () => {
    const rules = all(custom, 'aws_config_config_rule');
    const names = rules.map((rule) => rule.name);
    expect(names).not.toContain('acme-restricted-ssh');
    expect(names).not.toContain('acme-root-account-mfa-enabled');
    expect(names).toHaveLength(CONFIG_RULE_IDS.length - 2);
    expect(instanceRegions(rules.find((rule) => rule.name === 'acme-restricted-common-ports')!)).toEqual([...customRegions].sort());
  });

  it('uses the replica of a multi-Region EBS key in every region', () => {
    expect(all(custom, 'aws_ebs_default_kms_key').map((key) => key.key_arn).sort()).toEqual(
      customRegions.map((region) => mrk.replace(':eu-west-1:', `:${region}:`)).sort(),
    );
  });

  it('applies the hop limit, traffic type and file format', () => {
    expect(regionsOf(custom, 'aws_ec2_instance_metadata_defaults')).toEqual([...customRegions].sort());
    for (const defaults of all(custom, 'aws_ec2_instance_metadata_defaults')) expect(defaults.http_put_response_hop_limit).toBe(1);
    for (const flowLog of all(custom, 'aws_flow_log')) {
      expect(flowLog.traffic_type).toBe('REJECT');
      expect(flowLog.destination_options.file_format).toBe('plain-text');
    }
  });

  it('locks the default group of every VPC when asked', () => {
    for (const group of all(custom, 'aws_default_security_group')) {
      expect(group.for_each).toMatch(/^\$\{toset\(data\.aws_vpcs\.Region-[a-z0-9-]+_Vpcs_/);
    }
  });

  it('trusts only the configured principals with the support role', () => {
    expect(JSON.parse(supportRole(custom).assume_role_policy).Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::333333333333:role/support-desk',
    });
  });

  it('adds one unused-access analyzer in the home region, and turns ECR scanning off', () => {
    const unused = all(custom, 'aws_accessanalyzer_analyzer').filter((analyzer) => analyzer.type === 'ACCOUNT_UNUSED_ACCESS');
    expect(unused).toEqual([
      { analyzer_name: 'acme-unused-access', region: home, type: 'ACCOUNT_UNUSED_ACCESS', configuration: { unused_access: { unused_access_age: 90 } } },
    ]);
    expect(all(custom, 'aws_ecr_registry_scanning_configuration')).toEqual([]);
  });
});

describe('adopting what an account already has', () => {
  const app = buildBaselineApp(
    configWith((input) => {
      input.accounts.members![1].adopt = {
        configRecorderName: 'aws-controltower-BaselineConfigRecorder',
        deliveryChannelName: 'aws-controltower-BaselineConfigDeliveryChannel',
        accessAnalyzerName: 'existing-analyzer',
        configServiceLinkedRole: true,
      };
      input.accountBaseline = { defaultSecurityGroups: 'untouched' };
    }),
    { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) },
  );
  const synth = (name: string) => JSON.parse(Testing.synth(app.node.findChild(name) as never)) as SynthesizedStack;
  const adopting = synth('account-workload-dev');
  const imports = adopting.import ?? [];
  const importOf = (type: string, region: string) => {
    const [resource] = Object.entries(resourcesOf(adopting, type)).find(([, r]) => r.region === region)!;
    return imports.filter((block) => block.to === `${type}.${resource}`);
  };

  it('imports the recorder, delivery channel and analyzer of each region by name, in that region', () => {
    for (const region of enabledRegions) {
      expect(importOf('aws_config_configuration_recorder', region)).toEqual([
        { to: expect.any(String), id: `aws-controltower-BaselineConfigRecorder@${region}` },
      ]);
      expect(importOf('aws_config_delivery_channel', region)).toEqual([
        { to: expect.any(String), id: `aws-controltower-BaselineConfigDeliveryChannel@${region}` },
      ]);
      expect(importOf('aws_accessanalyzer_analyzer', region)).toEqual([{ to: expect.any(String), id: `existing-analyzer@${region}` }]);
    }
    expect(imports).toHaveLength(3 * enabledRegions.length + 1);
  });

  it('keeps the adopted names, so that the import is not followed by a replacement', () => {
    for (const recorder of all(adopting, 'aws_config_configuration_recorder')) expect(recorder.name).toBe('aws-controltower-BaselineConfigRecorder');
    for (const channel of all(adopting, 'aws_config_delivery_channel')) expect(channel.name).toBe('aws-controltower-BaselineConfigDeliveryChannel');
  });

  it('imports the Config service-linked role by its ARN', () => {
    const [role] = Object.keys(resourcesOf(adopting, 'aws_iam_service_linked_role'));
    expect(imports).toContainEqual({
      to: `aws_iam_service_linked_role.${role}`,
      id: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    });
  });

  it('adopts only in the account that asks', () => {
    expect(synth('account-workload-prod').import).toBeUndefined();
  });

  it('leaves every default security group alone when told to, and still logs every VPC', () => {
    expect(all(adopting, 'aws_default_security_group')).toEqual([]);
    expect(Object.values(adopting.data!.aws_vpcs).filter((data) => JSON.stringify(data.filter).includes('is-default'))).toEqual([]);
    expect(all(adopting, 'aws_flow_log')).toHaveLength(enabledRegions.length);
  });
});
