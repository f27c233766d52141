import { App } from 'cdktf';
import type { BaselineConfig } from '../config/schema';
import { AccountStack } from '../stacks/account-stack';
import { LogArchiveStack } from '../stacks/log-archive-stack';
import { ManagementStack } from '../stacks/management-stack';
import { SecurityStack } from '../stacks/security-stack';
import { BaselineNames, organizationAccounts } from './naming';
import { applyPolicyRules } from './rules';

export interface BaselineAppOptions {
  /** Where `synth()` writes; cdktf's own default (CDKTF_OUTDIR or cdktf.out) when unset. */
  readonly outdir?: string;
  /** Write HCL (`cdk.tf`) instead of Terraform JSON (`cdk.tf.json`), for teams that review HCL. @default - JSON, unless SYNTH_HCL_OUTPUT=true */
  readonly hclOutput?: boolean;
}

/**
 * The whole baseline for one configuration: one stack per account role, and one account stack per account, with the
 * policy rules applied to every stack.
 */
export function buildBaselineApp(config: BaselineConfig, options: BaselineAppOptions = {}): App {
  // cdktf 0.21 reads SYNTH_HCL_OUTPUT in the App and in each stack's constructor; the App option alone would write
  // JSON into cdk.tf. Set it for the construction only.
  const hclSetting = process.env.SYNTH_HCL_OUTPUT;
  if (options.hclOutput !== undefined) process.env.SYNTH_HCL_OUTPUT = String(options.hclOutput);
  try {
    const app = new App({ outdir: options.outdir, skipValidation: false, hclOutput: options.hclOutput });
    const accounts = organizationAccounts(config);
    const accountOf = (role: string) => accounts.find((account) => account.role === role)!;

    new LogArchiveStack(app, BaselineNames.logArchiveStack, { config, account: accountOf('log-archive') });
    new ManagementStack(app, BaselineNames.managementStack, { config, account: accountOf('management') });
    new SecurityStack(app, BaselineNames.securityStack, { config, account: accountOf('security') });
    for (const account of accounts) {
      new AccountStack(app, BaselineNames.accountStack(account.name), { config, account });
    }
    // Every synth holds the stacks to the baseline's own standards (lib/rules): a breach fails it with the fix.
    applyPolicyRules(app);
    return app;
  } finally {
    if (hclSetting === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = hclSetting;
  }
}
