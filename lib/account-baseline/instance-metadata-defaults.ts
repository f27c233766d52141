import { Ec2InstanceMetadataDefaults } from '@cdktf/provider-aws/lib/ec2-instance-metadata-defaults';
import { Construct } from 'constructs';

export interface InstanceMetadataDefaultsProps {
  readonly region: string;
  /** Network hops a metadata response may travel; 2 lets containers on an instance reach it. */
  readonly hopLimit: number;
}

/** Account-level instance metadata defaults in one region: new instances require IMDSv2 session tokens. */
export class InstanceMetadataDefaults extends Construct {
  readonly defaults: Ec2InstanceMetadataDefaults;

  constructor(scope: Construct, id: string, props: InstanceMetadataDefaultsProps) {
    super(scope, id);
    this.defaults = new Ec2InstanceMetadataDefaults(this, 'Defaults', {
      region: props.region,
      httpTokens: 'required',
      httpPutResponseHopLimit: props.hopLimit,
    });
  }
}
