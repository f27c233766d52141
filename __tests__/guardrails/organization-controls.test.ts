import { ec2DeclarativePolicyDocument } from '../../lib/guardrails/ec2-declarative-policy';
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
    const types = Object.values(resourcesOf(synthStack('management', nothing), 'aws_organizations_policy')).map((policy) => policy.type);
    expect(types).not.toContain('DECLARATIVE_POLICY_EC2');
    expect(types).toContain('SERVICE_CONTROL_POLICY');
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
    expect(resourcesOf(synthStack('account-workload-dev', config), 'aws_vpc_block_public_access_exclusion')).toEqual({});
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
  const imdsDefaults = (stack: string, config = exampleConfig()) =>
    Object.keys(resourcesOf(synthStack(stack, config), 'aws_ec2_instance_metadata_defaults'));

  it('are left to the declarative policy in member accounts it covers (the account could not set them)', () => {
    expect(imdsDefaults('account-workload-prod')).toEqual([]);
  });

  it('stay an account setting in the management account, which Organizations policies never cover', () => {
    expect(imdsDefaults('account-management')).toHaveLength(3);
  });

  it('stay an account setting when the policy leaves IMDS out, or targets an OU the account is not known to be in', () => {
    const imdsOff = configWith((input) => {
      input.guardrails = { ec2DeclarativePolicy: { instanceMetadataDefaults: false } };
    });
    expect(imdsDefaults('account-workload-prod', imdsOff)).toHaveLength(3);
    const otherOu = configWith((input) => {
      input.guardrails = { targets: ['ou-ab12-abcdefgh'] };
    });
    expect(imdsDefaults('account-workload-prod', otherOu)).toHaveLength(3);
    const sameOu = configWith((input) => {
      input.guardrails = { targets: ['ou-ab12-abcdefgh'] };
      input.accounts.members![0].organizationalUnit = 'ou-ab12-abcdefgh';
    });
    expect(imdsDefaults('account-workload-prod', sameOu)).toEqual([]);
  });
});

describe('centralized root access', () => {
  const features = (config = exampleConfig()) => Object.values(resourcesOf(synthStack('management', config), 'aws_iam_organizations_features'));

  it('enables root credentials management and root sessions by default', () => {
    expect(features()).toEqual([expect.objectContaining({ enabled_features: ['RootCredentialsManagement', 'RootSessions'] })]);
  });

  it('enables only what stays on, and nothing when both are off', () => {
    const sessionsOnly = configWith((input) => {
      input.guardrails = { rootAccess: { removeMemberRootCredentials: false } };
    });
    expect(features(sessionsOnly)).toEqual([expect.objectContaining({ enabled_features: ['RootSessions'] })]);
    const none = configWith((input) => {
      input.guardrails = { rootAccess: { removeMemberRootCredentials: false, rootSessions: false } };
    });
    expect(features(none)).toEqual([]);
  });
});
