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

export function applyEmulatorWorkarounds(input: TerraformJson): { stack: TerraformJson; workarounds: EmulatorWorkaround[] } {
  const stack = structuredClone(input);
  const workarounds: EmulatorWorkaround[] = [];
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
