import type { PolicyRule } from '../rule';

/**
 * EventBridge's default quota on an event pattern: 2,048 characters (it can be raised to 4,096; the provider's own
 * validation stops at 4,096). https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;

/** Every EventBridge rule's pattern fits the default quota. */
const EventPatternSize: PolicyRule = {
  id: 'Limits.EventPatternSize',
  description: `Every EventBridge rule's event_pattern has at most ${EVENT_PATTERN_MAX_CHARACTERS} characters (the default quota).`,
  rationale: 'PutRule refuses a longer pattern unless the account has had the quota raised; patterns that list buckets or accounts grow with the configuration.',
  fix: 'Split the rule into several with smaller patterns, or match by prefix or wildcard instead of listing every value.',
  appliesTo: ['aws_cloudwatch_event_rule'],
  evaluate(rule) {
    const pattern = rule.config.event_pattern;
    if (typeof pattern !== 'string') return [];
    return pattern.length > EVENT_PATTERN_MAX_CHARACTERS
      ? [`event_pattern is ${pattern.length} characters; EventBridge accepts at most ${EVENT_PATTERN_MAX_CHARACTERS} by default`]
      : [];
  },
};

export default EventPatternSize;
