import { Cloudtrail, type CloudtrailAdvancedEventSelector, type CloudtrailConfig } from '@cdktf/provider-aws/lib/cloudtrail';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { EncryptedLogGroup } from '../common/encrypted-log-group';
import { LogKeyLookup } from '../log-archive/log-key-lookup';
import { type BaselineNames, LOG_PREFIXES } from '../naming';
import { acknowledgeRule } from '../rules/acknowledgement';
import { MINIMUM_LOG_RETENTION_DAYS } from '../rules/logs/LogGroupRetention';
import { TrailCloudWatchLogsRole } from './cloudwatch-logs-role';
import { networkActivitySelectors } from './network-activity-selectors';

export interface OrganizationTrailProps {
  /** Trail mode, data event options, retention and monitored buckets come from here. */
  readonly config: BaselineConfig;
  /** Trail, log group, role, bucket and key names. */
  readonly names: BaselineNames;
}

/**
 * The advanced event selectors of the trail: management events unless another trail logs them, S3 object reads and
 * writes of the monitored buckets only (data events are billed per event), Lambda invocations when asked, and the
 * network activity events of VPC endpoints (denials by default).
 */
export function trailEventSelectors(config: BaselineConfig): CloudtrailAdvancedEventSelector[] {
  const selectors: CloudtrailAdvancedEventSelector[] = [];
  if (config.trail.mode === 'full') {
    selectors.push({ name: 'All management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] });
  }
  const buckets = [...new Set(config.detector.monitoredBuckets.map((bucket) => bucket.name))].sort();
  if (buckets.length > 0) {
    selectors.push({
      name: 'S3 object reads and writes in monitored buckets',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        // The trailing slash keeps "records" from also selecting "records-archive".
        { field: 'resources.ARN', startsWith: buckets.map((name) => `arn:aws:s3:::${name}/`) },
      ],
    });
  }
  if (config.trail.lambdaDataEvents) {
    selectors.push({
      name: 'Lambda invocations',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::Lambda::Function'] },
      ],
    });
  }
  // Calls through VPC endpoints, for the services of the data perimeter by default (./network-activity-selectors.ts).
  selectors.push(...networkActivitySelectors(config));
  if (selectors.length === 0) {
    // Also reported, with its path, when the configuration is loaded.
    throw new Error('trail.mode "data-events-only" needs monitored buckets or trail.lambdaDataEvents: the trail would log nothing');
  }
  return selectors;
}

/**
 * The organization trail: every account, every region, global service events, validated log files encrypted with
 * the log-archive key into the log bucket and, unless management events come from another trail, into a
 * KMS-encrypted CloudWatch Logs group in the home region for the CIS metric filters.
 */
export class OrganizationTrail extends Construct {
  readonly trail: Cloudtrail;
  /** The group the CIS metric filters watch; absent in data-events-only mode, where it would hold no management events. */
  readonly logGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const { config, names } = props;
    const home = config.regions.home;
    const managementAccountId = config.accounts.management.id;

    let delivery: Pick<CloudtrailConfig, 'cloudWatchLogsGroupArn' | 'cloudWatchLogsRoleArn' | 'dependsOn'> = {};
    if (config.trail.mode === 'full') {
      const group = new EncryptedLogGroup(this, 'LogGroup', {
        name: names.trailLogGroupName,
        retentionInDays: config.trail.cloudWatchLogsRetentionDays,
        accountId: managementAccountId,
        region: home,
        keyAlias: names.trailLogGroupKeyAlias,
      });
      const retention = config.trail.cloudWatchLogsRetentionDays;
      if (retention !== 0 && retention < MINIMUM_LOG_RETENTION_DAYS) {
        // A shorter retention is a loosening the configuration states; the rule reports it instead of failing.
        acknowledgeRule(group, {
          ruleId: 'Logs.Retention',
          reason: `trail.cloudWatchLogsRetentionDays is ${retention} in the configuration; the logs stay in the log archive bucket`,
        });
      }
      const role = new TrailCloudWatchLogsRole(this, 'CloudWatchLogsRole', {
        roleName: names.trailLogsRoleName,
        logGroupArn: names.trailLogGroupArn,
      });
      this.logGroup = group.logGroup;
      delivery = {
        // CloudTrail wants the log-stream wildcard form of the group ARN.
        cloudWatchLogsGroupArn: `${group.logGroup.arn}:*`,
        cloudWatchLogsRoleArn: role.role.arn,
        // CloudTrail checks at creation that the role can already write to the group.
        dependsOn: [role.policy],
      };
    } else if (!config.monitoring.logGroupName) {
      Annotations.of(this).addWarning(
        'trail.mode is "data-events-only" and monitoring.logGroupName is not set: no CIS metric filters and alarms (nor the management-account workload alarm) ' +
          'are created; name the log group of the trail that logs management events to have them',
      );
    }

    this.trail = new Cloudtrail(this, 'Trail', {
      name: names.trailName,
      region: home,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogging: true,
      enableLogFileValidation: true,
      s3BucketName: names.logBucketName,
      s3KeyPrefix: LOG_PREFIXES.cloudTrail,
      // The key ARN, as CloudTrail returns it: the alias ARN would plan a change forever (see LogKeyLookup).
      kmsKeyId: new LogKeyLookup(this, 'LogKey', { names, region: home }).keyArn,
      advancedEventSelector: trailEventSelectors(config),
      insightSelector: config.trail.insights
        ? [{ insightType: 'ApiCallRateInsight' }, { insightType: 'ApiErrorRateInsight' }]
        : undefined,
      ...delivery,
    });
  }
}
