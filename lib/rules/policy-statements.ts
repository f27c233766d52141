import { blocks, parseReference, type StackResources, type SynthesizedResource } from './stack-resources';

/** A policy statement in one shape, whichever way the policy was written (JSON text or a policy-document data source). */
export interface ReadStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Principals by kind (`AWS`, `Service`, `Federated`, `CanonicalUser`); `*` for everyone. */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly hasPrincipal: boolean;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly conditions: readonly { readonly operator: string; readonly key: string; readonly values: readonly string[] }[];
}

/** A policy as read at synth: its statements, or why it could not be read. */
export type ReadPolicy = { readonly statements: readonly ReadStatement[] } | { readonly unreadable: string };

/** Where each resource type keeps its policies, and whether they are resource policies (with principals). */
export const POLICY_ATTRIBUTES: Readonly<Record<string, { readonly attributes: readonly string[]; readonly resourcePolicy: boolean }>> = {
  aws_iam_policy: { attributes: ['policy'], resourcePolicy: false },
  aws_iam_role_policy: { attributes: ['policy'], resourcePolicy: false },
  aws_iam_user_policy: { attributes: ['policy'], resourcePolicy: false },
  aws_iam_group_policy: { attributes: ['policy'], resourcePolicy: false },
  aws_iam_role: { attributes: ['assume_role_policy', 'inline_policy.policy'], resourcePolicy: false },
  aws_organizations_policy: { attributes: ['content'], resourcePolicy: false },
  aws_s3_bucket_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_kms_key: { attributes: ['policy'], resourcePolicy: true },
  aws_kms_key_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_sns_topic: { attributes: ['policy'], resourcePolicy: true },
  aws_sns_topic_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_sqs_queue: { attributes: ['policy'], resourcePolicy: true },
  aws_sqs_queue_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_cloudwatch_event_bus_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_cloudwatch_log_resource_policy: { attributes: ['policy_document'], resourcePolicy: true },
  aws_ecr_repository_policy: { attributes: ['policy'], resourcePolicy: true },
  aws_secretsmanager_secret_policy: { attributes: ['policy'], resourcePolicy: true },
};

const asList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/** The values of an attribute path (`inline_policy.policy` reads the attribute of every block). */
export function attributeValues(config: Record<string, unknown>, attributePath: string): unknown[] {
  const [head, ...rest] = attributePath.split('.');
  const value = config[head];
  if (rest.length === 0) return value === undefined ? [] : [value];
  return blocks(value).flatMap((inner) => attributeValues(inner, rest.join('.')));
}

/**
 * Reads a policy as synthesized: JSON text (references inside its strings are kept as text, which is enough to
 * read effects, principals, actions and condition keys), or a reference to an `aws_iam_policy_document` data source,
 * whose statements are read from its blocks. Anything else (a `jsonencode(...)` expression, a reference to another
 * stack) cannot be judged at synth and is reported as unreadable.
 */
export function readPolicy(value: unknown, stack: StackResources, seen: ReadonlySet<string> = new Set()): ReadPolicy {
  if (value !== null && typeof value === 'object') return { statements: jsonStatements(value) };
  if (typeof value !== 'string') return { unreadable: `expected a policy document, got ${JSON.stringify(value)}` };
  const reference = parseReference(value);
  if (reference) {
    const target = stack.get(reference.address);
    if (!target || target.type !== 'aws_iam_policy_document' || !target.isDataSource || reference.attribute !== 'json') {
      return { unreadable: `it is ${value}, which is not a policy-document data source of this stack` };
    }
    if (seen.has(target.address)) return { unreadable: `${target.address} includes itself` };
    return documentDataSource(target, stack, new Set([...seen, target.address]));
  }
  try {
    return { statements: jsonStatements(JSON.parse(value)) };
  } catch {
    return { unreadable: `it is not JSON text (${value.length > 60 ? `${value.slice(0, 57)}...` : value})` };
  }
}

function jsonStatements(document: unknown): ReadStatement[] {
  const statement = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return list.map((raw: Record<string, unknown>): ReadStatement => {
    const principal = raw.Principal ?? raw.NotPrincipal;
    const principals: Record<string, string[]> =
      principal === '*' ? { '*': ['*'] } : Object.fromEntries(Object.entries((principal as Record<string, unknown>) ?? {}).map(([kind, ids]) => [kind, asList(ids)]));
    const conditions = Object.entries((raw.Condition as Record<string, Record<string, unknown>>) ?? {}).flatMap(([operator, byKey]) =>
      Object.entries(byKey ?? {}).map(([key, values]) => ({ operator, key, values: asList(values) })),
    );
    return {
      sid: raw.Sid as string | undefined,
      effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
      principals,
      hasPrincipal: principal !== undefined,
      actions: asList(raw.Action),
      notActions: asList(raw.NotAction),
      resources: asList(raw.Resource),
      notResources: asList(raw.NotResource),
      conditions,
    };
  });
}

function documentDataSource(source: SynthesizedResource, stack: StackResources, seen: ReadonlySet<string>): ReadPolicy {
  const included: ReadStatement[] = [];
  for (const attribute of ['source_policy_documents', 'override_policy_documents']) {
    for (const document of asList(source.config[attribute])) {
      const read = readPolicy(document, stack, seen);
      if ('unreadable' in read) return read;
      included.push(...read.statements);
    }
  }
  const own = blocks(source.config.statement).map((raw): ReadStatement => {
    const principalBlocks = blocks(raw.principals ?? raw.not_principals);
    const principals: Record<string, string[]> = {};
    for (const principal of principalBlocks) {
      const kind = String(principal.type);
      principals[kind] = [...(principals[kind] ?? []), ...asList(principal.identifiers)];
    }
    if (principals['*']) principals['*'] = ['*'];
    return {
      sid: raw.sid as string | undefined,
      effect: raw.effect === 'Deny' ? 'Deny' : 'Allow',
      principals,
      hasPrincipal: principalBlocks.length > 0,
      actions: asList(raw.actions),
      notActions: asList(raw.not_actions),
      resources: asList(raw.resources),
      notResources: asList(raw.not_resources),
      conditions: blocks(raw.condition).map((condition) => ({
        operator: String(condition.test),
        key: String(condition.variable),
        values: asList(condition.values),
      })),
    };
  });
  return { statements: [...included, ...own] };
}
