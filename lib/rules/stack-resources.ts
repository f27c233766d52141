/** One resource (or data source) of a synthesized stack, with its Terraform address and construct path. */
export interface SynthesizedResource {
  /** `aws_s3_bucket.LogBucket_Bucket_1A2B3C4D`, or `data.aws_iam_policy_document.…` for a data source. */
  readonly address: string;
  /** The Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  readonly logicalId: string;
  /** Path of the construct that defines the resource, e.g. `log-archive/LogBucket/Bucket`. */
  readonly constructPath: string;
  /** The resource's arguments, with references as Terraform interpolations (`${aws_kms_key.Key.arn}`). */
  readonly config: Record<string, unknown>;
  readonly isDataSource: boolean;
}

type TerraformBlocks = Record<string, Record<string, Record<string, unknown>>>;

/** The parts of a synthesized stack's Terraform JSON the rules read. */
export interface TerraformJson {
  readonly resource?: TerraformBlocks;
  readonly data?: TerraformBlocks;
  readonly [key: string]: unknown;
}

const REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** A Terraform reference `${<address>.<attribute>}` taken apart, or undefined for anything else. */
export function parseReference(value: unknown): { address: string; attribute: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = REFERENCE.exec(value);
  return match ? { address: match[1], attribute: match[2] } : undefined;
}

/**
 * The resources of one synthesized stack, indexed by address, with the relations the rules need: which resources
 * point at a given one, by a reference (`${aws_s3_bucket.X.id}`) or by the literal name the target was given.
 */
export class StackResources {
  private readonly byAddress = new Map<string, SynthesizedResource>();
  /** Sorted once, and by type once: every rule asks for its types, and a synth asks thousands of times. */
  private sorted: readonly SynthesizedResource[] | undefined;
  private byType: Map<string, SynthesizedResource[]> | undefined;
  /** The tags the stack's AWS provider adds to every taggable resource (`default_tags`). */
  readonly defaultTags: Readonly<Record<string, string>>;

  constructor(readonly stackName: string, json: TerraformJson) {
    const providers = (json.provider as { aws?: Array<{ default_tags?: Array<{ tags?: Record<string, string> }> }> } | undefined)?.aws ?? [];
    this.defaultTags = Object.assign({}, ...providers.flatMap((provider) => (provider.default_tags ?? []).map((block) => block.tags ?? {})));
    // The state backend, judged like a resource of type `terraform.backend.<type>` and reported on the stack itself.
    const backends = ((json.terraform as { backend?: Record<string, Record<string, unknown>> } | undefined)?.backend ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, config] of Object.entries(backends)) {
      const address = `terraform.backend.${type}`;
      this.byAddress.set(address, { address, type: address, logicalId: type, constructPath: stackName, config, isDataSource: false });
    }
    for (const [blocks, isDataSource] of [
      [json.resource, false],
      [json.data, true],
    ] as const) {
      for (const [type, byId] of Object.entries(blocks ?? {})) {
        for (const [logicalId, body] of Object.entries(byId)) {
          const { '//': comment, ...config } = body;
          const address = `${isDataSource ? 'data.' : ''}${type}.${logicalId}`;
          const metadata = (comment as { metadata?: { path?: string } } | undefined)?.metadata;
          this.byAddress.set(address, {
            address,
            type,
            logicalId,
            constructPath: metadata?.path ?? `${stackName}/${logicalId}`,
            config,
            isDataSource,
          });
        }
      }
    }
  }

  /** Every resource and data source, in address order. */
  all(): SynthesizedResource[] {
    this.sorted ??= [...this.byAddress.values()].sort((a, b) => a.address.localeCompare(b.address));
    return [...this.sorted];
  }

  get(address: string): SynthesizedResource | undefined {
    return this.byAddress.get(address);
  }

  /** Resources of a type (`data.<type>` for data sources). */
  ofType(type: string): SynthesizedResource[] {
    if (!this.byType) {
      this.byType = new Map();
      for (const resource of this.all()) {
        const key = resource.isDataSource ? `data.${resource.type}` : resource.type;
        let list = this.byType.get(key);
        if (!list) this.byType.set(key, (list = []));
        list.push(resource);
      }
    }
    return [...(this.byType.get(type) ?? [])];
  }

  /**
   * Resources of `type` whose `attribute` designates `target`: a reference to one of the target's attributes, or
   * one of the literal values the target carries in `targetNameAttributes` (a bucket's `bucket`, a function's
   * `function_name`).
   */
  pointingAt(type: string, attribute: string, target: SynthesizedResource, targetNameAttributes: readonly string[] = []): SynthesizedResource[] {
    const names = targetNameAttributes.map((name) => target.config[name]).filter((value): value is string => typeof value === 'string');
    return this.ofType(type).filter((resource) => designates(resource.config[attribute], target, names));
  }
}

/** Whether a value names the target: a reference to it, or one of its literal names (or ARNs ending in one). */
export function designates(value: unknown, target: SynthesizedResource, names: readonly string[] = []): boolean {
  const reference = parseReference(value);
  if (reference) return reference.address === target.address;
  if (typeof value !== 'string') return false;
  return names.some((name) => !name.includes('${') && (value === name || value.endsWith(`:${name}`)));
}

/** A nested block as cdktf writes it: an object, or a list of objects (first taken). */
export function block(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return block(value[0]);
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** Every object of a repeated block. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap((item) => blocks(item));
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}
