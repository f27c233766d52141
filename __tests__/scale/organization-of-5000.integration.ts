import { organizationAccounts } from '../../lib/naming';
import { grownPolicies, organizationOf, organizationStacks } from './organization';

/*
 * The organization of 5,000 accounts of organization-of-5000.test.ts with every option on, per-account budgets and
 * the budget-triggered compute-launch deny included (5,000 budgets in the management stack). Too slow for `npm test`
 * on a shared two-core machine; run by `npm run test:integration` (.ci/run).
 */

const ACCOUNTS = 5000;

describe(`an organization of ${ACCOUNTS} accounts, per-account budgets on`, () => {
  const config = organizationOf(ACCOUNTS);
  const large = organizationStacks(config);
  const small = organizationStacks(organizationOf(5));

  it('keeps every policy, name, tag set and pattern of the log-archive, management and security stacks within its AWS limit', () => {
    expect(organizationAccounts(config)).toHaveLength(ACCOUNTS);
    expect(config.costGuardrails.budgets.enabled).toBe(true);
    expect(large.limitFindings.filter((finding) => finding.status !== 'pass')).toEqual([]);
    expect(large.limitFindings.filter((finding) => finding.address.startsWith('aws_budgets_budget.')).length).toBeGreaterThanOrEqual(ACCOUNTS);
  });

  it('writes policies of the same size for 5,000 accounts as for 5', () => {
    expect(grownPolicies(small, large)).toEqual([]);
  });
});
