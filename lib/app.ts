import { App, DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import type { BaselineConfig } from '../config/schema';
import { organizationAccounts } from './naming';
import { AccountStack } from '../stacks/account-stack';
import { LogArchiveStack } from '../stacks/log-archive-stack';
import { ManagementStack } from '../stacks/management-stack';
import { SecurityStack } from '../stacks/security-stack';
import { applyPolicyRules } from './rules';
import { plannedStacks, type StackKind } from './synth/deploy-plan';

export interface BaselineAppOptions {
  /** Where `synth()` writes; cdktf's own default (CDKTF_OUTDIR or cdktf.out) when unset. */
  readonly outdir?: string;
  /** Write HCL (`cdk.tf`) instead of Terraform JSON (`cdk.tf.json`), for teams that review HCL. @default - JSON, unless SYNTH_HCL_OUTPUT=true */
  readonly hclOutput?: boolean;
  /**
   * The names of the stacks to build; the others are not constructed at all, so the cost does not grow with the
   * organization. Stacks never read each other, so a stack built alone is the same as in the whole app.
   * @default - every stack of the configuration
   */
  readonly stacks?: readonly string[];
}

const STACK_CLASSES: Readonly<Record<StackKind, typeof AccountStack | typeof LogArchiveStack | typeof ManagementStack | typeof SecurityStack>> = {
  'log-archive': LogArchiveStack,
  management: ManagementStack,
  security: SecurityStack,
  account: AccountStack,
};

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
    const app = new App({
      outdir: options.outdir,
      skipValidation: false,
      hclOutput: options.hclOutput,
      // A warning's manifest entry would carry the trace of where it was added: absolute paths of this checkout, which
      // no one reads there and which would make manifest.json differ from one checkout to another.
      context: { [DISABLE_STACK_TRACE_IN_METADATA]: true },
    });
    const accounts = new Map(organizationAccounts(config).map((account) => [`${account.role}:${account.id}`, account]));
    const selected = options.stacks ? new Set(options.stacks) : undefined;
    for (const planned of plannedStacks(config)) {
      if (selected && !selected.has(planned.stack)) continue;
      const account = accounts.get(`${planned.account.role}:${planned.account.id}`)!;
      new STACK_CLASSES[planned.kind](app, planned.stack, { config, account });
    }
    // Every synth holds the stacks to the baseline's own standards (lib/rules): a breach fails it with the fix.
    applyPolicyRules(app);
    return app;
  } finally {
    if (hclSetting === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = hclSetting;
  }
}
