import { BaselineNames, organizationAccounts } from '../lib/naming';
import type { ConfigProblem } from './problems';
import type { BaselineConfig } from './schema';

/*
 * Checks of the organization controls that relate them to the rest of a valid configuration: the accounts they name
 * exist, and no monitored bucket is one of the log archive's own buckets.
 */

/** The problems of a configuration that parsed; none means the organization controls can be built from it. */
export function organizationControlsProblems(config: BaselineConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const accounts = organizationAccounts(config).map((account) => account.name);
  const expectedAccount = `expected the name of an account of the configuration (${accounts.join(', ')})`;

  config.guardrails.ec2DeclarativePolicy.vpcBlockPublicAccess.exclusions.forEach((exclusion, index) => {
    if (!accounts.includes(exclusion.account)) {
      problems.push({ path: ['guardrails', 'ec2DeclarativePolicy', 'vpcBlockPublicAccess', 'exclusions', index, 'account'], value: exclusion.account, expected: expectedAccount });
    }
  });
  config.securityServices.guardDuty.s3MalwareProtection.buckets.forEach((bucket, index) => {
    if (!accounts.includes(bucket.account)) {
      problems.push({ path: ['securityServices', 'guardDuty', 's3MalwareProtection', 'buckets', index, 'account'], value: bucket.account, expected: expectedAccount });
    }
  });

  // Data events on a bucket the trail writes to (or that logs the writes of that bucket) log their own delivery:
  // every delivered file is a new event, in a loop that is billed per event.
  const names = new BaselineNames(config);
  const logArchiveBuckets = [names.logBucketName, names.accessLogBucketName];
  config.detector.monitoredBuckets.forEach((bucket, index) => {
    if (logArchiveBuckets.includes(bucket.name)) {
      problems.push({
        path: ['detector', 'monitoredBuckets', index, 'name'],
        value: bucket.name,
        expected: 'expected a bucket that is not one of the log archive\'s own buckets: the trail would log data events of its own log delivery, in a loop',
      });
    }
  });
  // The VPC endpoint rule reads only network activity events: with the trail not logging them it would watch nothing.
  if (config.detector.rules.vpcEndpointAccess && !config.trail.networkActivityEvents.enabled) {
    problems.push({
      path: ['detector', 'rules', 'vpcEndpointAccess'],
      value: true,
      expected: 'expected false when trail.networkActivityEvents.enabled is false: the rule reads only the network activity events the trail logs',
    });
  }
  return problems;
}
