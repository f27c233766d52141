import type { PolicyRule } from '../rule';

/** Every SQS queue is encrypted with a KMS key. */
const SqsQueueEncrypted: PolicyRule = {
  id: 'SQS.Encrypted',
  description: 'Every SQS queue sets kms_master_key_id (SQS-managed SSE is not enough: its key cannot be scoped or audited).',
  rationale: 'Dead-letter queues hold the events that failed, often with the sensitive details that made them interesting.',
  fix: 'Set kms_master_key_id to a customer-managed key (EncryptionKey from lib/common) that the sending service may use.',
  appliesTo: ['aws_sqs_queue'],
  evaluate(queue) {
    return typeof queue.config.kms_master_key_id === 'string' && queue.config.kms_master_key_id !== '' ? [] : ['kms_master_key_id is not set'];
  },
};

export default SqsQueueEncrypted;
