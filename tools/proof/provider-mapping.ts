/*
 * Maps a synthesized stack (written for hashicorp/aws 6.x) onto hashicorp/aws 5.100.0, the provider the offline
 * mirror of these machines holds, so that real Terraform can validate and apply it. The stacks are never changed for
 * 5.100: this mapping is applied to a copy in a temporary directory, and every attribute it drops or changes is
 * reported, so nobody mistakes a 5.100 result for a proof of what the mapping hid.
 *
 * What 6.x has and 5.100 lacks, and how it is mapped:
 * - per-resource `region` ("enhanced region support"): one provider alias per region (`aws.<region>`), the block's
 *   `provider` set to it; the import ID's `@<region>` suffix (6.x) is dropped, the import block gets the provider;
 * - `for_each` over a literal set of regions with `region = each.value`: one block per region (the provider cannot be
 *   chosen per instance), references `x.name["<region>"]` rewritten, `depends_on` on the whole block expanded;
 * - attributes 5.100 does not know (ATTRIBUTE_MAPPINGS): dropped or replaced by the nearest 5.100 value.
 */

/** A Terraform JSON document (cdk.tf.json). */
export type TerraformJson = Record<string, unknown>;
type Block = Record<string, unknown>;

/** One attribute the mapping dropped or changed, for the output and the documentation. */
export interface MappedAttribute {
  /** `resource.<type>.<name>`, `data.<type>.<name>`, `import[<to>]` or `terraform`. */
  readonly address: string;
  /** The resource or data source type, or `terraform` / `import`. */
  readonly type: string;
  readonly attribute: string;
  /** What was done, e.g. `dropped (6.x only)` or `"nodejs24.x" -> "nodejs22.x"`. */
  readonly change: string;
}

export interface ProviderMappingResult {
  readonly stack: TerraformJson;
  readonly mapped: MappedAttribute[];
}

export const TARGET_PROVIDER_VERSION = '5.100.0';

/** 6.x-only attribute values and what 5.100 gets instead; `undefined` drops the attribute. */
interface AttributeMapping {
  readonly type: string;
  /** Path below the block; `[]` in a path walks every element of a list (cdktf writes nested blocks as lists or objects). */
  readonly path: readonly string[];
  readonly map: (value: unknown) => { value: unknown; change: string } | undefined;
  readonly why: string;
}

/** Advanced event selector fields hashicorp/aws accepts from 6.x on (hashicorp/terraform-provider-aws#43091). */
const NEWER_SELECTOR_FIELDS: readonly string[] = ['errorCode', 'vpcEndpointId', 'eventType', 'sessionCredentialFromConsole'];

export const ATTRIBUTE_MAPPINGS: readonly AttributeMapping[] = [
  {
    type: 'aws_s3_bucket_server_side_encryption_configuration',
    path: ['rule', 'blocked_encryption_types'],
    map: () => ({ value: undefined, change: 'dropped (6.x only)' }),
    why: 'S3 blocked encryption types (SSE-C refused) are an argument of provider 6.x only',
  },
  {
    type: 'aws_lambda_function',
    path: ['runtime'],
    map: (value) =>
      value === 'nodejs24.x' ? { value: 'nodejs22.x', change: '"nodejs24.x" -> "nodejs22.x"' } : undefined,
    why: 'provider 5.100 validates runtimes against a list that predates nodejs24.x',
  },
  {
    type: 'aws_accessanalyzer_analyzer',
    path: ['configuration', 'internal_access'],
    map: () => ({ value: undefined, change: 'dropped (6.x only)' }),
    why: 'the internal access analyzer configuration is an argument of provider 6.x only',
  },
  {
    type: 'aws_accessanalyzer_analyzer',
    path: ['type'],
    map: (value) =>
      typeof value === 'string' && value.endsWith('_INTERNAL_ACCESS')
        ? { value: value.replace(/_INTERNAL_ACCESS$/, ''), change: `"${value}" -> "${value.replace(/_INTERNAL_ACCESS$/, '')}"` }
        : undefined,
    why: 'provider 5.100 validates analyzer types against a list that predates internal access analyzers',
  },
  {
    type: 'aws_cloudtrail',
    path: ['advanced_event_selector', 'field_selector'],
    map: (value) => {
      if (!Array.isArray(value)) return undefined;
      const kept = value.filter((selector) => !NEWER_SELECTOR_FIELDS.includes((selector as Block).field as string));
      if (kept.length === value.length) return undefined;
      const dropped = value.filter((selector) => !kept.includes(selector)).map((selector) => (selector as Block).field);
      return { value: kept, change: `field selector ${dropped.join(', ')} dropped (6.x only)` };
    },
    why: 'provider 5.100 validates field names against a list that predates errorCode and vpcEndpointId (network activity events; hashicorp/terraform-provider-aws#43091, in 6.x)',
  },
  {
    type: 'aws_ce_anomaly_monitor',
    path: ['monitor_dimension'],
    map: (value) =>
      typeof value === 'string' && value !== 'SERVICE'
        ? { value: 'SERVICE', change: `"${value}" -> "SERVICE" (NOT PROVEN: whether 6.x accepts it)` }
        : undefined,
    why: "provider 5.100 accepts only SERVICE (its SDK's MonitorDimension enum); the Cost Explorer API has more dimensions, and hashicorp/terraform-provider-aws#46767 asks for LINKED_ACCOUNT",
  },
];

const REGION_LITERAL = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** The alias of the provider configuration for a region: Terraform identifiers may not start with a digit. */
export function regionAlias(region: string): string {
  return region.replace(/-/g, '_');
}

/** Maps one synthesized stack onto provider 5.100; throws when the stack uses a 6.x feature the mapping cannot express. */
export function mapToProvider5(input: TerraformJson): ProviderMappingResult {
  const stack = structuredClone(input) as TerraformJson;
  const mapped: MappedAttribute[] = [];

  pinProviderVersion(stack, mapped);
  const defaultProvider = ((stack.provider as Record<string, Block[]> | undefined)?.aws ?? []).find((provider) => provider.alias === undefined);
  if (!defaultProvider || typeof defaultProvider.region !== 'string') {
    throw new Error('the stack has no default aws provider with a literal region');
  }
  const defaultRegion = defaultProvider.region;

  expandRegionForEach(stack, mapped);
  const aliasOf = moveRegionsToProviders(stack, defaultRegion, mapped);
  mapImports(stack, aliasOf, mapped);
  mapAttributes(stack, mapped);

  // Read again: the reference rewrite above replaced the top-level sections with copies.
  const aliased = (stack.provider as Record<string, Block[]>).aws;
  const regions = [...new Set(aliasOf.values())].sort();
  for (const region of regions) {
    const { alias: _alias, region: _region, ...settings } = defaultProvider;
    aliased.push({ alias: regionAlias(region), ...settings, region });
  }
  return { stack, mapped };
}

function pinProviderVersion(stack: TerraformJson, mapped: MappedAttribute[]): void {
  const aws = ((stack.terraform as Block | undefined)?.required_providers as Record<string, Block> | undefined)?.aws;
  if (!aws) return;
  if (aws.version !== TARGET_PROVIDER_VERSION) {
    mapped.push({
      address: 'terraform',
      type: 'terraform',
      attribute: 'required_providers.aws.version',
      change: `${JSON.stringify(aws.version)} -> "${TARGET_PROVIDER_VERSION}"`,
    });
    aws.version = TARGET_PROVIDER_VERSION;
  }
}

/** Every resource and data block of the stack, with its kind (`resource` / `data`), type and name. */
function* blocksOf(stack: TerraformJson): Generator<{ kind: 'resource' | 'data'; type: string; name: string; block: Block }> {
  for (const kind of ['resource', 'data'] as const) {
    const byType = (stack[kind] ?? {}) as Record<string, Record<string, Block>>;
    for (const type of Object.keys(byType)) {
      for (const name of Object.keys(byType[type])) yield { kind, type, name, block: byType[type][name] };
    }
  }
}

/** The address as used in expressions: `type.name` for resources, `data.type.name` for data sources. */
function referenceOf(kind: 'resource' | 'data', type: string, name: string): string {
  return kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
}

/** The regions of `for_each = toset(["a", "b"])`, or undefined when the set is not a literal list of regions. */
export function literalRegionSet(forEach: unknown): string[] | undefined {
  if (typeof forEach !== 'string') return undefined;
  const match = /^\$\{toset\((\[[^\]]*\])\)\}$/.exec(forEach.trim());
  if (!match) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(match[1]);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string' && REGION_LITERAL.test(value))) return undefined;
  return values as string[];
}

const EACH_REGION = /^\$\{each\.(?:value|key)\}$/;

function expandRegionForEach(stack: TerraformJson, mapped: MappedAttribute[]): void {
  const expansions = new Map<string, Map<string, string>>(); // reference -> region -> new reference
  for (const { kind, type, name, block } of [...blocksOf(stack)]) {
    if (typeof block.region !== 'string' || !EACH_REGION.test(block.region)) continue;
    const regions = literalRegionSet(block.for_each);
    const address = `${kind}.${type}.${name}`;
    if (!regions) {
      throw new Error(`${address}: region = ${block.region} over a for_each that is not a literal set of regions (${JSON.stringify(block.for_each)}); provider 5.100 cannot select a provider per instance`);
    }
    const byType = (stack[kind] as Record<string, Record<string, Block>>)[type];
    delete byType[name];
    const perRegion = new Map<string, string>();
    for (const region of regions) {
      const { for_each: _forEach, ...body } = block;
      const expandedName = `${name}_${regionAlias(region)}`;
      byType[expandedName] = substituteEach(body, region) as Block;
      perRegion.set(region, referenceOf(kind, type, expandedName));
    }
    expansions.set(referenceOf(kind, type, name), perRegion);
    mapped.push({ address, type, attribute: 'for_each', change: `expanded into one block per region: ${regions.join(', ')}` });
  }
  if (expansions.size > 0) rewriteReferences(stack, expansions);
}

function substituteEach(value: unknown, region: string): unknown {
  if (typeof value === 'string') {
    if (EACH_REGION.test(value)) return region;
    return value.replace(/\beach\.(?:value|key)\b/g, JSON.stringify(region));
  }
  if (Array.isArray(value)) return value.map((item) => substituteEach(item, region));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEach(item, region)]));
  }
  return value;
}

/** Rewrites `x.name["region"]` to the expanded block, expands `depends_on` entries, and refuses any other reference. */
function rewriteReferences(stack: TerraformJson, expansions: Map<string, Map<string, string>>): void {
  const rewrite = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      let result = value;
      for (const [reference, perRegion] of expansions) {
        for (const [region, expanded] of perRegion) {
          result = result.split(`${reference}["${region}"]`).join(expanded);
          result = result.split(`${reference}[\\"${region}\\"]`).join(expanded);
        }
        const rest = new RegExp(`${escapeRegExp(reference)}(?![\\w-])`);
        if (rest.test(result)) {
          throw new Error(`cannot map the reference to ${reference} in ${JSON.stringify(value)}: only ${reference}["<region>"] and depends_on can follow its expansion`);
        }
      }
      return result;
    }
    if (Array.isArray(value)) {
      if (key === 'depends_on') {
        return value.flatMap((item) => (typeof item === 'string' && expansions.has(item) ? [...expansions.get(item)!.values()] : [rewrite(item)]));
      }
      return value.map((item) => rewrite(item));
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([childKey, item]) => [childKey, rewrite(item, childKey)]));
    }
    return value;
  };
  for (const key of Object.keys(stack)) {
    if (key === '//') continue;
    stack[key] = rewrite(stack[key], key);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Moves each literal `region` onto a provider alias; returns the region of every block that now has an alias. */
function moveRegionsToProviders(stack: TerraformJson, defaultRegion: string, mapped: MappedAttribute[]): Map<string, string> {
  const aliasOf = new Map<string, string>(); // resource reference -> region
  for (const { kind, type, name, block } of blocksOf(stack)) {
    if (block.region === undefined) continue;
    const address = `${kind}.${type}.${name}`;
    if (typeof block.region !== 'string' || !REGION_LITERAL.test(block.region)) {
      throw new Error(`${address}: region ${JSON.stringify(block.region)} is not a literal region; provider 5.100 needs one provider per region`);
    }
    if (block.provider !== undefined) throw new Error(`${address}: has both region and provider ${JSON.stringify(block.provider)}`);
    const region = block.region;
    delete block.region;
    if (region === defaultRegion) {
      mapped.push({ address, type, attribute: 'region', change: `dropped (the provider's own region, ${region})` });
      continue;
    }
    block.provider = `aws.${regionAlias(region)}`;
    aliasOf.set(referenceOf(kind, type, name), region);
    mapped.push({ address, type, attribute: 'region', change: `-> provider = aws.${regionAlias(region)}` });
  }
  return aliasOf;
}

/** 6.x import IDs of regional resources end in `@<region>`; 5.100 takes the bare ID through the aliased provider. */
function mapImports(stack: TerraformJson, aliasOf: Map<string, string>, mapped: MappedAttribute[]): void {
  const imports = (stack.import ?? []) as Block[];
  const regionOf = (to: string) => aliasOf.get(to);
  for (const block of imports) {
    const to = String(block.to);
    const id = block.id;
    const region = regionOf(to);
    const suffix = typeof id === 'string' ? /@([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(id) : null;
    if (suffix) {
      block.id = (id as string).slice(0, -suffix[0].length);
      mapped.push({ address: `import[${to}]`, type: 'import', attribute: 'id', change: `"@${suffix[1]}" suffix dropped` });
      if (region !== undefined && region !== suffix[1]) {
        throw new Error(`import[${to}]: the ID names ${suffix[1]} but the resource is in ${region}`);
      }
    }
    if (region !== undefined) block.provider = `aws.${regionAlias(region)}`;
  }
}

function mapAttributes(stack: TerraformJson, mapped: MappedAttribute[]): void {
  for (const { kind, type, name, block } of blocksOf(stack)) {
    if (kind !== 'resource') continue;
    for (const mapping of ATTRIBUTE_MAPPINGS) {
      if (mapping.type !== type) continue;
      applyAtPath(block, mapping.path, (value) => {
        const result = mapping.map(value);
        if (result) {
          mapped.push({ address: `resource.${type}.${name}`, type, attribute: mapping.path.join('.'), change: result.change });
        }
        return result;
      });
    }
  }
}

/** Walks `path` (through lists and objects) and replaces or deletes the value at its end. */
function applyAtPath(
  node: unknown,
  path: readonly string[],
  replace: (value: unknown) => { value: unknown } | undefined,
): void {
  if (Array.isArray(node)) {
    for (const item of node) applyAtPath(item, path, replace);
    return;
  }
  if (!node || typeof node !== 'object' || path.length === 0) return;
  const record = node as Block;
  const [head, ...rest] = path;
  if (!(head in record)) return;
  if (rest.length > 0) {
    applyAtPath(record[head], rest, replace);
    return;
  }
  const result = replace(record[head]);
  if (!result) return;
  if (result.value === undefined) delete record[head];
  else record[head] = result.value;
}

/**
 * The lines the tools print: per-resource regions folded into one line (how many blocks went to which alias), every
 * other change once per type, attribute and change, with its count; sorted.
 */
export function summarizeMapping(mapped: readonly MappedAttribute[]): string[] {
  const lines: string[] = [];
  const regional = mapped.filter((entry) => entry.attribute === 'region');
  if (regional.length > 0) {
    const aliases = [...new Set(regional.map((entry) => /aws\.([a-z0-9_]+)$/.exec(entry.change)?.[0]).filter((alias) => alias !== undefined))].sort();
    const moved = regional.filter((entry) => entry.change.startsWith('->')).length;
    lines.push(
      `region (per-resource, 6.x): ${moved} block(s) -> provider ${aliases.length > 0 ? aliases.join(', ') : '(none)'}; ${regional.length - moved} in the provider's own region, attribute dropped`,
    );
  }
  const counts = new Map<string, number>();
  for (const entry of mapped) {
    if (entry.attribute === 'region') continue;
    const change = entry.change.replace(/per region: .*$/, 'per region').replace(/"@[a-z0-9-]+" suffix/, '"@<region>" suffix');
    const key = `${entry.type}.${entry.attribute}: ${change}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rest = [...counts.entries()].map(([key, count]) => (count > 1 ? `${key} (x${count})` : key));
  return [...lines, ...rest.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
}
