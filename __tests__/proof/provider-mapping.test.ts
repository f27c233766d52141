import { literalRegionSet, mapToProvider5, summarizeMapping, type TerraformJson } from '../../tools/proof/provider-mapping';

/** A minimal 6.x stack: one provider in eu-west-1 and the given resources, data sources and imports. */
function stack(parts: { resource?: object; data?: object; import?: object[] }): TerraformJson {
  return {
    provider: { aws: [{ region: 'eu-west-1', assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/Deploy' }] }] },
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' } } },
    ...parts,
  };
}

function providers(result: TerraformJson): Array<Record<string, unknown>> {
  return (result.provider as { aws: Array<Record<string, unknown>> }).aws;
}

describe('mapping a provider 6.x stack onto hashicorp/aws 5.100.0', () => {
  test('pins the provider version to the mirror and reports the change', () => {
    const { stack: mappedStack, mapped } = mapToProvider5(stack({}));

    expect((mappedStack.terraform as any).required_providers.aws.version).toBe('5.100.0');
    expect(mapped).toContainEqual(expect.objectContaining({ attribute: 'required_providers.aws.version', change: '">= 6.25.0, < 7.0.0" -> "5.100.0"' }));
  });

  test('moves a per-resource region onto a provider alias that copies the default provider', () => {
    const { stack: result } = mapToProvider5(stack({ resource: { aws_sqs_queue: { q: { name: 'q', region: 'us-east-1' } } } }));

    expect((result.resource as any).aws_sqs_queue.q).toEqual({ name: 'q', provider: 'aws.us_east_1' });
    expect(providers(result)).toEqual([
      { region: 'eu-west-1', assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/Deploy' }] },
      { alias: 'us_east_1', region: 'us-east-1', assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/Deploy' }] },
    ]);
  });

  test("drops a region equal to the provider's own and adds no alias for it", () => {
    const { stack: result, mapped } = mapToProvider5(stack({ data: { aws_vpcs: { v: { region: 'eu-west-1' } } } }));

    expect((result.data as any).aws_vpcs.v).toEqual({});
    expect(providers(result)).toHaveLength(1);
    expect(mapped).toContainEqual(expect.objectContaining({ address: 'data.aws_vpcs.v', attribute: 'region' }));
  });

  test('expands for_each over a literal set of regions into one block per region and rewrites references', () => {
    const input = stack({
      resource: {
        aws_config_config_rule: {
          rule: { for_each: '${toset(["eu-west-1", "us-east-1"])}', region: '${each.value}', name: 'r-${each.key}' },
        },
        aws_sns_topic: {
          t: { name: '${aws_config_config_rule.rule["us-east-1"].arn}', depends_on: ['aws_config_config_rule.rule'] },
        },
      },
    });

    const { stack: result, mapped } = mapToProvider5(input);

    const rules = (result.resource as any).aws_config_config_rule;
    expect(Object.keys(rules).sort()).toEqual(['rule_eu_west_1', 'rule_us_east_1']);
    // Inside a larger template each.key becomes a string literal: Terraform still renders "r-eu-west-1".
    expect(rules.rule_eu_west_1).toEqual({ name: 'r-${"eu-west-1"}' });
    expect(rules.rule_us_east_1).toEqual({ name: 'r-${"us-east-1"}', provider: 'aws.us_east_1' });
    expect((result.resource as any).aws_sns_topic.t).toEqual({
      name: '${aws_config_config_rule.rule_us_east_1.arn}',
      depends_on: ['aws_config_config_rule.rule_eu_west_1', 'aws_config_config_rule.rule_us_east_1'],
    });
    expect(mapped).toContainEqual(expect.objectContaining({ address: 'resource.aws_config_config_rule.rule', attribute: 'for_each' }));
  });

  test('replaces a whole-string each.value by the bare region, not a quoted one', () => {
    const { stack: result } = mapToProvider5(
      stack({ resource: { aws_flow_log: { f: { for_each: '${toset(["us-east-1"])}', region: '${each.value}', tags: { Region: '${each.value}' } } } } }),
    );

    expect((result.resource as any).aws_flow_log.f_us_east_1.tags).toEqual({ Region: 'us-east-1' });
  });

  test('refuses a reference to an expanded block it cannot rewrite, rather than emit a broken stack', () => {
    const input = stack({
      resource: {
        aws_config_config_rule: { rule: { for_each: '${toset(["eu-west-1"])}', region: '${each.value}' } },
        aws_sns_topic: { t: { name: '${values(aws_config_config_rule.rule)[0].arn}' } },
      },
    });

    expect(() => mapToProvider5(input)).toThrow(/cannot map the reference to aws_config_config_rule\.rule/);
  });

  test('refuses a region chosen per instance of a for_each that is not a literal set of regions', () => {
    const input = stack({ resource: { aws_sqs_queue: { q: { for_each: '${var.regions}', region: '${each.value}' } } } });

    expect(() => mapToProvider5(input)).toThrow(/resource\.aws_sqs_queue\.q: region = \$\{each\.value\} over a for_each that is not a literal set/);
  });

  test('refuses a computed region', () => {
    const input = stack({ resource: { aws_sqs_queue: { q: { region: '${var.region}' } } } });

    expect(() => mapToProvider5(input)).toThrow(/is not a literal region/);
  });

  test('keeps a for_each over data (VPC ids) and maps only its literal region', () => {
    const { stack: result } = mapToProvider5(
      stack({ resource: { aws_flow_log: { f: { for_each: '${toset(data.aws_vpcs.v.ids)}', region: 'us-east-1', vpc_id: '${each.value}' } } } }),
    );

    expect((result.resource as any).aws_flow_log.f).toEqual({ for_each: '${toset(data.aws_vpcs.v.ids)}', vpc_id: '${each.value}', provider: 'aws.us_east_1' });
  });

  test("drops the 6.x import ID's @region suffix and gives the import its resource's provider", () => {
    const input = stack({
      resource: { aws_guardduty_detector: { d: { region: 'us-east-1' }, home: { region: 'eu-west-1' } } },
      import: [
        { to: 'aws_guardduty_detector.d', id: '${data.aws_guardduty_detector.x.id}@us-east-1' },
        { to: 'aws_guardduty_detector.home', id: 'abc@eu-west-1' },
      ],
    });

    const { stack: result } = mapToProvider5(input);

    expect(result.import).toEqual([
      { to: 'aws_guardduty_detector.d', id: '${data.aws_guardduty_detector.x.id}', provider: 'aws.us_east_1' },
      { to: 'aws_guardduty_detector.home', id: 'abc' },
    ]);
  });

  test('refuses an import whose @region names another region than its resource', () => {
    const input = stack({
      resource: { aws_guardduty_detector: { d: { region: 'us-east-1' } } },
      import: [{ to: 'aws_guardduty_detector.d', id: 'abc@eu-central-1' }],
    });

    expect(() => mapToProvider5(input)).toThrow(/names eu-central-1 but the resource is in us-east-1/);
  });

  test('drops blocked_encryption_types from every rule, written as a list or an object', () => {
    const input = stack({
      resource: {
        aws_s3_bucket_server_side_encryption_configuration: {
          list: { rule: [{ bucket_key_enabled: true, blocked_encryption_types: ['SSE-C'] }] },
          object: { rule: { bucket_key_enabled: true, blocked_encryption_types: ['SSE-C'] } },
        },
      },
    });

    const { stack: result, mapped } = mapToProvider5(input);

    const configurations = (result.resource as any).aws_s3_bucket_server_side_encryption_configuration;
    expect(configurations.list.rule).toEqual([{ bucket_key_enabled: true }]);
    expect(configurations.object.rule).toEqual({ bucket_key_enabled: true });
    expect(mapped.filter((entry) => entry.attribute === 'rule.blocked_encryption_types')).toHaveLength(2);
  });

  test('maps runtime nodejs24.x to nodejs22.x and leaves other runtimes alone', () => {
    const input = stack({ resource: { aws_lambda_function: { new: { runtime: 'nodejs24.x' }, old: { runtime: 'python3.13' } } } });

    const { stack: result, mapped } = mapToProvider5(input);

    expect((result.resource as any).aws_lambda_function).toEqual({ new: { runtime: 'nodejs22.x' }, old: { runtime: 'python3.13' } });
    expect(mapped.filter((entry) => entry.attribute === 'runtime')).toEqual([
      expect.objectContaining({ address: 'resource.aws_lambda_function.new', change: '"nodejs24.x" -> "nodejs22.x"' }),
    ]);
  });

  test('does not change its input', () => {
    const input = stack({ resource: { aws_sqs_queue: { q: { region: 'us-east-1' } } } });
    const copy = structuredClone(input);

    mapToProvider5(input);

    expect(input).toEqual(copy);
  });

  test('summarizes regions in one line and counts every other change', () => {
    const { mapped } = mapToProvider5(
      stack({
        resource: {
          aws_sqs_queue: { a: { region: 'us-east-1' }, b: { region: 'eu-central-1' }, c: { region: 'eu-west-1' } },
          aws_lambda_function: { f: { runtime: 'nodejs24.x' }, g: { runtime: 'nodejs24.x' } },
        },
      }),
    );

    expect(summarizeMapping(mapped)).toEqual([
      "region (per-resource, 6.x): 2 block(s) -> provider aws.eu_central_1, aws.us_east_1; 1 in the provider's own region, attribute dropped",
      'aws_lambda_function.runtime: "nodejs24.x" -> "nodejs22.x" (x2)',
      'terraform.required_providers.aws.version: ">= 6.25.0, < 7.0.0" -> "5.100.0"',
    ]);
  });
});

describe('literalRegionSet', () => {
  test('reads the regions of a literal toset', () => {
    expect(literalRegionSet('${toset(["eu-central-1", "us-east-1"])}')).toEqual(['eu-central-1', 'us-east-1']);
  });

  test.each([['${toset(data.aws_vpcs.v.ids)}'], ['${toset(["not a region"])}'], [undefined], ['${var.regions}']])('is undefined for %p', (value) => {
    expect(literalRegionSet(value)).toBeUndefined();
  });
});

describe('values provider 5.100 does not know', () => {
  test('maps an anomaly monitor dimension other than SERVICE to SERVICE and flags it as not proven', () => {
    const input = {
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_ce_anomaly_monitor: { linked: { monitor_dimension: 'LINKED_ACCOUNT' }, service: { monitor_dimension: 'SERVICE' } } },
    };

    const { stack, mapped } = mapToProvider5(input);

    expect((stack.resource as any).aws_ce_anomaly_monitor).toEqual({ linked: { monitor_dimension: 'SERVICE' }, service: { monitor_dimension: 'SERVICE' } });
    expect(mapped).toEqual([expect.objectContaining({ address: 'resource.aws_ce_anomaly_monitor.linked', change: '"LINKED_ACCOUNT" -> "SERVICE" (NOT PROVEN: whether 6.x accepts it)' })]);
  });
});

describe('6.x-only analyzer settings', () => {
  test('drops configuration.internal_access and keeps the rest of the configuration', () => {
    const input = {
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_accessanalyzer_analyzer: { a: { configuration: [{ internal_access: [{ analysis_rule: [] }], unused_access: [{ unused_access_age: 90 }] }] } } },
    };
    const internal = { provider: input.provider, resource: { aws_accessanalyzer_analyzer: { i: { type: 'ORGANIZATION_INTERNAL_ACCESS' }, u: { type: 'ORGANIZATION_UNUSED_ACCESS' } } } };
    expect((mapToProvider5(internal).stack.resource as any).aws_accessanalyzer_analyzer).toEqual({ i: { type: 'ORGANIZATION' }, u: { type: 'ORGANIZATION_UNUSED_ACCESS' } });

    const { stack, mapped } = mapToProvider5(input);

    expect((stack.resource as any).aws_accessanalyzer_analyzer.a.configuration).toEqual([{ unused_access: [{ unused_access_age: 90 }] }]);
    expect(mapped).toEqual([expect.objectContaining({ attribute: 'configuration.internal_access', change: 'dropped (6.x only)' })]);
  });
});

describe('6.x-only advanced event selector fields', () => {
  test('drops the errorCode field selector of a network activity selector and keeps the others and the other selectors', () => {
    const network = [
      { field: 'eventCategory', equals: ['NetworkActivity'] },
      { field: 'eventSource', equals: ['s3.amazonaws.com'] },
      { field: 'errorCode', equals: ['VpceAccessDenied'] },
    ];
    const management = [{ field: 'eventCategory', equals: ['Management'] }];
    const input = {
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_cloudtrail: { t: { advanced_event_selector: [{ name: 'm', field_selector: management }, { name: 'n', field_selector: network }] } } },
    };

    const { stack, mapped } = mapToProvider5(input);

    expect((stack.resource as any).aws_cloudtrail.t.advanced_event_selector).toEqual([
      { name: 'm', field_selector: management },
      { name: 'n', field_selector: network.slice(0, 2) },
    ]);
    expect(mapped).toEqual([expect.objectContaining({ address: 'resource.aws_cloudtrail.t', attribute: 'advanced_event_selector.field_selector', change: 'field selector errorCode dropped (6.x only)' })]);
  });
});
