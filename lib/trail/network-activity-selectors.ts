import type { CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import type { BaselineConfig } from '../../config/schema';
import { NETWORK_ACTIVITY_CATEGORY, VPCE_ACCESS_DENIED } from '../../functions/detector/rules/vpc-endpoint-access';

/**
 * The trail's advanced event selectors for CloudTrail network activity events: calls made through the VPC endpoints
 * of every account of the organization, for the configured services, only those a VPC endpoint policy denied unless
 * every call is asked for. Fields as CloudTrail documents them
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedEventSelector.html):
 * `eventCategory` = `NetworkActivity` and `eventSource` are required and take only Equals, one event source per
 * selector; `errorCode` accepts only `VpceAccessDenied`. hashicorp/aws accepts `errorCode` as a field name from 6.x
 * on (hashicorp/terraform-provider-aws#43091, internal/service/cloudtrail/consts.go); 5.100 does not, so `npm run
 * validate` drops that field selector (tools/proof/provider-mapping.ts).
 */
export function networkActivitySelectors(config: BaselineConfig): CloudtrailAdvancedEventSelector[] {
  const options = config.trail.networkActivityEvents;
  if (!options.enabled) return [];
  return [...options.eventSources].sort().map((eventSource) => ({
    name: `${options.allEvents ? 'Network activity' : 'VPC endpoint policy denials'} of ${eventSource}`,
    fieldSelector: [
      { field: 'eventCategory', equalTo: [NETWORK_ACTIVITY_CATEGORY] },
      { field: 'eventSource', equalTo: [eventSource] },
      ...(options.allEvents ? [] : [{ field: 'errorCode', equalTo: [VPCE_ACCESS_DENIED] }]),
    ],
  }));
}
