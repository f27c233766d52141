import type { BaselineConfig } from '../../config/schema';
import { BaselineNames, type AccountRole, organizationAccounts } from '../naming';

/*
 * The deploy plan: every stack of a configuration, the wave it is applied in, the account and home region it is
 * deployed into and where its Terraform state lives. It is derived from the configuration alone, without building a
 * stack, so that `--list`, the selection of `--stack` and a CI matrix cost the same for 5 or 5,000 accounts.
 */

/** What kind of stack it is; decides the stack class and the wave. */
export type StackKind = 'log-archive' | 'management' | 'security' | 'account';

/** Where a stack keeps its Terraform state. */
export type PlannedBackend =
  | { readonly type: 'local'; readonly path: string }
  | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly key: string };

export interface PlannedStack {
  readonly stack: string;
  /** 1 for the first wave; every stack of a wave may be applied once the waves before it are. */
  readonly wave: number;
  readonly kind: StackKind;
  readonly account: { readonly name: string; readonly id: string; readonly role: AccountRole };
  /** The provider's region; regional resources name their own region. */
  readonly region: string;
  readonly backend: PlannedBackend;
}

export interface DeployPlan {
  readonly version: 1;
  /** Stack names by wave, in deploy order. */
  readonly waves: readonly (readonly string[])[];
  readonly stacks: readonly PlannedStack[];
}

/** The file the synth writes beside manifest.json. */
export const DEPLOY_PLAN_FILE = 'deploy-plan.json';

/**
 * The waves: each reads names of resources the waves before it create (the log bucket and key at plan, the
 * organization's delegated administrators); the account stacks only need the first three, in any order.
 */
const WAVE_OF_KIND: Readonly<Record<StackKind, number>> = { 'log-archive': 1, management: 2, security: 3, account: 4 };

function backendOf(config: BaselineConfig, stack: string): PlannedBackend {
  const backend = config.deployment.backend;
  // The same key the stack's S3Backend gets (stacks/baseline-stack.ts); the local backend's path is relative to the
  // stack's directory.
  if (backend.type === 's3') return { type: 's3', bucket: backend.bucket, region: backend.region, key: `${backend.keyPrefix}/${stack}.tfstate` };
  return { type: 'local', path: `stacks/${stack}/terraform.tfstate` };
}

/** Every stack of the configuration, in the order the synth builds them (the three role stacks, then each account). */
export function plannedStacks(config: BaselineConfig): PlannedStack[] {
  const accounts = organizationAccounts(config);
  const accountOf = (role: AccountRole) => accounts.find((account) => account.role === role)!;
  const entry = (stack: string, kind: StackKind, role: AccountRole, account = accountOf(role)): PlannedStack => ({
    stack,
    wave: WAVE_OF_KIND[kind],
    kind,
    account: { name: account.name, id: account.id, role: account.role },
    region: config.regions.home,
    backend: backendOf(config, stack),
  });
  return [
    entry(BaselineNames.logArchiveStack, 'log-archive', 'log-archive'),
    entry(BaselineNames.managementStack, 'management', 'management'),
    entry(BaselineNames.securityStack, 'security', 'security'),
    ...accounts.map((account) => entry(BaselineNames.accountStack(account.name), 'account', account.role, account)),
  ];
}

/** The deploy plan of a configuration: the stacks in deploy order, grouped in waves. */
export function deployPlan(config: BaselineConfig): DeployPlan {
  const stacks = [...plannedStacks(config)].sort((a, b) => a.wave - b.wave);
  const waves: string[][] = [];
  for (const planned of stacks) (waves[planned.wave - 1] ??= []).push(planned.stack);
  return { version: 1, waves: waves.filter((wave) => wave !== undefined), stacks };
}

/** The plan as the synth writes it: stable bytes for the same configuration. */
export function formatDeployPlan(plan: DeployPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The lines `--list` prints: one stack a line with its wave, account and region, in deploy order. */
export function formatStackList(plan: DeployPlan, selected: ReadonlySet<string> = new Set(plan.stacks.map((stack) => stack.stack))): string {
  const shown = plan.stacks.filter((stack) => selected.has(stack.stack));
  const width = Math.max(5, ...shown.map((stack) => stack.stack.length));
  const accountWidth = Math.max(7, ...shown.map((stack) => stack.account.name.length + 15));
  const lines = [`${'wave'}  ${'stack'.padEnd(width)}  ${'account'.padEnd(accountWidth)}  region`];
  for (const stack of shown) {
    lines.push(`${String(stack.wave).padStart(4)}  ${stack.stack.padEnd(width)}  ${`${stack.account.name} (${stack.account.id})`.padEnd(accountWidth)}  ${stack.region}`);
  }
  return `${lines.join('\n')}\n`;
}
