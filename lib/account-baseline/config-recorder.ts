import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

export interface ConfigRecorderProps {
  readonly region: string;
  readonly recorderName: string;
  readonly deliveryChannelName: string;
  /** The role Config records with. */
  readonly roleArn: string;
  /** Record IAM users, groups, roles and policies; true in exactly one region, or each change is recorded in every region. */
  readonly recordGlobalResourceTypes: boolean;
  readonly recordingFrequency: 'CONTINUOUS' | 'DAILY';
  readonly bucketName: string;
  /** Key prefix in the bucket; Config appends `AWSLogs/<account>/Config/`. */
  readonly keyPrefix: string;
  /** KMS key (or alias ARN) the delivered objects are encrypted with; in the bucket's region. */
  readonly kmsKeyArn: string;
  /** Import the recorder that the account already has in this region (one per region is allowed). */
  readonly adoptRecorder?: boolean;
  /** Import the delivery channel that the account already has in this region (one per region is allowed). */
  readonly adoptDeliveryChannel?: boolean;
}

/** AWS Config in one region: recorder of every supported type, delivery to the central log bucket, recording on. */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { region } = props;
    this.recorder = new ConfigConfigurationRecorder(this, 'Recorder', {
      region,
      name: props.recorderName,
      roleArn: props.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes },
      recordingMode: { recordingFrequency: props.recordingFrequency },
    });
    // Config refuses a delivery channel before a recorder exists in the region.
    this.deliveryChannel = new ConfigDeliveryChannel(this, 'DeliveryChannel', {
      region,
      name: props.deliveryChannelName,
      s3BucketName: props.bucketName,
      s3KeyPrefix: props.keyPrefix,
      // Config accepts a key or alias ARN: the alias keeps this stack free of the log-archive stack's state.
      s3KmsKeyArn: props.kmsKeyArn,
      snapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
      dependsOn: [this.recorder],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, 'Status', {
      region,
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [this.deliveryChannel],
    });
    if (props.adoptRecorder) adoptExisting(this.recorder, props.recorderName, region);
    if (props.adoptDeliveryChannel) adoptExisting(this.deliveryChannel, props.deliveryChannelName, region);
  }
}
