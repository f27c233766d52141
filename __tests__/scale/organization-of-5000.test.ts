import type { BaselineConfigInput } from '../../config/schema';
import { organizationAccounts } from '../../lib/naming';
import { grownPolicies, organizationOf, organizationStacks } from './organization';

/*
 * An organization of 5,000 accounts with every option on: the log-archive, management and security stacks hold every
 * AWS limit the synth-time rules know (bucket, key, topic, event bus, SCP/RCP and IAM policy sizes, names, tags,
 * patterns), and none of their policies grows with the organization.
 *
 * Per-account budgets are off here: they are 5,000 budget resources in the management stack, carry no policy, and take
 * most of a minute to build on a shared two-core machine. organization-of-5000.integration.ts builds the same
 * organization with them on (`npm run test:integration`, run by .ci/run).
 */

const ACCOUNTS = 5000;
const withoutBudgets = (input: BaselineConfigInput) => {
  input.costGuardrails = { ...input.costGuardrails, budgets: { ...input.costGuardrails?.budgets, enabled: false }, computeLaunchDeny: { enabled: false } };
};

describe(`an organization of ${ACCOUNTS} accounts`, () => {
  const config = organizationOf(ACCOUNTS, withoutBudgets);
  // Two account stacks too: an account owning monitored buckets (forwarding, response role) and the security account.
  const large = organizationStacks(config, ['workload-prod', 'security']);
  const small = organizationStacks(organizationOf(5, withoutBudgets), ['workload-prod', 'security']);

  it('is a configuration of that many accounts', () => {
    expect(organizationAccounts(config)).toHaveLength(ACCOUNTS);
  });

  it('keeps every policy, name, tag set and pattern of the log-archive, management and security stacks (and of account stacks) within its AWS limit', () => {
    expect(large.limitFindings.filter((finding) => finding.status !== 'pass')).toEqual([]);
    // The rule read the policies it is there for.
    const judged = new Set(large.limitFindings.filter((finding) => finding.ruleId === 'Limits.PolicySize').map((finding) => finding.address.split('.')[0]));
    expect([...judged]).toEqual(
      expect.arrayContaining(['aws_iam_role_policy', 'aws_kms_key', 'aws_organizations_policy', 'aws_s3_bucket_policy', 'aws_sns_topic_policy', 'aws_cloudwatch_event_bus_policy']),
    );
  });

  it('writes policies of the same size for 5,000 accounts as for 5: none grows with the organization', () => {
    expect(large.policySizes.size).toBeGreaterThan(20);
    expect(grownPolicies(small, large)).toEqual([]);
  });
});
