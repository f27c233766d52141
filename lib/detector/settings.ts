import type { BaselineConfig } from '../../config/schema';
import type { DetectorSettings } from '../../functions/detector/settings';
import { BaselineNames, organizationAccounts } from '../naming';
import { drillSettingsFrom } from './drill/drill-plan';
import { detectorProtectedRoles, responseAccountIds } from './protected-roles';

/** The detector's runtime settings from the baseline configuration; sorted where order is free, so output is stable. */
export function detectorSettingsFrom(config: BaselineConfig): DetectorSettings {
  const { detector } = config;
  const names = new BaselineNames(config);
  const sorted = (values: readonly string[]) => [...new Set(values)].sort();
  return {
    monitoredBuckets: [...detector.monitoredBuckets]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((bucket) => ({
        name: bucket.name,
        keyPatterns: [...bucket.keyPatterns],
        ...(bucket.accessPoints.length > 0 ? { accessPoints: sorted(bucket.accessPoints) } : {}),
      })),
    authorizedCidrs: sorted(detector.authorizedCidrs),
    authorizedVpcEndpoints: sorted(detector.authorizedVpcEndpoints),
    authorizedServices: sorted(detector.authorizedServices),
    authorizedPrincipals: sorted(detector.authorizedPrincipals),
    enumerationPrincipals: sorted(detector.enumerationPrincipals),
    rules: {
      sensitiveObjectAccess: detector.rules.sensitiveObjectAccess,
      instanceCredentialsOutsideAws: detector.rules.instanceCredentialsOutsideAws,
      bucketEnumeration: detector.rules.bucketEnumeration,
      vpcEndpointAccess: detector.rules.vpcEndpointAccess,
    },
    response: detector.response,
    responseRoleName: names.detectorResponseRoleName,
    organizationAccountIds: sorted(organizationAccounts(config).map((account) => account.id)),
    protectedRoles: detectorProtectedRoles(config, names),
    responseAccountIds: responseAccountIds(config),
    ...drillSettingsFrom(config),
  };
}
