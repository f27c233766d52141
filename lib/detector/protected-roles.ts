import type { BaselineConfig } from '../../config/schema';
import { type BaselineNames, organizationAccounts } from '../naming';
import type { DetectorResourceNames } from '../guardrails/protect-detector';
import { DrillNames, drillDeployed } from './drill/drill-plan';
import { detectorActs } from './monitored-buckets';

/**
 * The roles enforce mode never revokes, as role names (any account) or role ARNs: the deployment role (revoking it
 * would stop the baseline from being repaired), under the organization's name and, by ARN, under the name an account
 * gives its own (`deploymentRoleName`), the break-glass and log reader roles (the people who investigate), and the
 * detector's own roles (its function, the response role and the forwarder: revoking them blinds the detector).
 * Sorted, so the settings and the response role's policy are stable.
 */
export function detectorProtectedRoles(config: BaselineConfig, names: BaselineNames): string[] {
  const ownDeploymentRoles = organizationAccounts(config).flatMap((account) =>
    account.deploymentRoleName === undefined ? [] : [`arn:${names.partition}:iam::${account.id}:role/${account.deploymentRoleName}`],
  );
  return [
    ...new Set([
      config.deployment.roleName,
      ...ownDeploymentRoles,
      names.detectorFunctionName,
      names.detectorResponseRoleName,
      names.detectorForwarderRoleName,
      ...(config.logArchive.breakGlassRoleArn ? [config.logArchive.breakGlassRoleArn] : []),
      ...config.logArchive.readerRoleArns,
    ]),
  ].sort();
}

/**
 * The accounts that get a response role in enforce mode: every account but the management and log-archive accounts.
 * A role there that could rewrite any role's policies would be a way to escalate into the organization's root of
 * trust (management) or to the logs' guardians (log archive); findings there are reported, never acted on.
 */
export function responseAccountIds(config: BaselineConfig): string[] {
  if (!detectorActs(config)) return [];
  return organizationAccounts(config)
    .filter((account) => account.role !== 'management' && account.role !== 'log-archive')
    .map((account) => account.id)
    .sort();
}

/** The detector's resources the protect-baseline guardrail keeps from being switched off or rewritten. */
export function detectorResourceNames(config: BaselineConfig, names: BaselineNames): DetectorResourceNames {
  const drill = new DrillNames(config.prefix);
  return {
    securityAccountId: config.accounts.security.id,
    forwardingRuleName: names.detectorForwardingRuleName,
    eventBusName: names.detectorEventBusName,
    detectorRuleName: names.detectorRuleName,
    roleNames: [names.detectorForwarderRoleName, names.detectorResponseRoleName, names.detectorFunctionName],
    functionName: names.detectorFunctionName,
    topicName: names.detectorTopicName,
    queueNames: [
      names.detectorForwardingDeadLetterQueueName,
      `${names.detectorFunctionName}-failed-invocations`,
      `${names.detectorRuleName}-undelivered`,
    ],
    // The table exists when the mass-download rule is on (s3-access-detection.ts).
    ...(config.detector.rules.massDownload
      ? { stateTable: { tableName: names.detectorStateTableName, keyAlias: names.detectorStateTableName, writerRoleArn: names.detectorFunctionRoleArn } }
      : {}),
    ...(drillDeployed(config)
      ? {
          drill: {
            roleNames: [drill.roleName, drill.runnerName, drill.schedulerRoleName],
            functionName: drill.runnerName,
            scheduleName: drill.scheduleName,
            alarmPrefix: drill.heartbeatAlarmPrefix,
          },
        }
      : {}),
  };
}
