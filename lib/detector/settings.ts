import type { BaselineConfig } from '../../config/schema';
import type { MassDownloadSettings } from '../../functions/detector/mass-download/settings';
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
    ...(detector.rules.massDownload ? { massDownload: massDownloadSettingsFrom(config) } : {}),
  };
}

/** The mass-download rule's settings: minutes to seconds, buckets and exemptions in a stable order. */
export function massDownloadSettingsFrom(config: BaselineConfig): MassDownloadSettings {
  const { massDownload } = config.detector;
  const sorted = (values: readonly string[] | undefined) => (values === undefined ? undefined : [...new Set(values)].sort());
  return {
    windowSeconds: massDownload.windowMinutes * 60,
    readThreshold: massDownload.readThreshold,
    sharePercent: massDownload.sharePercent,
    minimumReadsForShare: massDownload.minimumReadsForShare,
    buckets: Object.keys(massDownload.buckets)
      .sort()
      .map((name) => ({ name, ...massDownload.buckets[name] })),
    // In the configuration's order: each exemption is read on its own.
    exemptions: massDownload.exemptions.map((exemption) => ({
      ...(exemption.principals ? { principals: sorted(exemption.principals) } : {}),
      ...(exemption.cidrs ? { cidrs: sorted(exemption.cidrs) } : {}),
      ...(exemption.vpcEndpoints ? { vpcEndpoints: sorted(exemption.vpcEndpoints) } : {}),
    })),
  };
}
