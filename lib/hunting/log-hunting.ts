import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { Construct } from 'constructs';
import { AWS_REGIONS } from '../../config/regions';
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

/** Athena's limit on a saved query's text, in bytes. */
export const MAX_NAMED_QUERY_BYTES = 262_144;

/** Text Terraform writes as it is: "${" and "%{" would otherwise start an interpolation or a template directive. */
export const terraformLiteral = (text: string): string => text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

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
        // Every region, not only the enabled ones: the trail logs all of them (refused calls in denied regions included),
        // and IAM, STS and sign-in events land in us-east-1 whether or not it is enabled.
        'projection.region.type': 'enum',
        'projection.region.values': [...AWS_REGIONS].sort().join(','),
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
        // AWS's own CloudTrail table: the CloudTrail input format reads each record of a file's Records array as a row,
        // and the Hive JSON SerDe keeps the JSON text of object columns (requestParameters, ...) as written, so their
        // camel-case keys reach json_extract_scalar. (The OpenX SerDe would skip malformed records, but lowers the case
        // of every nested key, which breaks those paths.)
        inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
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
      const query = parameterizedHuntSql(table, rule);
      // CreateNamedQuery takes at most 262,144 bytes of query: a configuration that lists more than that is refused here.
      // https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html
      if (Buffer.byteLength(query) > MAX_NAMED_QUERY_BYTES) {
        throw new Error(
          `hunting: the saved query of rule ${rule.id} is ${Buffer.byteLength(query)} bytes; expected at most ${MAX_NAMED_QUERY_BYTES} (Athena's limit): shorten detector.monitoredBuckets[].keyPatterns or the detector's allow-lists (detector.authorizedPrincipals, enumerationPrincipals, authorizedCidrs, authorizedVpcEndpoints), or turn the rule off in detector.rules`,
        );
      }
      new AthenaNamedQuery(this, `Query-${rule.id}`, {
        name: names.resourceName(rule.id),
        description: terraformLiteral(`${rule.title} (parameters: the first day and the day after the last, 'yyyy/MM/dd')`.slice(0, 1024)),
        database: database.name,
        workgroup: this.workgroup.name,
        // The query holds the configuration's patterns, which may hold "${" or "%{": Terraform must not read them.
        query: terraformLiteral(query),
        region,
      });
    }

    // The readers attach this policy to query; the log objects and key they read through their existing grants.
    new IamPolicy(this, 'HuntingPolicy', {
      name: names.huntingWorkgroupName,
      description: 'Run the baseline hunts in the log-hunting workgroup',
      policy: policyJson(
        huntingStatements({ accountId, region, names, resultsBucketName, resultsKeyArn: resultsKey.key.arn, logArchiveAccountId: config.accounts.logArchive.id }),
      ),
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
 * What a hunter needs: the workgroup, the saved queries, the catalog, the results, and (an identity policy being needed
 * as well as the bucket's and key's grants when the log archive is another account) the log objects of the two tables.
 * https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 * https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
function huntingStatements(props: {
  accountId: string;
  region: string;
  names: BaselineNames;
  resultsBucketName: string;
  resultsKeyArn: string;
  logArchiveAccountId: string;
}): PolicyStatement[] {
  const { accountId, region, names } = props;
  const glue = (resource: string) => `arn:aws:glue:${region}:${accountId}:${resource}`;
  const logPrefixes = [`${LOG_PREFIXES.cloudTrail}/AWSLogs/*`, `${LOG_PREFIXES.flowLogs}/AWSLogs/*`];
  return [
    {
      Sid: 'RunQueriesInTheHuntingWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:BatchGetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetQueryResultsStream',
        'athena:GetWorkGroup',
        'athena:ListNamedQueries',
        'athena:GetNamedQuery',
        'athena:BatchGetNamedQuery',
        'athena:ListQueryExecutions',
      ],
      Resource: `arn:aws:athena:${region}:${accountId}:workgroup/${names.huntingWorkgroupName}`,
    },
    {
      // Listing actions the console needs; Athena supports no resource for them.
      Sid: 'FindTheWorkgroupAndCatalogInTheConsole',
      Effect: 'Allow',
      Action: ['athena:ListWorkGroups', 'athena:ListDataCatalogs', 'athena:ListDatabases', 'athena:GetDatabase', 'athena:ListTableMetadata', 'athena:GetTableMetadata', 'athena:ListEngineVersions'],
      Resource: '*',
    },
    {
      // Athena also reads the catalog and its default database on every query.
      Sid: 'ReadTheLogArchiveCatalog',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables'],
      Resource: [glue('catalog'), glue('database/default'), glue(`database/${names.huntingDatabaseName}`), glue(`table/${names.huntingDatabaseName}/*`)],
    },
    {
      Sid: 'WriteAndReadQueryResults',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      Resource: [`arn:aws:s3:::${props.resultsBucketName}`, `arn:aws:s3:::${props.resultsBucketName}/*`],
    },
    { Sid: 'EncryptAndReadQueryResults', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: props.resultsKeyArn },
    { Sid: 'FindTheLogBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: names.logBucketArn },
    {
      Sid: 'ListTheHuntedLogs',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: names.logBucketArn,
      Condition: { StringLike: { 's3:prefix': logPrefixes } },
    },
    { Sid: 'ReadTheHuntedLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: logPrefixes.map((prefix) => `${names.logBucketArn}/${prefix}`) },
    {
      // The log key's ARN is not derivable from the configuration; its account, S3 as the caller and the log bucket in
      // the encryption context scope the grant to it. The key policy grants the readers the same, and no more.
      Sid: 'DecryptTheHuntedLogsThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:aws:kms:${region}:${props.logArchiveAccountId}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
        ArnLike: { 'kms:EncryptionContext:aws:s3:arn': [names.logBucketArn, `${names.logBucketArn}/*`] },
      },
    },
  ];
}
