import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';

export interface FlowLogsProps {
  readonly region: string;
  /** Ids of the VPCs to cover, known at plan time (a data source), so that VPCs made outside Terraform are covered. */
  readonly vpcIds: string[];
  /** ARN of the bucket and prefix the logs go to; the service appends `AWSLogs/<account>/vpcflowlogs/<region>/`. */
  readonly destinationArn: string;
  readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT';
  readonly fileFormat: 'parquet' | 'plain-text';
  readonly hiveCompatiblePartitions: boolean;
  readonly perHourPartition: boolean;
  readonly maxAggregationIntervalSeconds: 60 | 600;
}

/** A flow log for every VPC of one region, delivered straight to the central log bucket. */
export class FlowLogs extends Construct {
  readonly flowLogs: FlowLog;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const vpcs = TerraformIterator.fromList(props.vpcIds);
    this.flowLogs = new FlowLog(this, 'FlowLog', {
      forEach: vpcs,
      region: props.region,
      vpcId: vpcs.value,
      trafficType: props.trafficType,
      logDestinationType: 's3',
      logDestination: props.destinationArn,
      maxAggregationInterval: props.maxAggregationIntervalSeconds,
      destinationOptions: {
        fileFormat: props.fileFormat,
        hiveCompatiblePartitions: props.hiveCompatiblePartitions,
        perHourPartition: props.perHourPartition,
      },
      tags: { Name: `flow-log-${vpcs.value}` },
    });
  }
}
