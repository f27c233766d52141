import type { PolicyRule } from '../rule';

/** Every SNS topic is encrypted with a KMS key. */
const SnsTopicEncrypted: PolicyRule = {
  id: 'SNS.Encrypted',
  description: 'Every SNS topic sets kms_master_key_id.',
  rationale: 'Alarm and finding notifications describe the organization’s weaknesses; they must be encrypted at rest.',
  fix: 'Use NotificationTopic from lib/common, or set kms_master_key_id to a customer-managed key its publishers may use.',
  appliesTo: ['aws_sns_topic'],
  evaluate(topic) {
    return typeof topic.config.kms_master_key_id === 'string' && topic.config.kms_master_key_id !== '' ? [] : ['kms_master_key_id is not set'];
  },
};

export default SnsTopicEncrypted;
