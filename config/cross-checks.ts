import * as z from 'zod';
import type { ConfigProblem } from './problems';
import { baselineConfigSchema, monitoredBucket } from './schema';

/*
 * Rules that relate one part of the configuration to another. Each rule reads only the sections it needs, each
 * section parsed on its own, so that these problems are reported together with shape problems elsewhere in the file.
 */

type Sections = typeof baselineConfigSchema.shape;
type Parsed<K extends keyof Sections> = z.output<Sections[K]>;

function section<K extends keyof Sections>(raw: Record<string, unknown>, key: K): Parsed<K> | undefined {
  return tolerantParse(baselineConfigSchema.shape[key], raw[key]) as Parsed<K> | undefined;
}

/**
 * Parses a value, leaving out unknown keys (reported elsewhere) so that a typo in one key does not hide the
 * cross-field problems of its section. Any other shape problem leaves the section out of these rules.
 */
function tolerantParse(schema: z.ZodType, value: unknown): unknown {
  let candidate = structuredClone(value);
  for (let attempt = 0; attempt < 8; attempt++) {
    const result = schema.safeParse(candidate);
    if (result.success) return result.data;
    if (!result.error.issues.every((issue) => issue.code === 'unrecognized_keys')) return undefined;
    for (const issue of result.error.issues) {
      const parent = issue.path.reduce<any>((node, part) => node?.[part as string | number], candidate);
      for (const key of (issue as z.core.$ZodIssueUnrecognizedKeys).keys) delete parent?.[key];
    }
  }
  return undefined;
}

function duplicates<T>(values: readonly T[]): Set<number> {
  const seen = new Map<T, number>();
  const repeated = new Set<number>();
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.add(index);
    else seen.set(value, index);
  });
  return repeated;
}

export function crossFieldProblems(raw: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const accounts = section(raw, 'accounts');
  const regions = section(raw, 'regions');

  const accountEntries = accounts
    ? [
        { path: ['accounts', 'management'], account: accounts.management },
        { path: ['accounts', 'logArchive'], account: accounts.logArchive },
        { path: ['accounts', 'security'], account: accounts.security },
        ...accounts.members.map((account, index) => ({ path: ['accounts', 'members', index], account })),
      ]
    : [];
  const accountNames = new Set(accountEntries.map((entry) => entry.account.name));

  for (const field of ['id', 'name'] as const) {
    const repeated = duplicates(accountEntries.map((entry) => entry.account[field]));
    for (const index of repeated) {
      const entry = accountEntries[index];
      problems.push({
        path: [...entry.path, field],
        value: entry.account[field],
        expected: `expected an account ${field} no other account has`,
      });
    }
  }

  if (regions) {
    for (const index of duplicates(regions.enabled)) {
      problems.push({
        path: ['regions', 'enabled', index],
        value: regions.enabled[index],
        expected: 'expected each region once',
      });
    }
    if (!regions.enabled.includes(regions.home)) {
      problems.push({
        path: ['regions', 'home'],
        value: regions.home,
        expected: `expected one of the enabled regions (${regions.enabled.join(', ')})`,
      });
    }
  }

  const notifications = section(raw, 'notifications');
  if (notifications && notifications.emails.length + notifications.httpsEndpoints.length === 0) {
    problems.push({
      path: ['notifications'],
      value: raw.notifications,
      expected: 'expected at least one email or HTTPS endpoint: alarms must reach somebody',
    });
  }

  const logArchive = section(raw, 'logArchive');
  if (logArchive) {
    const { lifecycle, objectLock } = logArchive;
    if (lifecycle.glacierAfterDays <= lifecycle.infrequentAccessAfterDays) {
      problems.push({
        path: ['logArchive', 'lifecycle', 'glacierAfterDays'],
        value: lifecycle.glacierAfterDays,
        expected: `expected more than infrequentAccessAfterDays (${lifecycle.infrequentAccessAfterDays})`,
      });
    }
    if (lifecycle.expireAfterDays <= lifecycle.glacierAfterDays) {
      problems.push({
        path: ['logArchive', 'lifecycle', 'expireAfterDays'],
        value: lifecycle.expireAfterDays,
        expected: `expected more than the transition days (glacierAfterDays is ${lifecycle.glacierAfterDays}): logs must not expire before they are archived`,
      });
    }
    if (objectLock && objectLock.retentionDays > lifecycle.expireAfterDays) {
      problems.push({
        path: ['logArchive', 'objectLock', 'retentionDays'],
        value: objectLock.retentionDays,
        expected: `expected at most lifecycle.expireAfterDays (${lifecycle.expireAfterDays}): locked objects cannot expire`,
      });
    }
  }

  // Parsed apart from the rest of the detector section, so that a bad CIDR there does not hide these problems.
  const monitoredBuckets = tolerantParse(
    z.array(monitoredBucket),
    (raw.detector as Record<string, unknown> | undefined)?.monitoredBuckets ?? [],
  ) as z.output<typeof monitoredBucket>[] | undefined;
  if (monitoredBuckets) {
    monitoredBuckets.forEach((bucket, index) => {
      if (accounts && !accountNames.has(bucket.account)) {
        problems.push({
          path: ['detector', 'monitoredBuckets', index, 'account'],
          value: bucket.account,
          expected: `expected the name of an account (${[...accountNames].join(', ')})`,
        });
      }
      if (regions && !regions.enabled.includes(bucket.region)) {
        problems.push({
          path: ['detector', 'monitoredBuckets', index, 'region'],
          value: bucket.region,
          expected: `expected an enabled region (${regions.enabled.join(', ')})`,
        });
      }
    });
    for (const index of duplicates(monitoredBuckets.map((bucket) => bucket.name))) {
      problems.push({
        path: ['detector', 'monitoredBuckets', index, 'name'],
        value: monitoredBuckets[index].name,
        expected: 'expected each bucket once',
      });
    }
  }

  const guardrails = section(raw, 'guardrails');
  const allowed = guardrails?.regionDeny.allowedRegions;
  if (allowed && regions) {
    for (const enabled of regions.enabled) {
      if (!allowed.includes(enabled)) {
        problems.push({
          path: ['guardrails', 'regionDeny', 'allowedRegions'],
          value: allowed,
          expected: `expected every enabled region to be allowed; ${enabled} is missing`,
        });
      }
    }
  }

  const deployment = section(raw, 'deployment');
  if (deployment?.profiles && accounts) {
    for (const name of Object.keys(deployment.profiles)) {
      if (!accountNames.has(name)) {
        problems.push({
          path: ['deployment', 'profiles', name],
          value: deployment.profiles[name],
          expected: `expected keys that are account names (${[...accountNames].join(', ')})`,
        });
      }
    }
    for (const name of accountNames) {
      if (!(name in deployment.profiles)) {
        problems.push({
          path: ['deployment', 'profiles'],
          value: deployment.profiles,
          expected: `expected a profile for every account; "${name}" has none`,
        });
      }
    }
  }

  return problems;
}
