import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../../config/load';
import type { BaselineConfig, BaselineConfigInput } from '../../config/schema';
import { organizationAccounts } from '../../lib/naming';
import { evaluatePolicyRules, type RuleFinding } from '../../lib/rules';
import { POLICY_LIMITS, policySize } from '../../lib/rules/limits/PolicySize';
import { StackResources, type TerraformJson } from '../../lib/rules/stack-resources';
import { LogArchiveStack } from '../../stacks/log-archive-stack';
import { ManagementStack } from '../../stacks/management-stack';
import { AccountStack } from '../../stacks/account-stack';
import { SecurityStack } from '../../stacks/security-stack';

/*
 * Large organizations for the scale tests: config/every-option.json (every option on) with as many member accounts as
 * asked, and the three stacks whose policies could grow with the organization (log-archive, management, security).
 * The account stacks are not built: each holds only its own account's policies.
 */

const EVERY_OPTION = path.join(path.dirname(EXAMPLE_CONFIG_PATH), 'every-option.json');

/** every-option.json with `accountCount` accounts in all (its three role accounts and its members included). */
export function organizationOf(accountCount: number, change: (input: BaselineConfigInput) => void = () => {}): BaselineConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const input = JSON.parse(JSON.stringify(require(EVERY_OPTION))) as BaselineConfigInput;
  // The members are generated here rather than read from every-option-accounts.json.
  delete input.accounts.fromOrganization;
  const named = input.accounts.members ?? [];
  input.accounts.members = [
    ...named,
    ...Array.from({ length: accountCount - 3 - named.length }, (_, index) => ({
      name: `workload-${index}`,
      id: String(700000000000 + index),
      organizationalUnit: 'ou-a1b2-33333333',
    })),
  ];
  change(input);
  return parseConfig(input);
}

export interface OrganizationStacks {
  /** The limit rules' verdicts (Limits.*) on every resource of the three stacks. */
  readonly limitFindings: readonly RuleFinding[];
  /** The size, as its service counts it, of every policy the PolicySize rule reads: "<stack> <address> <attribute>". */
  readonly policySizes: ReadonlyMap<string, number>;
}

/**
 * Builds the log-archive, management and security stacks of a configuration, and the account stacks of the named
 * accounts, and measures their policies.
 */
export function organizationStacks(config: BaselineConfig, accountNames: readonly string[] = []): OrganizationStacks {
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'scale-test-')) });
  const accountOf = (role: string) => organizationAccounts(config).find((account) => account.role === role)!;
  const stacks = [
    new LogArchiveStack(app, 'log-archive', { config, account: accountOf('log-archive') }),
    new ManagementStack(app, 'management', { config, account: accountOf('management') }),
    new SecurityStack(app, 'security', { config, account: accountOf('security') }),
    ...accountNames.map((name) => {
      const account = organizationAccounts(config).find((candidate) => candidate.name === name)!;
      return new AccountStack(app, `account-${name}`, { config, account });
    }),
  ];
  const limitFindings: RuleFinding[] = [];
  const policySizes = new Map<string, number>();
  for (const stack of stacks) {
    limitFindings.push(...evaluatePolicyRules(stack).filter((finding) => finding.ruleId.startsWith('Limits.')));
    const resources = new StackResources(stack.node.id, stack.toTerraform() as TerraformJson);
    for (const [type, limits] of Object.entries(POLICY_LIMITS)) {
      for (const resource of resources.ofType(type)) {
        for (const { attribute, unit } of limits) {
          const policy = resource.config[attribute];
          if (typeof policy === 'string') policySizes.set(`${stack.node.id} ${resource.address} ${attribute}`, policySize(policy, unit));
        }
      }
    }
  }
  return { limitFindings, policySizes };
}

/** The policies whose size differs between two builds, as "<where>: <before> -> <after>". */
export function grownPolicies(before: OrganizationStacks, after: OrganizationStacks): string[] {
  const places = [...new Set([...before.policySizes.keys(), ...after.policySizes.keys()])].sort();
  return places
    .filter((where) => before.policySizes.get(where) !== after.policySizes.get(where))
    .map((where) => `${where}: ${before.policySizes.get(where) ?? 'absent'} -> ${after.policySizes.get(where) ?? 'absent'}`);
}
