import { parseCidr } from '../network';

/*
 * The mass-download rule's runtime settings (part of settings.json, validated at cold start with the rest). Present
 * means the rule is on: the stack writes them only when `detector.rules.massDownload` is true, together with the state
 * table the rule needs.
 */

/** Thresholds of one monitored bucket, over the rule's defaults. */
export interface MassDownloadBucketSettings {
  readonly name: string;
  /** Reads in one window that fire, whatever the bucket's size. */
  readonly readThreshold?: number;
  /** The bucket's object count, for the share threshold; without it only the count threshold applies. */
  readonly objectCount?: number;
}

/** Who is counted but never fires: every part given must match (principal and network, when both are). */
export interface MassDownloadExemption {
  /** Same forms as authorizedPrincipals (role names, role or user ARNs, account ids, globs). */
  readonly principals?: readonly string[];
  /** IPv4 or IPv6 networks, judged like authorizedCidrs (an address through someone else's VPC endpoint is not ours). */
  readonly cidrs?: readonly string[];
  readonly vpcEndpoints?: readonly string[];
}

export interface MassDownloadSettings {
  /** The sliding window, in seconds: a multiple of SLOTS_PER_WINDOW (the window moves a tenth at a time). */
  readonly windowSeconds: number;
  /** Reads of one bucket by one principal within a window that fire. */
  readonly readThreshold: number;
  /** Share of the bucket's objects (percent) read within a window that fires, when the object count is known. */
  readonly sharePercent: number;
  /** Fewer reads than this never fire by share: a handful of reads of a tiny bucket is not a sync. */
  readonly minimumReadsForShare: number;
  readonly buckets: readonly MassDownloadBucketSettings[];
  readonly exemptions: readonly MassDownloadExemption[];
}

/** The window moves by this fraction of itself: counts are kept per slot of windowSeconds / SLOTS_PER_WINDOW. */
export const SLOTS_PER_WINDOW = 10;

const KEYS = ['windowSeconds', 'readThreshold', 'sharePercent', 'minimumReadsForShare', 'buckets', 'exemptions'];

type Problem = (path: string, value: unknown, expected: string) => void;

/** Validates settings.massDownload; undefined when absent (the rule is off) or invalid (problems go to `report`). */
export function parseMassDownloadSettings(value: unknown, report: Problem): MassDownloadSettings | undefined {
  if (value === undefined) return undefined;
  let valid = true;
  const problem: Problem = (path, item, expected) => {
    valid = false;
    report(path, item, expected);
  };
  const path = 'settings.massDownload';
  if (!isObject(value)) {
    problem(path, value, 'an object { windowSeconds, readThreshold, sharePercent, minimumReadsForShare, buckets, exemptions }');
    return undefined;
  }
  for (const key of Object.keys(value)) if (!KEYS.includes(key)) problem(`${path}.${key}`, value[key], `one of ${KEYS.join(', ')}`);
  const integer = (at: string, item: unknown, min: number, max: number) => {
    if (!Number.isInteger(item) || (item as number) < min || (item as number) > max) problem(at, item, `a whole number from ${min} to ${max}`);
  };
  integer(`${path}.windowSeconds`, value.windowSeconds, SLOTS_PER_WINDOW, 86_400);
  if (Number.isInteger(value.windowSeconds) && (value.windowSeconds as number) % SLOTS_PER_WINDOW !== 0) {
    problem(`${path}.windowSeconds`, value.windowSeconds, `a multiple of ${SLOTS_PER_WINDOW} seconds`);
  }
  integer(`${path}.readThreshold`, value.readThreshold, 1, 10_000_000);
  integer(`${path}.sharePercent`, value.sharePercent, 1, 100);
  integer(`${path}.minimumReadsForShare`, value.minimumReadsForShare, 1, 10_000_000);

  if (!Array.isArray(value.buckets)) problem(`${path}.buckets`, value.buckets, 'an array of { name, readThreshold?, objectCount? }');
  else {
    value.buckets.forEach((bucket: unknown, index: number) => {
      const at = `${path}.buckets[${index}]`;
      if (!isObject(bucket) || typeof bucket.name !== 'string' || bucket.name.length === 0) {
        problem(at, bucket, 'an object { name, readThreshold?, objectCount? }');
        return;
      }
      if (bucket.readThreshold !== undefined) integer(`${at}.readThreshold`, bucket.readThreshold, 1, 10_000_000);
      if (bucket.objectCount !== undefined) integer(`${at}.objectCount`, bucket.objectCount, 1, Number.MAX_SAFE_INTEGER);
      for (const key of Object.keys(bucket)) {
        if (!['name', 'readThreshold', 'objectCount'].includes(key)) problem(`${at}.${key}`, bucket[key], 'one of name, readThreshold, objectCount');
      }
    });
  }

  if (!Array.isArray(value.exemptions)) problem(`${path}.exemptions`, value.exemptions, 'an array of { principals?, cidrs?, vpcEndpoints? }');
  else {
    value.exemptions.forEach((exemption: unknown, index: number) => {
      const at = `${path}.exemptions[${index}]`;
      if (!isObject(exemption)) {
        problem(at, exemption, 'an object { principals?, cidrs?, vpcEndpoints? }');
        return;
      }
      const list = (key: string, check: (item: string) => boolean, expected: string) => {
        const items = exemption[key];
        if (items === undefined) return;
        if (!Array.isArray(items) || items.length === 0) {
          problem(`${at}.${key}`, items, `a non-empty array of ${expected}`);
          return;
        }
        items.forEach((item: unknown, position: number) => {
          if (typeof item !== 'string' || !check(item)) problem(`${at}.${key}[${position}]`, item, expected);
        });
      };
      list('principals', (item) => item.length > 0, 'principals (role names, role or user ARNs, account ids)');
      list('cidrs', (item) => parseCidr(item) !== undefined, 'IPv4 or IPv6 CIDRs such as "10.20.0.0/16"');
      list('vpcEndpoints', (item) => /^vpce-[0-9a-f]{8,17}$/.test(item), 'VPC endpoint ids such as "vpce-0abc1234"');
      if (exemption.principals === undefined && exemption.cidrs === undefined && exemption.vpcEndpoints === undefined) {
        problem(at, exemption, 'at least one of principals, cidrs, vpcEndpoints');
      }
      for (const key of Object.keys(exemption)) {
        if (!['principals', 'cidrs', 'vpcEndpoints'].includes(key)) problem(`${at}.${key}`, exemption[key], 'one of principals, cidrs, vpcEndpoints');
      }
    });
  }
  return valid ? (value as unknown as MassDownloadSettings) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
