import type { PolicyRule } from '../rule';

/** Every CloudWatch Logs group is encrypted with a customer-managed KMS key. */
const LogGroupEncrypted: PolicyRule = {
  id: 'Logs.Encrypted',
  description: 'Every CloudWatch Logs group sets kms_key_id to a customer-managed KMS key.',
  rationale: 'A key the organization controls decides who can read the logs, and its use is itself logged by CloudTrail.',
  fix: 'Use EncryptedLogGroup from lib/common, or set kms_key_id to a key whose policy lets logs.<region>.amazonaws.com use it for this group.',
  appliesTo: ['aws_cloudwatch_log_group'],
  evaluate(group) {
    return typeof group.config.kms_key_id === 'string' && group.config.kms_key_id !== '' ? [] : ['kms_key_id is not set'];
  },
};

export default LogGroupEncrypted;
