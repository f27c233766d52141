import type { PolicyRule } from '../rule';

/** The most a policy attribute may hold, how AWS counts it, and the page that says so. */
interface PolicyLimit {
  readonly attribute: string;
  readonly max: number;
  /**
   * IAM and Organizations count characters without the whitespace outside strings; S3, KMS and SNS count bytes;
   * EventBridge counts the characters of the policy as stored.
   */
  readonly unit: 'characters without whitespace' | 'bytes' | 'characters';
  readonly source: string;
}

export const POLICY_LIMITS: Readonly<Record<string, readonly PolicyLimit[]>> = {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: role trust policy 2,048 characters
  // (a quota that can be raised to 4,096), inline policies of a role 10,240 together, managed policy 6,144.
  aws_iam_role: [{ attribute: 'assume_role_policy', max: 2048, unit: 'characters without whitespace', source: 'IAM (role trust policy, default quota)' }],
  aws_iam_role_policy: [{ attribute: 'policy', max: 10240, unit: 'characters without whitespace', source: 'IAM (inline role policies)' }],
  aws_iam_policy: [{ attribute: 'policy', max: 6144, unit: 'characters without whitespace', source: 'IAM (managed policy)' }],
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html (SCP and RCP: 5,120 characters)
  aws_organizations_policy: [{ attribute: 'content', max: 5120, unit: 'characters without whitespace', source: 'Organizations (policy document)' }],
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-policy-language-overview.html (bucket policy: 20 KB)
  aws_s3_bucket_policy: [{ attribute: 'policy', max: 20 * 1024, unit: 'bytes', source: 'S3 (bucket policy)' }],
  // https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html (key policy document size: 32 KB)
  aws_kms_key: [{ attribute: 'policy', max: 32 * 1024, unit: 'bytes', source: 'KMS (key policy)' }],
  // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html (policy: 30 KB)
  aws_sns_topic_policy: [{ attribute: 'policy', max: 30 * 1024, unit: 'bytes', source: 'SNS (topic policy)' }],
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html (event bus policy size: 10,240 characters,
  // a quota that can be raised; it grows with every account granted access)
  aws_cloudwatch_event_bus_policy: [{ attribute: 'policy', max: 10240, unit: 'characters', source: 'EventBridge (event bus policy, default quota)' }],
};

/** The size of a policy as the service counts it. References (`${…}`) are counted as written. */
export function policySize(policy: string, unit: PolicyLimit['unit']): number {
  if (unit === 'bytes') return Buffer.byteLength(policy);
  if (unit === 'characters') return policy.length;
  try {
    return JSON.stringify(JSON.parse(policy)).length;
  } catch {
    return policy.length;
  }
}

/** Every policy fits the size its service accepts. */
const PolicySize: PolicyRule = {
  id: 'Limits.PolicySize',
  description: 'Every policy is within its service quota: trust policy 2,048 and inline role policy 10,240 characters, managed policy 6,144, SCP/RCP 5,120, bucket policy 20 KB, key policy 32 KB, topic policy 30 KB, event bus policy 10,240 characters.',
  rationale: 'AWS refuses an oversized policy at apply; the lists that grow with the configuration (accounts, regions, buckets, CIDRs) can push a policy over.',
  fix: 'Shorten the configuration lists the policy is built from, or split the grant into more statements on separate resources.',
  appliesTo: Object.keys(POLICY_LIMITS),
  evaluate(resource, stack) {
    return (POLICY_LIMITS[resource.type] ?? []).flatMap(({ attribute, max, unit, source }) => {
      const policy = resource.config[attribute];
      if (typeof policy !== 'string') return [];
      if (resource.type === 'aws_iam_role_policy') {
        // The quota is on all inline policies of the role together.
        const siblings = stack.ofType('aws_iam_role_policy').filter((other) => other.config.role === resource.config.role);
        const total = siblings.reduce((sum, other) => sum + (typeof other.config.policy === 'string' ? policySize(other.config.policy, unit) : 0), 0);
        return total > max ? [`the ${siblings.length} inline policies of role ${String(resource.config.role)} are ${total} ${unit} together; ${source} accepts at most ${max}`] : [];
      }
      const size = policySize(policy, unit);
      return size > max ? [`${attribute} is ${size} ${unit}; ${source} accepts at most ${max}`] : [];
    });
  },
};

export default PolicySize;
