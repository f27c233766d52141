import { DataAwsVpcs } from '@cdktf/provider-aws/lib/data-aws-vpcs';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { declarativePolicySetsImdsDefaults } from '../guardrails/ec2-declarative-policy';
import { type BaselineNames, LOG_PREFIXES, type OrganizationAccount } from '../naming';
import { AccessAnalyzer } from './access-analyzer';
import { ConfigRecorder } from './config-recorder';
import { DefaultSecurityGroupLockdown } from './default-security-group';
import { EbsEncryption, ebsKeyForRegion } from './ebs-encryption';
import { EcrScanOnPush } from './ecr-scanning';
import { FlowLogs } from './flow-logs';
import { InstanceMetadataDefaults } from './instance-metadata-defaults';

export interface RegionalBaselineProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  readonly account: OrganizationAccount;
  readonly region: string;
  /** The role the Config recorder uses (a reference to it, so that the recorder waits for it). */
  readonly configRoleArn: string;
  /** The ARN of the log key (looked up once per account, see LogKeyLookup). */
  readonly logKeyArn: string;
}

/** Everything the account baseline sets in one region: Config, EBS, IMDS, VPCs, Access Analyzer, ECR. */
export class RegionalBaseline extends Construct {
  readonly config: ConfigRecorder;

  constructor(scope: Construct, id: string, props: RegionalBaselineProps) {
    super(scope, id);
    const { config, names, account, region } = props;
    const home = region === config.regions.home;
    const adopt = account.adopt ?? {};

    this.config = new ConfigRecorder(this, 'Config', {
      region,
      recorderName: adopt.configRecorderName ?? names.configRecorderName,
      deliveryChannelName: adopt.deliveryChannelName ?? names.configDeliveryChannelName,
      roleArn: props.configRoleArn,
      recordGlobalResourceTypes: home,
      recordingFrequency: config.config.recordingFrequency,
      bucketName: names.logBucketName,
      keyPrefix: LOG_PREFIXES.config,
      kmsKeyArn: props.logKeyArn,
      adoptRecorder: adopt.configRecorderName !== undefined,
      adoptDeliveryChannel: adopt.deliveryChannelName !== undefined,
    });

    new EbsEncryption(this, 'EbsEncryption', {
      region,
      kmsKeyArn: ebsKeyForRegion(config.accountBaseline.ebsDefaultKmsKeyArn, region),
    });
    // Where the EC2 declarative policy sets the IMDS defaults, the account can no longer set them (and need not).
    if (!declarativePolicySetsImdsDefaults(config, account)) {
      new InstanceMetadataDefaults(this, 'InstanceMetadataDefaults', { region, hopLimit: config.accountBaseline.imdsHopLimit });
    }
    new AccessAnalyzer(this, 'AccessAnalyzer', {
      region,
      analyzerName: adopt.accessAnalyzerName ?? names.accountAnalyzerName,
      adopt: adopt.accessAnalyzerName !== undefined,
    });
    if (config.accountBaseline.ecrScanOnPush) new EcrScanOnPush(this, 'EcrScanOnPush', { region });

    // Read at plan time, so VPCs created outside this stack (before or after the first deploy) are covered. Only the
    // VPCs this account owns: DescribeVpcs also lists VPCs shared with it through AWS RAM, whose flow logs and default
    // security group belong to the owner, and a participant's CreateFlowLogs on them fails the apply.
    // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html (participants cannot create flow logs for a
    // shared VPC), https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html (the owner-id filter)
    const ownedByAccount = { name: 'owner-id', values: [account.id] };
    const vpcs = new DataAwsVpcs(this, 'Vpcs', { region, filter: [ownedByAccount] });
    const { flowLogs } = config;
    new FlowLogs(this, 'FlowLogs', {
      region,
      vpcIds: vpcs.ids,
      destinationArn: `${names.logBucketArn}/${LOG_PREFIXES.flowLogs}`,
      trafficType: flowLogs.trafficType,
      fileFormat: flowLogs.fileFormat,
      hiveCompatiblePartitions: flowLogs.hiveCompatiblePartitions,
      perHourPartition: flowLogs.perHourPartition,
      maxAggregationIntervalSeconds: flowLogs.maxAggregationIntervalSeconds,
    });

    const lockdown = config.accountBaseline.defaultSecurityGroups;
    if (lockdown !== 'untouched') {
      // An account may have no default VPC: the filter then yields an empty list and nothing is planned.
      const lockedVpcs =
        lockdown === 'all-vpcs'
          ? vpcs
          : new DataAwsVpcs(this, 'DefaultVpc', { region, filter: [ownedByAccount, { name: 'is-default', values: ['true'] }] });
      new DefaultSecurityGroupLockdown(this, 'DefaultSecurityGroup', { region, vpcIds: lockedVpcs.ids });
    }
  }
}
