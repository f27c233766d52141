import { configWith, exampleConfig, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';

/* The CIS IAM items checked by AWS Config in every account: once, in the home region, where IAM is recorded. */

const example = exampleConfig();
const stack = synthStack('account-workload-dev', example);
const rules = (s: SynthesizedStack) => Object.values(resourcesOf(s, 'aws_config_config_rule')) as Record<string, any>[];
const ruleNamed = (s: SynthesizedStack, id: string) => rules(s).find((rule) => rule.name === `acme-${id}`);
const instanceRegions = (rule: Record<string, any>): string[] => JSON.parse(/^\$\{toset\((\[.*\])\)\}$/.exec(rule.for_each)![1]);

describe('CIS IAM items as AWS Config rules', () => {
  it.each([
    ['iam-user-no-policies-check', 'IAM_USER_NO_POLICIES_CHECK'],
    ['iam-policy-no-statements-with-admin-access', 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS'],
    ['access-keys-rotated', 'ACCESS_KEYS_ROTATED'],
    ['iam-password-policy', 'IAM_PASSWORD_POLICY'],
  ])('runs %s (%s) once, in the home region', (id, identifier) => {
    const rule = ruleNamed(stack, id)!;
    expect(rule.source).toEqual({ owner: 'AWS', source_identifier: identifier });
    expect(instanceRegions(rule)).toEqual([example.regions.home]);
  });

  it('flags access keys older than 90 days', () => {
    expect(JSON.parse(ruleNamed(stack, 'access-keys-rotated')!.input_parameters)).toEqual({ maxAccessKeyAge: '90' });
  });

  it('holds the password policy to the settings the baseline applies, in the lower-case booleans Config reads', () => {
    const policy = Object.values(resourcesOf(stack, 'aws_iam_account_password_policy'))[0] as Record<string, any>;
    expect(JSON.parse(ruleNamed(stack, 'iam-password-policy')!.input_parameters)).toEqual({
      RequireUppercaseCharacters: 'true',
      RequireLowercaseCharacters: 'true',
      RequireSymbols: 'true',
      RequireNumbers: 'true',
      MinimumPasswordLength: String(policy.minimum_password_length),
      PasswordReusePrevention: String(policy.password_reuse_prevention),
      MaxPasswordAge: String(policy.max_password_age),
    });
  });

  it('follows a stricter configured password policy', () => {
    const stricter = synthStack(
      'account-workload-dev',
      configWith((input) => {
        input.accountBaseline = { passwordPolicy: { minimumLength: 20, maxAgeDays: 60 } };
      }),
    );
    expect(JSON.parse(ruleNamed(stricter, 'iam-password-policy')!.input_parameters)).toMatchObject({
      MinimumPasswordLength: '20',
      MaxPasswordAge: '60',
    });
  });

  it('can turn each off alone', () => {
    const without = synthStack(
      'account-workload-dev',
      configWith((input) => {
        input.config = { rules: { 'iam-user-no-policies-check': false, 'access-keys-rotated': false } };
      }),
    );
    expect(ruleNamed(without, 'iam-user-no-policies-check')).toBeUndefined();
    expect(ruleNamed(without, 'access-keys-rotated')).toBeUndefined();
    expect(ruleNamed(without, 'iam-password-policy')).toBeDefined();
    expect(ruleNamed(without, 'iam-policy-no-statements-with-admin-access')).toBeDefined();
  });
});
