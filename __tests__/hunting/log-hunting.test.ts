import { Testing } from 'cdktf';
import type { BaselineConfig } from '../../config/schema';
import { CLOUDTRAIL_COLUMNS } from '../../lib/hunting/cloudtrail-columns';
import { huntRules } from '../../lib/hunting/hunt-queries';
import { LogHunting } from '../../lib/hunting/log-hunting';
import { BaselineNames } from '../../lib/naming';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';

/** The construct alone, for variants: cheaper than building every stack of the app. */
const synthHunting = (config: BaselineConfig): SynthesizedStack =>
  JSON.parse(
    Testing.synthScope((scope) => {
      new LogHunting(scope, 'LogHunting', { config, names: new BaselineNames(config), accountId: config.accounts.security.id });
    }),
  ) as SynthesizedStack;

/* The Athena catalog and workgroup over the log archive, in the security account by default. */

const config = exampleConfig();
const security = synthStack('security', config);
const all = (stack: SynthesizedStack, type: string) => Object.values(resourcesOf(stack, type)) as Record<string, any>[];
const table = (stack: SynthesizedStack, name: string) => all(stack, 'aws_glue_catalog_table').find((candidate) => candidate.name === name);

describe('the CloudTrail table', () => {
  const cloudtrail = table(security, 'cloudtrail')!;

  it("projects the organization trail's partitions: every account, every enabled region, every day", () => {
    expect(cloudtrail.parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.values': '111111111111,222222222222,333333333333,444444444444,555555555555',
      'projection.date.type': 'date',
      'projection.date.format': 'yyyy/MM/dd',
      // Escaped for Terraform: Athena fills the partitions in.
      'storage.location.template': 's3://acme-logs-222222222222-eu-west-1/cloudtrail/AWSLogs/o-a1b2c3d4e5/$${account}/CloudTrail/$${region}/$${date}',
    });
    expect(cloudtrail.partition_keys.map((key: { name: string }) => key.name)).toEqual(['account', 'region', 'date']);
    // Every region: the trail logs all of them, and IAM and STS events land in us-east-1 even when it is not enabled.
    expect(cloudtrail.parameters['projection.region.values'].split(',')).toEqual(expect.arrayContaining(['us-east-1', 'ap-southeast-2', 'sa-east-1']));
  });

  it("has the columns the SQL compiler reads, read by AWS's CloudTrail input format and the Hive JSON SerDe", () => {
    const columns = cloudtrail.storage_descriptor.columns.map((column: { name: string }) => column.name);
    expect(columns).toEqual(Object.keys(CLOUDTRAIL_COLUMNS).map((key) => key.toLowerCase()));
    expect(cloudtrail.storage_descriptor.columns.find((column: { name: string }) => column.name === 'useridentity').type).toMatch(
      /^struct<type:string,principalid:string,arn:string,.*sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct</,
    );
    // Not the OpenX SerDe: it lowers the case of nested keys, which json_extract_scalar paths would then miss.
    expect(cloudtrail.storage_descriptor.ser_de_info).toEqual({ serialization_library: 'org.apache.hive.hcatalog.data.JsonSerDe' });
    expect(cloudtrail.storage_descriptor.input_format).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
  });
});

describe('the flow log table', () => {
  it('reads the Parquet, hive-partitioned flow logs as the account baseline writes them', () => {
    const flows = table(security, 'vpc_flow_logs')!;
    expect(flows.parameters['storage.location.template']).toBe(
      's3://acme-logs-222222222222-eu-west-1/flow-logs/AWSLogs/aws-account-id=$${account}/aws-service=vpcflowlogs/aws-region=$${region}/year=$${year}/month=$${month}/day=$${day}/hour=$${hour}',
    );
    expect(flows.storage_descriptor.ser_de_info.serialization_library).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
  });

  it('is left out when the flow logs are plain text', () => {
    const plain = synthHunting(configWith((input) => (input.flowLogs = { fileFormat: 'plain-text' })));
    expect(table(plain, 'vpc_flow_logs')).toBeUndefined();
    expect(table(plain, 'cloudtrail')).toBeDefined();
  });
});

describe('the workgroup', () => {
  const [workgroup] = all(security, 'aws_athena_workgroup');

  it('enforces encrypted results in its own bucket and caps the bytes a query scans', () => {
    expect(workgroup.name).toBe('acme-log-hunting');
    expect(workgroup.force_destroy).toBe(false);
    expect(workgroup.configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      bytes_scanned_cutoff_per_query: 100 * 1024 ** 3,
      result_configuration: {
        output_location: 's3://acme-hunting-results-333333333333-eu-west-1/',
        expected_bucket_owner: '333333333333',
        encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.LogHunting_ResultsKey_/) },
      },
    });
  });

  it('expires results and keeps the results bucket hardened', () => {
    const [lifecycle] = all(security, 'aws_s3_bucket_lifecycle_configuration').filter((candidate) => String(candidate.bucket).includes('LogHunting_Results'));
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 30 }]);
    const bucket = all(security, 'aws_s3_bucket').find((candidate) => candidate.bucket === 'acme-hunting-results-333333333333-eu-west-1')!;
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('saves every rule as a query bounded by two day parameters', () => {
    const queries = all(security, 'aws_athena_named_query');
    expect(queries.map((query) => query.name).sort()).toEqual(huntRules(config).map((rule) => `acme-${rule.id}`).sort());
    for (const query of queries) expect(query.query).toContain('WHERE date BETWEEN ? AND ?');
    expect(queries.map((query) => query.name)).toEqual(
      expect.arrayContaining(['acme-sensitive-object-access', 'acme-instance-credentials-outside-aws', 'acme-bucket-enumeration']),
    );
  });

  it("refuses, naming the rule, allow-lists that make a saved query longer than Athena's 262,144 bytes", () => {
    const tuned = configWith((input) => {
      input.detector!.monitoredBuckets![0].keyPatterns = Array.from({ length: 600 }, (_, index) => `exports/${'x'.repeat(120)}/${index}/*.csv`);
    });
    expect(() => synthHunting(tuned)).toThrow(/^hunting: the saved query of rule sensitive-object-access is \d+ bytes; expected at most 262144 \(Athena's limit\)/);
  });

  it('keeps the configuration\'s "${" and "%{" in a saved query from Terraform', () => {
    const tuned = configWith((input) => {
      input.detector!.monitoredBuckets![0].keyPatterns = ['${var.x}/*', '*{y}'];
    });
    const [query] = all(synthHunting(tuned), 'aws_athena_named_query').filter((candidate) => candidate.name === 'acme-sensitive-object-access');
    expect(query.query).toContain("'$${var.x}/%'");
    expect(query.query).toContain("'%%{y}'");
    expect(query.query).not.toMatch(/(?<![$%])[$%]\{/);
  });

  it('gives the readers a policy for the workgroup, the catalog, the results and the hunted logs, and nothing broader', () => {
    const [policy] = all(security, 'aws_iam_policy').filter((candidate) => candidate.name === 'acme-log-hunting');
    const statements = JSON.parse(policy.policy).Statement as { Sid: string; Resource: string | string[]; Action: string | string[]; Condition?: unknown }[];
    for (const statement of statements) {
      expect([statement.Action].flat().some((action) => action.endsWith('*'))).toBe(false);
      // Only listing actions that support no resource apply to every resource.
      if ([statement.Resource].flat().includes('*')) expect(statement.Sid).toBe('FindTheWorkgroupAndCatalogInTheConsole');
    }
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.RunQueriesInTheHuntingWorkgroup.Resource).toBe('arn:aws:athena:eu-west-1:333333333333:workgroup/acme-log-hunting');
    expect(bySid.ReadTheHuntedLogs.Resource).toEqual([
      'arn:aws:s3:::acme-logs-222222222222-eu-west-1/cloudtrail/AWSLogs/*',
      'arn:aws:s3:::acme-logs-222222222222-eu-west-1/flow-logs/AWSLogs/*',
    ]);
    expect(bySid.DecryptTheHuntedLogsThroughS3).toMatchObject({
      Resource: 'arn:aws:kms:eu-west-1:222222222222:key/*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
  });
});

describe('where it lives', () => {
  it('is in the security account unless the log archive account is named, and nowhere when off', () => {
    expect(all(security, 'aws_athena_workgroup')).toHaveLength(1);
    const archive = synthStack('log-archive', configWith((input) => (input.hunting = { account: 'log-archive' })));
    expect(all(archive, 'aws_athena_workgroup')).toHaveLength(1);
    expect(all(archive, 'aws_s3_bucket').map((bucket) => bucket.bucket)).toContain('acme-hunting-results-222222222222-eu-west-1');
    const off = synthStack('log-archive', configWith((input) => (input.hunting = { account: 'log-archive', enabled: false })));
    expect(all(off, 'aws_glue_catalog_table')).toHaveLength(0);
  });
});
