import type { TerraformJson } from './provider-mapping';

/*
 * Rewrites of a rehearsal stack into an equivalent form that moto accepts, where moto is wrong and the product is
 * right. Each is equivalent on AWS, so the rehearsal still applies what the product means; each is printed.
 */

export interface EmulatorWorkaround {
  readonly address: string;
  readonly change: string;
}

/*
 * moto 5.2.5 fails PutBucketLogging when the target bucket's policy has a statement with `"Principal": "*"` (a string;
 * it expects an object). IAM documents `"Principal": "*"` and `"Principal": {"AWS": "*"}` as the same:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
 */
function principalStarAsObject(policy: string): string | undefined {
  let document: { Statement?: Array<Record<string, unknown>> | Record<string, unknown> };
  try {
    document = JSON.parse(policy);
  } catch {
    return undefined; // An interpolated policy (e.g. jsonencode) is left as it is.
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  let changed = false;
  for (const statement of statements) {
    if (statement.Principal === '*') {
      statement.Principal = { AWS: '*' };
      changed = true;
    }
  }
  return changed ? JSON.stringify(document) : undefined;
}

/**
 * Attributes moto accepts but does not store, so that every plan after the apply would show them again. They are
 * still sent; the rehearsal's plans ignore them (lifecycle.ignore_changes), and say so.
 */
export const UNSTORED_ATTRIBUTES: ReadonlyArray<{ type: string; attribute: string; reason: string }> = [
  { type: 'aws_s3_bucket_logging', attribute: 'target_object_key_format', reason: 'moto 5.2.5 does not keep TargetObjectKeyFormat' },
  { type: 'aws_lambda_function', attribute: 'logging_config', reason: "moto 5.2.5 does not keep a function's LoggingConfig" },
];

function ignoreUnstoredAttributes(stack: TerraformJson, workarounds: EmulatorWorkaround[]): void {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const { type, attribute, reason } of UNSTORED_ATTRIBUTES) {
    for (const [name, block] of Object.entries(resources[type] ?? {})) {
      if (block[attribute] === undefined) continue;
      const lifecycle = (block.lifecycle ?? {}) as Record<string, unknown>;
      const ignored = Array.isArray(lifecycle.ignore_changes) ? (lifecycle.ignore_changes as string[]) : [];
      block.lifecycle = { ...lifecycle, ignore_changes: [...ignored, attribute] };
      workarounds.push({ address: `${type}.${name}`, change: `${attribute} sent but ignored by later plans (${reason})` });
    }
  }
}

const KEY_ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):alias\/.+$/;

/*
 * moto keeps KMS keys per account and does not resolve another account's alias ARN, which KMS does when the key policy
 * allows it (the log key lets the organization's accounts call kms:DescribeKey): "To perform this operation on a KMS
 * key in a different AWS account, specify the key ARN or alias ARN", https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html.
 * The rehearsal looks such a key up with a provider configuration of the key's own account (its deployment role), which
 * returns the same key ARN.
 */
function lookUpKeysInTheirAccount(stack: TerraformJson, deploymentRoleName: string, workarounds: EmulatorWorkaround[]): void {
  const keys = ((stack.data ?? {}) as Record<string, Record<string, Record<string, unknown>>>).aws_kms_key ?? {};
  const providers = ((stack.provider ?? {}) as Record<string, Array<Record<string, unknown>>>).aws ?? [];
  for (const [name, block] of Object.entries(keys)) {
    const alias = KEY_ALIAS_ARN.exec(String(block.key_id ?? ''));
    if (!alias) continue;
    const [, region, owner] = alias;
    const current = String(block.provider ?? 'aws');
    const base = providers.find((provider) => (provider.alias ? `aws.${provider.alias}` : 'aws') === current);
    if (!base) continue;
    const allowed = base.allowed_account_ids as string[] | undefined;
    if (allowed?.length === 1 && allowed[0] === owner) continue;
    const aliasName = `key_owner_${owner}_${region.replace(/-/g, '_')}`;
    if (!providers.some((provider) => provider.alias === aliasName)) {
      const { assume_role: _role, profile: _profile, ...rest } = base;
      providers.push({
        ...rest,
        alias: aliasName,
        region,
        allowed_account_ids: [owner],
        assume_role: [{ role_arn: `arn:aws:iam::${owner}:role/${deploymentRoleName}`, session_name: 'baseline-rehearsal-key-lookup' }],
      });
    }
    block.provider = `aws.${aliasName}`;
    workarounds.push({ address: `data.aws_kms_key.${name}`, change: `looked up with account ${owner}'s own credentials (moto does not resolve another account's alias ARN)` });
  }
}

export function applyEmulatorWorkarounds(
  input: TerraformJson,
  options: { deploymentRoleName?: string } = {},
): { stack: TerraformJson; workarounds: EmulatorWorkaround[] } {
  const stack = structuredClone(input);
  const workarounds: EmulatorWorkaround[] = [];
  lookUpKeysInTheirAccount(stack, options.deploymentRoleName ?? 'OrganizationAccountAccessRole', workarounds);
  const policies = ((stack.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>).aws_s3_bucket_policy ?? {};
  for (const [name, block] of Object.entries(policies)) {
    if (typeof block.policy !== 'string') continue;
    const rewritten = principalStarAsObject(block.policy);
    if (rewritten !== undefined) {
      block.policy = rewritten;
      workarounds.push({ address: `aws_s3_bucket_policy.${name}`, change: '"Principal": "*" written as {"AWS": "*"} (moto fails PutBucketLogging on the string form)' });
    }
  }
  ignoreUnstoredAttributes(stack, workarounds);
  return { stack, workarounds };
}

/*
 * moto's GuardDuty has no TagResource. The security stack adopts (imports) the detector AWS creates in the delegated
 * administrator account, then tags it with the provider's default tags, which moto answers with an error. The rehearsal
 * creates that detector (as AWS would) already carrying the tags the stack gives it, so the import adopts it as it is.
 * These are the tags: each detector's provider default tags and its own tags.
 */
export function tagsOfImportedDetectors(stack: TerraformJson): Record<string, string> {
  const providers = ((stack.provider ?? {}) as Record<string, Array<Record<string, unknown>>>).aws ?? [];
  const detectors = ((stack.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>).aws_guardduty_detector ?? {};
  const imported = new Set(((stack.import ?? []) as Array<Record<string, unknown>>).map((block) => String(block.to)));
  const tags: Record<string, string> = {};
  for (const [name, block] of Object.entries(detectors)) {
    if (!imported.has(`aws_guardduty_detector.${name}`)) continue;
    const providerName = String(block.provider ?? 'aws');
    const provider = providers.find((entry) => (entry.alias ? `aws.${entry.alias}` : 'aws') === providerName);
    const defaults = ((provider?.default_tags as Array<{ tags?: Record<string, string> }> | undefined) ?? [])[0]?.tags ?? {};
    Object.assign(tags, defaults, (block.tags as Record<string, string> | undefined) ?? {});
  }
  return tags;
}
