import type { PolicyRule } from '../rule';

export const MINIMUM_LOG_RETENTION_DAYS = 365;

/** Every CloudWatch Logs group keeps its events for at least a year. */
const LogGroupRetention: PolicyRule = {
  id: 'Logs.Retention',
  description: `Every CloudWatch Logs group sets retention_in_days to at least ${MINIMUM_LOG_RETENTION_DAYS} (or 0, never expire).`,
  rationale: 'Investigations look back months; CIS and most audits expect a year of logs. An unset retention is a choice nobody made.',
  fix: `Set retention_in_days to ${MINIMUM_LOG_RETENTION_DAYS} or more (EncryptedLogGroup from lib/common takes it from the configuration).`,
  appliesTo: ['aws_cloudwatch_log_group'],
  evaluate(group) {
    const days = group.config.retention_in_days;
    if (days === undefined) return ['retention_in_days is not set'];
    if (typeof days !== 'number') return [`retention_in_days is ${JSON.stringify(days)}, which cannot be checked at synth`];
    return days === 0 || days >= MINIMUM_LOG_RETENTION_DAYS ? [] : [`retention_in_days is ${days}`];
  },
};

export default LogGroupRetention;
