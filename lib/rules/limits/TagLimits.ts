import type { PolicyRule } from '../rule';

/*
 * Tag naming limits and requirements (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html): at most
 * 50 user tags per resource, keys of at most 128 and values of at most 256 characters, and the "aws:" prefix is
 * reserved for AWS. The provider's default_tags count towards the 50 on every resource.
 */
export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/** The resource types of the baseline that take tags (a `tags` argument in the provider), and so receive the default tags. */
export const TAGGABLE_TYPES = [
  'aws_accessanalyzer_analyzer',
  'aws_athena_workgroup',
  'aws_budgets_budget',
  'aws_ce_anomaly_monitor',
  'aws_ce_anomaly_subscription',
  'aws_cloudtrail',
  'aws_cloudwatch_event_bus',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_config_config_rule',
  'aws_config_configuration_aggregator',
  'aws_default_security_group',
  'aws_flow_log',
  'aws_glue_catalog_database',
  'aws_guardduty_detector',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_service_linked_role',
  'aws_kms_key',
  'aws_lambda_function',
  'aws_organizations_policy',
  'aws_s3_bucket',
  'aws_sns_topic',
  'aws_sqs_queue',
] as const;

/** Every resource carries at most 50 tags, its own and the provider's default tags, none of them reserved. */
const TagLimits: PolicyRule = {
  id: 'Limits.Tags',
  description: `Every taggable resource has at most ${MAX_TAGS_PER_RESOURCE} tags including the provider's default tags, keys of at most ${MAX_KEY_LENGTH} and values of at most ${MAX_VALUE_LENGTH} characters, and no "aws:" keys.`,
  rationale: 'AWS refuses the whole create or tag call, so one tag too many in deployment.tags fails every resource of every stack.',
  fix: 'Remove tags from deployment.tags (the baseline adds ManagedBy, BaselinePrefix and BaselineStack to every resource) or from the resource, and rename any "aws:" key.',
  appliesTo: TAGGABLE_TYPES,
  evaluate(resource, stack) {
    const own = resource.config.tags;
    const tags: Record<string, unknown> = { ...stack.defaultTags, ...(own !== null && typeof own === 'object' && !Array.isArray(own) ? own : {}) };
    const keys = Object.keys(tags);
    const problems: string[] = [];
    if (keys.length > MAX_TAGS_PER_RESOURCE) problems.push(`has ${keys.length} tags with the default tags; AWS accepts at most ${MAX_TAGS_PER_RESOURCE}`);
    for (const key of keys) {
      if (/^aws:/i.test(key)) problems.push(`tag key "${key}" uses the reserved "aws:" prefix`);
      if (key.length > MAX_KEY_LENGTH) problems.push(`tag key "${key.slice(0, 40)}…" is ${key.length} characters; at most ${MAX_KEY_LENGTH}`);
      const value = tags[key];
      if (typeof value === 'string' && !value.includes('${') && value.length > MAX_VALUE_LENGTH) {
        problems.push(`tag "${key}" has a value of ${value.length} characters; at most ${MAX_VALUE_LENGTH}`);
      }
    }
    return problems;
  },
};

export default TagLimits;
