import { CLOUDTRAIL_COLUMNS } from '../../lib/hunting/cloudtrail-columns';
import { huntRules } from '../../lib/hunting/hunt-queries';
import { configWith, exampleConfig, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';

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
      'projection.region.values': 'eu-central-1,eu-west-1,us-east-1',
      'projection.date.type': 'date',
      'projection.date.format': 'yyyy/MM/dd',
      // Escaped for Terraform: Athena fills the partitions in.
      'storage.location.template': 's3://acme-logs-222222222222-eu-west-1/cloudtrail/AWSLogs/o-a1b2c3d4e5/$${account}/CloudTrail/$${region}/$${date}',
    });
    expect(cloudtrail.partition_keys.map((key: { name: string }) => key.name)).toEqual(['account', 'region', 'date']);
  });

  it('has the columns the SQL compiler reads, and skips malformed records', () => {
    const columns = cloudtrail.storage_descriptor.columns.map((column: { name: string }) => column.name);
    expect(columns).toEqual(Object.keys(CLOUDTRAIL_COLUMNS).map((key) => key.toLowerCase()));
    expect(cloudtrail.storage_descriptor.columns.find((column: { name: string }) => column.name === 'useridentity').type).toMatch(
      /^struct<type:string,principalid:string,arn:string,.*sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct</,
    );
    expect(cloudtrail.storage_descriptor.ser_de_info).toEqual({
      serialization_library: 'org.openx.data.jsonserde.JsonSerDe',
      parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
    });
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
    const plain = synthStack('security', configWith((input) => (input.flowLogs = { fileFormat: 'plain-text' })));
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
  });

  it('gives the readers a policy for the workgroup, the catalog and the results, and nothing broader', () => {
    const [policy] = all(security, 'aws_iam_policy').filter((candidate) => candidate.name === 'acme-log-hunting');
    const statements = JSON.parse(policy.policy).Statement as { Resource: string | string[]; Action: string | string[] }[];
    for (const statement of statements) {
      expect([statement.Resource].flat()).not.toContain('*');
      expect([statement.Action].flat().some((action) => action.endsWith(':*'))).toBe(false);
    }
    expect(statements[0].Resource).toBe('arn:aws:athena:eu-west-1:333333333333:workgroup/acme-log-hunting');
  });
});

describe('where it lives', () => {
  it('can live in the log archive account instead, or nowhere', () => {
    const inArchive = configWith((input) => (input.hunting = { account: 'log-archive' }));
    expect(all(synthStack('log-archive', inArchive), 'aws_athena_workgroup')).toHaveLength(1);
    expect(all(synthStack('security', inArchive), 'aws_athena_workgroup')).toHaveLength(0);
    const off = synthStack('security', configWith((input) => (input.hunting = { enabled: false })));
    expect(all(off, 'aws_glue_catalog_table')).toHaveLength(0);
  });
});
