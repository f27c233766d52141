import type { PolicyRule } from '../rule';

/** Every symmetric encryption KMS key rotates its material. */
const KmsKeyRotation: PolicyRule = {
  id: 'KMS.Rotation',
  description: 'Every symmetric encryption KMS key sets enable_key_rotation to true (asymmetric and HMAC keys cannot rotate).',
  rationale: 'Rotation limits how much data one key version protects; CIS asks for it on every customer-managed key.',
  fix: 'Set enable_key_rotation = true (EncryptionKey from lib/common does).',
  appliesTo: ['aws_kms_key'],
  evaluate(key) {
    const spec = key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
    const usage = key.config.key_usage ?? 'ENCRYPT_DECRYPT';
    if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') return [];
    return key.config.enable_key_rotation === true ? [] : ['enable_key_rotation is not true'];
  },
};

export default KmsKeyRotation;
