import type { PolicyRule } from '../rule';

/** The longest S3 object key: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html (1,024 bytes). */
const MAX_OBJECT_KEY_BYTES = 1024;

/** Every S3 state key is one Terraform's S3 backend accepts. */
const BackendKey: PolicyRule = {
  id: 'Limits.BackendKey',
  description: 'The S3 backend key of every stack is not empty, does not begin or end with "/", has no "//", and is at most 1,024 bytes.',
  rationale:
    'Terraform refuses such a key when it initializes the backend (its S3 backend validates the key), so the stack cannot even be planned; S3 refuses longer object keys.',
  fix: 'Change deployment.backend.keyPrefix: no leading or trailing "/", no "//".',
  appliesTo: ['terraform.backend.s3'],
  evaluate(backend) {
    const key = backend.config.key;
    if (typeof key !== 'string') return ['key is not set'];
    const problems: string[] = [];
    if (key === '') problems.push('key is empty');
    // As hashicorp/terraform's internal/backend/remote-state/s3 validates it (validateStringS3Path, "//").
    if (key.startsWith('/') || key.endsWith('/')) problems.push(`key "${key}" begins or ends with "/"`);
    if (key.includes('//')) problems.push(`key "${key}" contains "//"`);
    if (Buffer.byteLength(key) > MAX_OBJECT_KEY_BYTES) problems.push(`key is ${Buffer.byteLength(key)} bytes; S3 accepts at most ${MAX_OBJECT_KEY_BYTES}`);
    return problems;
  },
};

export default BackendKey;
