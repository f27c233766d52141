import { App } from 'cdktf';
import type { BaselineConfig } from '../config/schema';
import { AccountStack } from '../stacks/account-stack';
import { LogArchiveStack } from '../stacks/log-archive-stack';
import { ManagementStack } from '../stacks/management-stack';
import { SecurityStack } from '../stacks/security-stack';
import { BaselineNames, organizationAccounts } from './naming';

export interface BaselineAppOptions {
  /** Where `synth()` writes; cdktf's own default (CDKTF_OUTDIR or cdktf.out) when unset. */
  readonly outdir?: string;
}

/** The whole baseline for one configuration: one stack per account role, and one account stack per account. */
export function buildBaselineApp(config: BaselineConfig, options: BaselineAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const accounts = organizationAccounts(config);
  const accountOf = (role: string) => accounts.find((account) => account.role === role)!;

  new LogArchiveStack(app, BaselineNames.logArchiveStack, { config, account: accountOf('log-archive') });
  new ManagementStack(app, BaselineNames.managementStack, { config, account: accountOf('management') });
  new SecurityStack(app, BaselineNames.securityStack, { config, account: accountOf('security') });
  for (const account of accounts) {
    new AccountStack(app, BaselineNames.accountStack(account.name), { config, account });
  }
  return app;
}
