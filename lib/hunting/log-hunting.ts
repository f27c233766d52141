import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';
import { EncryptionKey } from '../common/encryption-key';
import { HardenedBucket } from '../common/hardened-bucket';
import { grantToRoles, type PolicyStatement, policyJson } from '../common/policy-document';
import { type BaselineNames, LOG_PREFIXES, organizationAccounts } from '../naming';
import { CLOUDTRAIL_COLUMNS, columnName, hiveType } from './cloudtrail-columns';
import { huntRules, parameterizedHuntSql } from './hunt-queries';

export interface LogHuntingProps {
  readonly config: BaselineConfig;
  readonly names: BaselineNames;
  /** The account that hunts: the catalog, the workgroup and the results live there. */
  readonly accountId: string;
}

export const CLOUDTRAIL_TABLE = 'cloudtrail';

/** A projected partition in a location template, escaped so that Terraform leaves it for Athena. */
const projected = (partition: string) => `$\${${partition}}`;

/**
 * Athena over the log archive: a Glue table of the organization trail's objects in the central bucket (partition
 * projection by account, region and day: no crawler, no partitions to load), a workgroup that enforces its settings
 * (results encrypted with a key of their own in a bucket of their own, a cap on the bytes one query may scan), the
 * baseline's rules saved as parameterized queries, and a policy that lets the log readers use them. Reading the logs
 * themselves goes through the log bucket's and log key's existing grants to `logArchive.readerRoleArns`: Athena reads
 * S3 with the caller's own credentials.
 */
export class LogHunting extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, props: LogHuntingProps) {
    super(scope, id);
    const { config, names, accountId } = props;
    const region = config.regions.home;
    const readers = config.logArchive.readerRoleArns;
    const settings = config.hunting;

    const database = new GlueCatalogDatabase(this, 'Database', {
      name: names.huntingDatabaseName,
      description: 'The log archive of the organization, for Athena',
      region,
    });

    // The organization trail writes <bucket>/<prefix>/AWSLogs/<organization id>/<account>/CloudTrail/<region>/<yyyy/MM/dd>/.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
    const trailRoot = `s3://${names.logBucketName}/${LOG_PREFIXES.cloudTrail}/AWSLogs/${config.organization.id}`;
    const accounts = organizationAccounts(config)
      .map((account) => account.id)
      .sort();
    this.table = new GlueCatalogTable(this, 'CloudTrail', {
      name: CLOUDTRAIL_TABLE,
      databaseName: database.name,
      description: 'The organization trail, as AWS defines the CloudTrail table, with projected partitions',
      tableType: 'EXTERNAL_TABLE',
      region,
      // Partition projection: Athena computes the partitions from these settings and the key layout, so new days,
      // accounts of the configuration and regions need nothing loaded.
      // https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'cloudtrail',
        'projection.enabled': 'true',
        'projection.account.type': 'enum',
        'projection.account.values': accounts.join(','),
        'projection.region.type': 'enum',
        'projection.region.values': [...config.regions.enabled].sort().join(','),
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy/MM/dd',
        'projection.date.range': '2013/11/01,NOW',
        'projection.date.interval': '1',
        'projection.date.interval.unit': 'DAYS',
        // "$${" is Terraform's escape for a literal "${": Athena, not Terraform, fills these in.
        'storage.location.template': `${trailRoot}/${projected('account')}/CloudTrail/${projected('region')}/${projected('date')}`,
      },
      partitionKeys: [
        { name: 'account', type: 'string' },
        { name: 'region', type: 'string' },
        { name: 'date', type: 'string' },
      ],
      storageDescriptor: {
        location: `${trailRoot}/`,
        // CloudTrail's input format reads each record of a log file's Records array as a row.
        inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        // The OpenX JSON SerDe matches keys without case and, with ignore.malformed.json, reads a malformed record as a
        // row of nulls instead of failing the query. https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html
        serDeInfo: {
          serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
        },
        columns: Object.entries(CLOUDTRAIL_COLUMNS).map(([key, type]) => ({ name: columnName(key), type: hiveType(type) })),
      },
    });

    if (config.flowLogs.fileFormat === 'parquet' && config.flowLogs.hiveCompatiblePartitions) {
      new FlowLogsTable(this, 'FlowLogs', { config, names, databaseName: database.name, accounts, region });
    }

    const resultsKey = new EncryptionKey(this, 'ResultsKey', {
      description: 'Encrypts the results of queries over the log archive',
      alias: `${names.huntingWorkgroupName}-results`,
      accountId,
      region,
      statements: readers.length ? [readersUseKey(readers)] : [],
    });
    const resultsBucketName = names.huntingResultsBucketName(accountId);
    const results = new HardenedBucket(this, 'Results', {
      bucketName: resultsBucketName,
      region,
      kmsKeyArn: resultsKey.key.arn,
      policyStatements: readers.length ? [readersUseResults(readers, `arn:aws:s3:::${resultsBucketName}`)] : [],
    });
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'ResultsExpiry', {
      bucket: results.bucket.id,
      region,
      rule: [
        {
          id: 'expire-query-results',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: settings.resultsExpireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    results.policyAfter(lifecycle);

    // Enforced settings: a caller cannot send results elsewhere, unencrypted, or scan without the cap.
    // https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
    this.workgroup = new AthenaWorkgroup(this, 'Workgroup', {
      name: names.huntingWorkgroupName,
      description: "Hunts over the organization's log archive",
      state: 'ENABLED',
      forceDestroy: false,
      region,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: settings.bytesScannedCutoffGb * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${resultsBucketName}/`,
          expectedBucketOwner: accountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: resultsKey.key.arn },
        },
      },
    });

    const table = `"${names.huntingDatabaseName}"."${CLOUDTRAIL_TABLE}"`;
    for (const rule of huntRules(config)) {
      new AthenaNamedQuery(this, `Query-${rule.id}`, {
        name: names.resourceName(rule.id),
        description: `${rule.title} (parameters: first and last day, 'yyyy/MM/dd')`.slice(0, 1024),
        database: database.name,
        workgroup: this.workgroup.name,
        query: parameterizedHuntSql(table, rule),
        region,
      });
    }

    // The readers attach this policy to query; the log objects and key they read through their existing grants.
    new IamPolicy(this, 'HuntingPolicy', {
      name: names.huntingWorkgroupName,
      description: 'Run the baseline hunts in the log-hunting workgroup',
      policy: policyJson(huntingStatements({ accountId, region, names, resultsBucketName, resultsKeyArn: resultsKey.key.arn })),
    });
  }
}

/*
 * VPC flow logs as the account baseline writes them: Parquet, the default record format, Hive-compatible keys
 * `<prefix>/AWSLogs/aws-account-id=<id>/aws-service=vpcflowlogs/aws-region=<region>/year=…/month=…/day=…[/hour=…]/`.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 * https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-parquet.html
 */
const FLOW_LOG_COLUMNS: readonly [string, string][] = [
  ['version', 'int'],
  ['account_id', 'string'],
  ['interface_id', 'string'],
  ['srcaddr', 'string'],
  ['dstaddr', 'string'],
  ['srcport', 'int'],
  ['dstport', 'int'],
  ['protocol', 'bigint'],
  ['packets', 'bigint'],
  ['bytes', 'bigint'],
  ['start', 'bigint'],
  ['end', 'bigint'],
  ['action', 'string'],
  ['log_status', 'string'],
];

class FlowLogsTable extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { config: BaselineConfig; names: BaselineNames; databaseName: string; accounts: readonly string[]; region: string },
  ) {
    super(scope, id);
    const { config, names } = props;
    const root = `s3://${names.logBucketName}/${LOG_PREFIXES.flowLogs}/AWSLogs`;
    const hourly = config.flowLogs.perHourPartition;
    const timeParts = ['year', 'month', 'day', ...(hourly ? ['hour'] : [])];
    const twoDigits = (part: string) => ({ [`projection.${part}.type`]: 'integer', [`projection.${part}.digits`]: '2' });
    new GlueCatalogTable(this, 'Table', {
      name: 'vpc_flow_logs',
      databaseName: props.databaseName,
      description: 'VPC flow logs of every account, Parquet, with projected partitions',
      tableType: 'EXTERNAL_TABLE',
      region: props.region,
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        'projection.enabled': 'true',
        'projection.account.type': 'enum',
        'projection.account.values': props.accounts.join(','),
        'projection.region.type': 'enum',
        'projection.region.values': [...config.regions.enabled].sort().join(','),
        'projection.year.type': 'integer',
        'projection.year.range': '2020,2100',
        ...twoDigits('month'),
        'projection.month.range': '1,12',
        ...twoDigits('day'),
        'projection.day.range': '1,31',
        ...(hourly ? { ...twoDigits('hour'), 'projection.hour.range': '0,23' } : {}),
        'storage.location.template': `${root}/aws-account-id=${projected('account')}/aws-service=vpcflowlogs/aws-region=${projected('region')}/${timeParts
          .map((part) => `${part}=${projected(part)}`)
          .join('/')}`,
      },
      partitionKeys: [
        { name: 'account', type: 'string' },
        { name: 'region', type: 'string' },
        ...timeParts.map((part) => ({ name: part, type: part === 'year' ? 'int' : 'string' })),
      ],
      storageDescriptor: {
        location: `${root}/`,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: FLOW_LOG_COLUMNS.map(([name, type]) => ({ name, type })),
      },
    });
  }
}

function readersUseKey(readers: readonly string[]): PolicyStatement {
  const grant = grantToRoles(readers);
  return {
    Sid: 'ReadersEncryptAndReadQueryResults',
    Effect: 'Allow',
    Principal: grant.Principal,
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: grant.Condition,
  };
}

function readersUseResults(readers: readonly string[], bucketArn: string): PolicyStatement {
  const grant = grantToRoles(readers);
  return {
    Sid: 'ReadersWriteAndReadQueryResults',
    Effect: 'Allow',
    Principal: grant.Principal,
    Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: grant.Condition,
  };
}

/**
 * What a hunter needs beyond the log grants: the workgroup, the saved queries, the catalog's database and tables, and
 * the results. https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 */
function huntingStatements(props: {
  accountId: string;
  region: string;
  names: BaselineNames;
  resultsBucketName: string;
  resultsKeyArn: string;
}): PolicyStatement[] {
  const { accountId, region, names } = props;
  const glue = (resource: string) => `arn:aws:glue:${region}:${accountId}:${resource}`;
  return [
    {
      Sid: 'RunQueriesInTheHuntingWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetWorkGroup',
        'athena:ListNamedQueries',
        'athena:GetNamedQuery',
        'athena:BatchGetNamedQuery',
        'athena:ListQueryExecutions',
      ],
      Resource: `arn:aws:athena:${region}:${accountId}:workgroup/${names.huntingWorkgroupName}`,
    },
    {
      Sid: 'ReadTheLogArchiveCatalog',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      Resource: [glue('catalog'), glue(`database/${names.huntingDatabaseName}`), glue(`table/${names.huntingDatabaseName}/*`)],
    },
    {
      Sid: 'WriteAndReadQueryResults',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      Resource: [`arn:aws:s3:::${props.resultsBucketName}`, `arn:aws:s3:::${props.resultsBucketName}/*`],
    },
    { Sid: 'EncryptAndReadQueryResults', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: props.resultsKeyArn },
  ];
}
