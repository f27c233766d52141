import { Testing, TerraformStack } from 'cdktf';
import { VpcBlockPublicAccessExclusions } from '../../lib/guardrails/vpc-block-public-access-exclusions';
import { CentralizedRootAccess, rootAccessFeatures } from '../../lib/guardrails/centralized-root-access';
import { declarativePolicySetsImdsDefaults, ec2DeclarativePolicyDocument } from '../../lib/guardrails/ec2-declarative-policy';
import { configWith, exampleConfig, resourcesOf, synthStack } from '../helpers';

describe('the EC2 declarative policy', () => {
  it('by default sets every hardened EC2 attribute, VPC Block Public Access bidirectional with no exclusions', () => {
    // Act
    const document = ec2DeclarativePolicyDocument(exampleConfig());
    // Assess: the syntax of AWS's "Declarative policy syntax and examples" page.
    expect(document).toEqual({
      ec2_attributes: {
        vpc_block_public_access: {
          internet_gateway_block: { mode: { '@@assign': 'block_bidirectional' }, exclusions_allowed: { '@@assign': 'disabled' } },
        },
        serial_console_access: { status: { '@@assign': 'disabled' } },
        image_block_public_access: { state: { '@@assign': 'block_new_sharing' } },
        instance_metadata_defaults: {
          http_tokens: { '@@assign': 'required' },
          http_put_response_hop_limit: { '@@assign': '2' },
          http_endpoint: { '@@assign': 'enabled' },
          instance_metadata_tags: { '@@assign': 'disabled' },
        },
        snapshot_block_public_access: { state: { '@@assign': 'block_all_sharing' } },
      },
    });
  });

  it.each([
    ['instanceMetadataDefaults', 'instance_metadata_defaults'],
    ['snapshotBlockPublicAccess', 'snapshot_block_public_access'],
    ['imageBlockPublicAccess', 'image_block_public_access'],
    ['serialConsoleAccessOff', 'serial_console_access'],
  ] as const)('leaves out %s when that line is false', (setting, attribute) => {
    const config = configWith((input) => {
      input.guardrails = { ec2DeclarativePolicy: { [setting]: false } };
    });
    const attributes = ec2DeclarativePolicyDocument(config)!.ec2_attributes;
    expect(attributes[attribute]).toBeUndefined();
    expect(Object.keys(attributes)).toHaveLength(4);
  });

  it('leaves out VPC Block Public Access when it is off, and creates no policy when every attribute is off', () => {
    const noVpc = configWith((input) => {
      input.guardrails = { ec2DeclarativePolicy: { vpcBlockPublicAccess: { enabled: false } } };
    });
    expect(ec2DeclarativePolicyDocument(noVpc)!.ec2_attributes.vpc_block_public_access).toBeUndefined();
    const nothing = configWith((input) => {
      input.guardrails = {
        ec2DeclarativePolicy: {
          instanceMetadataDefaults: false,
          snapshotBlockPublicAccess: false,
          imageBlockPublicAccess: false,
          serialConsoleAccessOff: false,
          vpcBlockPublicAccess: { enabled: false },
          exceptionMessage: 'only a message',
        },
      };
    });
    expect(ec2DeclarativePolicyDocument(nothing)).toBeUndefined();
    expect(ec2DeclarativePolicyDocument(nothing)).toBeUndefined();
  });

  it('writes the allowed images criteria and an exception message when configured', () => {
    const config = configWith((input) => {
      input.guardrails = {
        ec2DeclarativePolicy: {
          allowedImages: { state: 'enabled', imageProviders: ['amazon', '123456789012'], maximumDaysSinceCreated: 300 },
          exceptionMessage: 'See https://wiki.example.com/ec2-settings',
        },
      };
    });
    const attributes = ec2DeclarativePolicyDocument(config)!.ec2_attributes;
    expect(attributes.exception_message).toEqual({ '@@assign': 'See https://wiki.example.com/ec2-settings' });
    expect(attributes.allowed_images_settings).toEqual({
      state: { '@@assign': 'enabled' },
      image_criteria: {
        criteria_1: {
          allowed_image_providers: { '@@assign': ['amazon', '123456789012'] },
          creation_date_condition: { maximum_days_since_created: { '@@assign': 300 } },
        },
      },
    });
  });

  it('rejects an allowed-images setting without providers, naming the path', () => {
    expect(() =>
      configWith((input) => {
        input.guardrails = { ec2DeclarativePolicy: { allowedImages: { imageProviders: [] } } };
      }),
    ).toThrow(/guardrails\.ec2DeclarativePolicy\.allowedImages\.imageProviders/);
  });

  it('is attached, as a DECLARATIVE_POLICY_EC2 policy, to the guardrail targets', () => {
    const config = configWith((input) => {
      input.guardrails = { targets: ['ou-ab12-abcdefgh', 'ou-ab12-ijklmnop'] };
    });
    const stack = synthStack('management', config);
    const policies = Object.entries(resourcesOf(stack, 'aws_organizations_policy')).filter(([, policy]) => policy.type === 'DECLARATIVE_POLICY_EC2');
    expect(policies).toHaveLength(1);
    const [id, policy] = policies[0];
    expect(JSON.parse(String(policy.content))).toEqual(ec2DeclarativePolicyDocument(config));
    const attachments = Object.values(resourcesOf(stack, 'aws_organizations_policy_attachment')).filter(
      (attachment) => attachment.policy_id === `\${aws_organizations_policy.${id}.id}`,
    );
    expect(attachments.map((attachment) => attachment.target_id).sort()).toEqual(['ou-ab12-abcdefgh', 'ou-ab12-ijklmnop']);
    expect(Object.values(resourcesOf(stack, 'aws_iam_organizations_features'))).toEqual([
      expect.objectContaining({ enabled_features: ['RootCredentialsManagement', 'RootSessions'] }),
    ]);
  });
});

describe('VPC Block Public Access exclusions', () => {
  const withEgressVpc = () =>
    configWith((input) => {
      input.guardrails = {
        ec2DeclarativePolicy: {
          vpcBlockPublicAccess: {
            exclusions: [{ account: 'workload-prod', region: 'eu-west-1', vpcId: 'vpc-0abc1234', reason: 'central egress VPC' }],
          },
        },
      };
    });

  it('lets accounts create exclusions only when the configuration names some, and creates them in the owning account', () => {
    const config = withEgressVpc();
    const vpc = ec2DeclarativePolicyDocument(config)!.ec2_attributes.vpc_block_public_access as Record<string, Record<string, unknown>>;
    expect(vpc.internet_gateway_block.exclusions_allowed).toEqual({ '@@assign': 'enabled' });
    const exclusions = Object.values(resourcesOf(synthStack('account-workload-prod', config), 'aws_vpc_block_public_access_exclusion'));
    expect(exclusions).toEqual([
      expect.objectContaining({ vpc_id: 'vpc-0abc1234', region: 'eu-west-1', internet_gateway_exclusion_mode: 'allow-egress' }),
    ]);
    const dev = new TerraformStack(Testing.app(), 'account-workload-dev');
    new VpcBlockPublicAccessExclusions(dev, 'Exclusions', { config, accountName: 'workload-dev' });
    expect(JSON.parse(Testing.synth(dev)).resource).toBeUndefined();
  });

  it('rejects an exclusion in an account the configuration does not have, naming the path', () => {
    expect(() =>
      configWith((input) => {
        input.guardrails = {
          ec2DeclarativePolicy: { vpcBlockPublicAccess: { exclusions: [{ account: 'egress', region: 'eu-west-1', vpcId: 'vpc-0abc1234', reason: 'x' }] } },
        };
      }),
    ).toThrow(/guardrails\.ec2DeclarativePolicy\.vpcBlockPublicAccess\.exclusions\[0\]\.account[\s\S]*egress[\s\S]*expected the name of an account/);
  });

  it('rejects an exclusion naming both a VPC and a subnet', () => {
    expect(() =>
      configWith((input) => {
        input.guardrails = {
          ec2DeclarativePolicy: {
            vpcBlockPublicAccess: {
              exclusions: [{ account: 'workload-prod', region: 'eu-west-1', vpcId: 'vpc-0abc1234', subnetId: 'subnet-0abc1234', reason: 'x' }],
            },
          },
        };
      }),
    ).toThrow(/exactly one of vpcId or subnetId/);
  });
});

describe('IMDS defaults: declarative policy or account setting', () => {
  // The stacks that follow from this are checked for every account in __tests__/account-baseline/account-stack.test.ts.
  const config = exampleConfig();
  const member = config.accounts.members[0];

  it('are left to the declarative policy in member accounts it covers (the account could not set them)', () => {
    expect(declarativePolicySetsImdsDefaults(config, member)).toBe(true);
    expect(declarativePolicySetsImdsDefaults(config, config.accounts.logArchive)).toBe(true);
  });

  it('stay an account setting in the management account, which Organizations policies never cover', () => {
    expect(declarativePolicySetsImdsDefaults(config, config.accounts.management)).toBe(false);
  });

  it('stay an account setting when the policy leaves IMDS out, or targets an OU the account is not known to be in', () => {
    const imdsOff = configWith((input) => {
      input.guardrails = { ec2DeclarativePolicy: { instanceMetadataDefaults: false } };
    });
    expect(declarativePolicySetsImdsDefaults(imdsOff, member)).toBe(false);
    const otherOu = configWith((input) => {
      input.guardrails = { targets: ['ou-ab12-abcdefgh'] };
    });
    expect(declarativePolicySetsImdsDefaults(otherOu, otherOu.accounts.members[0])).toBe(false);
    const sameOu = configWith((input) => {
      input.guardrails = { targets: ['ou-ab12-abcdefgh'] };
      input.accounts.members![0].organizationalUnit = 'ou-ab12-abcdefgh';
    });
    expect(declarativePolicySetsImdsDefaults(sameOu, sameOu.accounts.members[0])).toBe(true);
  });
});

describe('centralized root access', () => {
  it('enables root credentials management and root sessions by default', () => {
    expect(rootAccessFeatures(exampleConfig())).toEqual(['RootCredentialsManagement', 'RootSessions']);
  });

  it('enables only what stays on, and nothing when both are off', () => {
    const sessionsOnly = configWith((input) => {
      input.guardrails = { rootAccess: { removeMemberRootCredentials: false } };
    });
    expect(rootAccessFeatures(sessionsOnly)).toEqual(['RootSessions']);
    const none = configWith((input) => {
      input.guardrails = { rootAccess: { removeMemberRootCredentials: false, rootSessions: false } };
    });
    expect(rootAccessFeatures(none)).toEqual([]);
    const stack = new TerraformStack(Testing.app(), 'management');
    expect(new CentralizedRootAccess(stack, 'RootAccess', { config: none }).features).toBeUndefined();
  });
});
