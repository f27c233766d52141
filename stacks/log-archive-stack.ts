import { Annotations, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { LogHunting } from '../lib/hunting/log-hunting';
import { AccessLogBucket } from '../lib/log-archive/access-log-bucket';
import { LogArchiveBucket } from '../lib/log-archive/log-bucket';
import { LogArchiveKey } from '../lib/log-archive/log-archive-key';
import { organizationAccounts } from '../lib/naming';
import { BaselineStack, type BaselineStackProps } from './baseline-stack';

/** The log archive account: the central, encrypted, tamper-resistant home of every log of the organization. */
export class LogArchiveStack extends BaselineStack {
  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, props);
    const { config, names } = this;

    if (config.logArchive.objectLock) {
      // Config rejects a delivery bucket with Object Lock; the account stacks still point Config at this bucket.
      Annotations.of(this).addWarning(
        'logArchive.objectLock is set: AWS Config cannot deliver to a bucket with Object Lock, so the Config delivery ' +
          'channels of every account stack will fail until Config delivers elsewhere. CloudTrail and flow logs are unaffected.',
      );
    }
    const key = new LogArchiveKey(this, 'LogKey', { config, names });
    const accessLogs = new AccessLogBucket(this, 'AccessLogBucket', { config, names });
    new LogArchiveBucket(this, 'LogBucket', { config, names, keyArn: key.keyArn, accessLogs });
    if (config.hunting.enabled && config.hunting.account === 'log-archive') {
      new LogHunting(this, 'LogHunting', { config, names, accountId: this.account.id });
    }

    // The same values as lib/naming.ts gives every other stack, for people and pipelines reading this one.
    const accountIds = organizationAccounts(config).map((account) => account.id);
    const outputs: Record<string, unknown> = {
      log_bucket_name: names.logBucketName,
      log_bucket_arn: names.logBucketArn,
      log_key_arn: key.keyArn,
      log_key_alias_arn: names.logKeyAliasArn,
      access_log_bucket_name: names.accessLogBucketName,
      trail_object_prefix: names.trailObjectPrefix,
      config_object_prefixes: Object.fromEntries(accountIds.map((accountId) => [accountId, names.configObjectPrefix(accountId)])),
      flow_log_object_prefixes: Object.fromEntries(accountIds.map((accountId) => [accountId, names.flowLogObjectPrefix(accountId)])),
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
