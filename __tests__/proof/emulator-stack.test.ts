import { EMULATOR_GAPS, withoutEmulatorGaps } from '../../tools/proof/emulator-gaps';
import { pointAtEmulator } from '../../tools/proof/emulator-provider';
import { applyEmulatorWorkarounds, tagsOfImportedDetectors } from '../../tools/proof/emulator-workarounds';
import { deployOrder } from '../../tools/proof/deploy-order';
import { stillWaitingFor } from '../../tools/proof/apply-output';

describe('a rehearsal stack without what the emulator cannot hold', () => {
  const gaps = [{ type: 'aws_accessanalyzer_analyzer', reason: 'no such API' }];

  test('removes the gap type and, transitively, every block and output that refers to it', () => {
    const stack = {
      resource: {
        aws_accessanalyzer_analyzer: { a: { analyzer_name: 'x' }, b: { for_each: '${toset(["eu-west-1", "us-east-1"])}' } },
        aws_sns_topic: { t: { name: '${aws_accessanalyzer_analyzer.a.arn}' }, kept: { name: 'kept' } },
        aws_sns_topic_policy: { p: { arn: '${aws_sns_topic.t.arn}' } },
        aws_sqs_queue: { q: { name: 'q', depends_on: ['aws_accessanalyzer_analyzer.b'] } },
      },
      output: { analyzer: { value: '${aws_accessanalyzer_analyzer.a.id}' }, topic: { value: '${aws_sns_topic.kept.arn}' } },
    };

    const { stack: result, skipped } = withoutEmulatorGaps(stack, gaps);

    expect(result.resource).toEqual({ aws_sns_topic: { kept: { name: 'kept' } } });
    expect(result.output).toEqual({ topic: { value: '${aws_sns_topic.kept.arn}' } });
    expect([...skipped].sort((a, b) => (a.address < b.address ? -1 : 1))).toEqual([
      { address: 'aws_accessanalyzer_analyzer.a', reason: 'no such API', instances: 1 },
      { address: 'aws_accessanalyzer_analyzer.b', reason: 'no such API', instances: 2 },
      expect.objectContaining({ address: 'aws_sns_topic.t', reason: 'refers to aws_accessanalyzer_analyzer.a (no such API)' }),
      expect.objectContaining({ address: 'aws_sns_topic_policy.p', reason: 'refers to aws_sns_topic.t (refers to aws_accessanalyzer_analyzer.a (no such API))' }),
      expect.objectContaining({ address: 'aws_sqs_queue.q', reason: 'refers to aws_accessanalyzer_analyzer.b (no such API)' }),
    ]);
  });

  test('does not mistake a longer name for a reference to a removed block', () => {
    const stack = {
      resource: {
        aws_accessanalyzer_analyzer: { a: {} },
        aws_sns_topic: { t: { name: '${aws_accessanalyzer_analyzer.a_other.arn}' } },
      },
    };

    expect(withoutEmulatorGaps(stack, gaps).stack.resource).toEqual({ aws_sns_topic: { t: { name: '${aws_accessanalyzer_analyzer.a_other.arn}' } } });
  });
});

describe("the emulator's gaps, as measured against moto 5.2.5", () => {
  test('leave out a budget with a notification (moto cannot read its subscribers back) but keep one without', () => {
    const stack = {
      resource: {
        aws_budgets_budget: {
          notified: { budget_type: 'COST', notification: [{ comparison_operator: 'GREATER_THAN', subscriber_sns_topic_arns: ['arn'] }] },
          silent: { budget_type: 'COST' },
        },
      },
    };

    const { stack: result, skipped } = withoutEmulatorGaps(stack);

    expect(Object.keys((result.resource as any).aws_budgets_budget)).toEqual(['silent']);
    expect(skipped).toEqual([expect.objectContaining({ address: 'aws_budgets_budget.notified', reason: expect.stringContaining('DescribeSubscribersForNotification') })]);
  });

  test.each([
    ['aws_ce_anomaly_monitor', 'CreateAnomalyMonitor'],
    ['aws_iam_organizations_features', 'EnableOrganizationsRootCredentialsManagement'],
    ['aws_ec2_instance_metadata_defaults', 'ModifyInstanceMetadataDefaults'],
    ['aws_guardduty_detector_feature', 'replaces'],
    ['aws_guardduty_organization_configuration', 'UpdateOrganizationConfiguration'],
    ['aws_securityhub_organization_configuration', 'Status'],
    ['aws_securityhub_finding_aggregator', 'CreateFindingAggregator'],
  ])('leave out every %s, naming what moto lacks (%s)', (type, missing) => {
    const { stack: result, skipped } = withoutEmulatorGaps({ resource: { [type]: { a: {} }, aws_sns_topic: { kept: { name: 'kept' } } } });

    expect(Object.keys(result.resource as object)).toEqual(['aws_sns_topic']);
    expect(skipped).toEqual([expect.objectContaining({ address: `${type}.a`, reason: expect.stringContaining(missing) })]);
  });

  test('leave out a flow log to a bucket key prefix (moto takes bucket/prefix for the bucket name) but keep one to the bucket itself', () => {
    const stack = {
      resource: {
        aws_flow_log: {
          prefixed: { log_destination: 'arn:aws:s3:::acme-logs-111111111111-eu-west-1/flow-logs', log_destination_type: 's3' },
          bucket: { log_destination: 'arn:aws:s3:::acme-logs-111111111111-eu-west-1', log_destination_type: 's3' },
        },
      },
    };

    expect(Object.keys((withoutEmulatorGaps(stack).stack.resource as any).aws_flow_log)).toEqual(['bucket']);
  });

  test('name each type once', () => {
    const keys = EMULATOR_GAPS.map((gap) => `${gap.type} ${gap.scope ?? ''}`);

    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the provider pointed at the emulator', () => {
  test('sends every service to the endpoint, path-style, and keeps the account check', () => {
    const stack = { provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['123456789012'] }, { alias: 'us_east_1', region: 'us-east-1' }] } };

    const providers = (pointAtEmulator(stack, 'http://127.0.0.1:5000').provider as any).aws;

    for (const provider of providers) {
      expect(provider.endpoints[0].sts).toBe('http://127.0.0.1:5000');
      expect(provider.endpoints[0].s3).toBe('http://127.0.0.1:5000');
      expect(provider.s3_use_path_style).toBe(true);
      expect(provider.skip_credentials_validation).toBeUndefined();
      expect(provider.skip_requesting_account_id).toBeUndefined();
    }
    expect(providers[0].allowed_account_ids).toEqual(['123456789012']);
  });
});

describe('equivalent forms moto accepts', () => {
  test('writes "Principal": "*" of a bucket policy as {"AWS": "*"} and reports it', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }, { Effect: 'Allow', Principal: { Service: 'x' } }] });
    const stack = { resource: { aws_s3_bucket_policy: { p: { policy } } } };

    const { stack: result, workarounds } = applyEmulatorWorkarounds(stack);

    expect(JSON.parse((result.resource as any).aws_s3_bucket_policy.p.policy).Statement.map((statement: any) => statement.Principal)).toEqual([{ AWS: '*' }, { Service: 'x' }]);
    expect(workarounds).toEqual([expect.objectContaining({ address: 'aws_s3_bucket_policy.p' })]);
  });

  test('leaves a policy without the string form untouched and unreported', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' } }] });

    expect(applyEmulatorWorkarounds({ resource: { aws_s3_bucket_policy: { p: { policy } } } }).workarounds).toEqual([]);
  });
});

describe('deploy order', () => {
  test('log-archive, management, security, then the account stacks by name', () => {
    expect(deployOrder(['account-b', 'security', 'account-a', 'management', 'log-archive'])).toEqual(['log-archive', 'management', 'security', 'account-a', 'account-b']);
  });
});

describe('attributes moto does not store', () => {
  test('are still sent, and ignored by later plans, keeping the lifecycle settings the stack had', () => {
    const stack = {
      resource: {
        aws_s3_bucket_logging: {
          l: { target_object_key_format: { partitioned_prefix: { partition_date_source: 'EventTime' } }, lifecycle: { prevent_destroy: true } },
          plain: { target_prefix: 'x/' },
        },
      },
    };

    const { stack: result, workarounds } = applyEmulatorWorkarounds(stack);

    const logging = (result.resource as any).aws_s3_bucket_logging;
    expect(logging.l.target_object_key_format).toEqual({ partitioned_prefix: { partition_date_source: 'EventTime' } });
    expect(logging.l.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['target_object_key_format'] });
    expect(logging.plain.lifecycle).toBeUndefined();
    expect(workarounds.map((workaround) => workaround.address)).toEqual(['aws_s3_bucket_logging.l']);
  });

  test("include a Lambda function's logging_config, which moto 5.2.5 drops (a second plan would add it again)", () => {
    const stack = { resource: { aws_lambda_function: { f: { function_name: 'f', logging_config: [{ log_format: 'JSON', log_group: '/aws/lambda/f' }] } } } };

    const { stack: result } = applyEmulatorWorkarounds(stack);

    const fn = (result.resource as any).aws_lambda_function.f;
    expect(fn.logging_config).toEqual([{ log_format: 'JSON', log_group: '/aws/lambda/f' }]);
    expect(fn.lifecycle).toEqual({ ignore_changes: ['logging_config'] });
  });
});

describe('a gap narrower than its type', () => {
  test('removes only the blocks it selects', () => {
    const gaps = [{ type: 'aws_organizations_delegated_administrator', when: (block: Record<string, unknown>) => block.service_principal === 'config.amazonaws.com', reason: 'r' }];
    const stack = {
      resource: {
        aws_organizations_delegated_administrator: { config: { service_principal: 'config.amazonaws.com' }, analyzer: { service_principal: 'access-analyzer.amazonaws.com' } },
      },
    };

    expect(withoutEmulatorGaps(stack, gaps).stack.resource).toEqual({
      aws_organizations_delegated_administrator: { analyzer: { service_principal: 'access-analyzer.amazonaws.com' } },
    });
  });
});

describe('a stopped apply', () => {
  test('is still waiting only for what it never reported complete', () => {
    const output = [
      'aws_kms_key.a: Creating...',
      'aws_kms_key.a: Still creating... [10s elapsed]',
      'aws_kms_key.a: Creation complete after 12s [id=k]',
      'aws_kms_key.b: Still creating... [10s elapsed]',
      'aws_kms_key.b: Still creating... [20s elapsed]',
      'aws_iam_role.r: Still modifying... [10s elapsed]',
      'aws_iam_role.r: Modifications complete after 11s',
    ].join('\n');

    expect(stillWaitingFor(output)).toEqual(['aws_kms_key.b']);
  });
});

describe('the GuardDuty detector the rehearsal creates for the security stack to adopt', () => {
  test("carries the tags the stack would give it: its provider's default tags and its own", () => {
    const stack = {
      provider: { aws: [{ region: 'eu-west-1', default_tags: [{ tags: { ManagedBy: 'aws-org-baseline' } }] }, { alias: 'us_east_1', default_tags: [{ tags: { ManagedBy: 'aws-org-baseline', Region: 'us' } }] }] },
      resource: {
        aws_guardduty_detector: { home: { enable: true, tags: { Team: 'security' } }, east: { enable: true, provider: 'aws.us_east_1' }, created: { enable: true, tags: { Other: 'x' } } },
      },
      import: [{ to: 'aws_guardduty_detector.home', id: 'a' }, { to: 'aws_guardduty_detector.east', id: 'b', provider: 'aws.us_east_1' }],
    };

    expect(tagsOfImportedDetectors(stack)).toEqual({ ManagedBy: 'aws-org-baseline', Team: 'security', Region: 'us' });
  });
});
