import * as z from 'zod';
import type { ConfigProblem } from './problems';
import { REGIONS_WITHOUT_GLOBAL_IAM_RECORDING } from './regions';
import { cisPattern, MAX_FILTER_PATTERN_LENGTH, withExclusions } from '../lib/monitoring/cis-filters';
import { managementWorkloadPatterns } from '../lib/monitoring/management-account-workloads';
import { dataPerimeter } from '../lib/guardrails/data-perimeter';
import { POLICY_MAX_CHARACTERS, policySize } from '../lib/guardrails/guardrail-policy';
import { drillProblems } from '../lib/detector/drill/drill-config-checks';
import { baselineConfigSchema, CIS_ALARM_IDS, detectorDrill, monitoredBucket } from './schema';

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

/** Guardrail targets and the data perimeter, against the organization and the monitored buckets. */
function guardrailProblems(
  guardrails: Parsed<'guardrails'>,
  organization: Parsed<'organization'> | undefined,
  monitoredBuckets: readonly z.output<typeof monitoredBucket>[] | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const index of duplicates(guardrails.targets)) {
    problems.push({ path: ['guardrails', 'targets', index], value: guardrails.targets[index], expected: 'expected each target once' });
  }
  guardrails.targets.forEach((target, index) => {
    if (organization && target.startsWith('r-') && target !== organization.rootId) {
      problems.push({
        path: ['guardrails', 'targets', index],
        value: target,
        expected: `expected the organization root (${organization.rootId}) or an organizational unit ("ou-…")`,
      });
    }
  });
  const allowed = guardrails.regionDeny.allowedRegions ?? [];
  for (const index of duplicates(allowed)) {
    problems.push({ path: ['guardrails', 'regionDeny', 'allowedRegions', index], value: allowed[index], expected: 'expected each region once' });
  }

  const perimeter = guardrails.dataPerimeter;
  if (perimeter.enabled && monitoredBuckets && monitoredBuckets.length > 0) {
    if (perimeter.allowedCidrs.length + perimeter.allowedVpcIds.length === 0) {
      problems.push({
        path: ['guardrails', 'dataPerimeter'],
        value: { allowedCidrs: [], allowedVpcIds: [] },
        expected:
          'expected at least one allowedCidrs or allowedVpcIds entry: with none, the data perimeter would deny every request to the monitored buckets',
      });
    } else if (organization) {
      const policy = dataPerimeter('', {
        organizationId: organization.id,
        monitoredBucketNames: monitoredBuckets.map((bucket) => bucket.name),
        allowedCidrs: perimeter.allowedCidrs,
        allowedVpcIds: perimeter.allowedVpcIds,
      });
      const size = policySize(policy.document);
      if (size > POLICY_MAX_CHARACTERS) {
        problems.push({
          path: ['guardrails', 'dataPerimeter'],
          value: { allowedCidrs: perimeter.allowedCidrs.length, allowedVpcIds: perimeter.allowedVpcIds.length, monitoredBuckets: monitoredBuckets.length },
          expected: `expected fewer CIDRs, VPCs or monitored buckets: the resource control policy would be ${size} characters, and AWS Organizations accepts at most ${POLICY_MAX_CHARACTERS}`,
        });
      }
    }
  }
  return problems;
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
    // S3 refuses a lifecycle rule that moves objects out of STANDARD_IA less than 30 days after moving them in.
    if (lifecycle.glacierAfterDays < lifecycle.infrequentAccessAfterDays + 30) {
      problems.push({
        path: ['logArchive', 'lifecycle', 'glacierAfterDays'],
        value: lifecycle.glacierAfterDays,
        expected: `expected at least 30 days more than infrequentAccessAfterDays (${lifecycle.infrequentAccessAfterDays}): S3 keeps objects in STANDARD_IA for 30 days before GLACIER`,
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

  const rawDetector = raw.detector as Record<string, unknown> | undefined;
  // The mass-download rule's per-bucket thresholds apply to monitored buckets only: any other name is a typo.
  const massDownloadBuckets = (rawDetector?.massDownload as Record<string, unknown> | undefined)?.buckets;
  if (monitoredBuckets && typeof massDownloadBuckets === 'object' && massDownloadBuckets !== null && !Array.isArray(massDownloadBuckets)) {
    const monitored = monitoredBuckets.map((bucket) => bucket.name);
    for (const name of Object.keys(massDownloadBuckets)) {
      if (!monitored.includes(name)) {
        problems.push({
          path: ['detector', 'massDownload', 'buckets', name],
          value: name,
          expected: `expected the name of a monitored bucket (${monitored.join(', ') || 'none is monitored'})`,
        });
      }
    }
  }
  problems.push(...drillProblems(tolerantParse(detectorDrill, rawDetector?.drill ?? {}) as z.output<typeof detectorDrill> | undefined, rawDetector?.enabled !== false, monitoredBuckets, accounts?.management.name));

  if (regions && REGIONS_WITHOUT_GLOBAL_IAM_RECORDING.includes(regions.home)) {
    problems.push({
      path: ['regions', 'home'],
      value: regions.home,
      expected: 'expected a region where AWS Config records IAM users, groups, roles and policies (one that had Config before February 2022)',
    });
  }

  const accountBaseline = section(raw, 'accountBaseline');
  const ebsKeyArn = accountBaseline?.ebsDefaultKmsKeyArn;
  if (ebsKeyArn && regions) {
    // A single-Region key serves only its own region; a multi-Region key ("mrk-") is used through its replicas.
    const keyRegion = ebsKeyArn.split(':')[3];
    if (!(regions.enabled as readonly string[]).includes(keyRegion)) {
      problems.push({
        path: ['accountBaseline', 'ebsDefaultKmsKeyArn'],
        value: ebsKeyArn,
        expected: `expected a key in an enabled region (${regions.enabled.join(', ')})`,
      });
    }
  }

  const trail = section(raw, 'trail');
  if (trail?.mode === 'data-events-only') {
    if (trail.insights) {
      problems.push({
        path: ['trail', 'insights'],
        value: true,
        expected: 'expected false when trail.mode is "data-events-only": CloudTrail Insights needs the trail to log management events',
      });
    }
    if (monitoredBuckets?.length === 0 && !trail.lambdaDataEvents) {
      problems.push({
        path: ['trail', 'mode'],
        value: trail.mode,
        expected:
          'expected "full", or monitored buckets (detector.monitoredBuckets) or trail.lambdaDataEvents: a data-events-only trail with no data events logs nothing',
      });
    }
  }

  const monitoring = section(raw, 'monitoring');
  if (monitoring?.logGroupName && trail && trail.mode !== 'data-events-only') {
    problems.push({
      path: ['monitoring', 'logGroupName'],
      value: monitoring.logGroupName,
      expected: 'expected no log group unless trail.mode is "data-events-only": the CIS alarms watch the organization trail\'s own group',
    });
  }
  if (monitoring) {
    for (const id of CIS_ALARM_IDS) {
      const { enabled, exclude } = monitoring.alarms[id];
      const length = withExclusions(cisPattern(id), exclude).length;
      if (enabled && length > MAX_FILTER_PATTERN_LENGTH) {
        problems.push({
          path: ['monitoring', 'alarms', id, 'exclude'],
          value: exclude,
          expected: `expected fewer or shorter exclusions: the filter pattern would be ${length} characters, and CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}`,
        });
      }
    }
    const workloads = monitoring.managementAccountWorkloads;
    if (workloads.enabled) {
      try {
        // Account ids are always 12 digits, so any id gives the patterns' real lengths.
        managementWorkloadPatterns('000000000000', workloads.exclude);
      } catch (error) {
        problems.push({
          path: ['monitoring', 'managementAccountWorkloads', 'exclude'],
          value: workloads.exclude,
          expected: `expected fewer or shorter exclusions: ${(error as Error).message.replace(/^[^:]*: /, '')}`,
        });
      }
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
  if (guardrails) {
    problems.push(...guardrailProblems(guardrails, section(raw, 'organization'), monitoredBuckets));
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

  const cost = section(raw, 'costGuardrails');
  if (cost && accounts) {
    for (const [name, amount] of Object.entries(cost.budgets.accountLimitsUsd)) {
      if (!accountNames.has(name)) {
        problems.push({
          path: ['costGuardrails', 'budgets', 'accountLimitsUsd', name],
          value: amount,
          expected: `expected keys that are account names (${[...accountNames].join(', ')})`,
        });
      }
    }
  }
  if (cost?.computeLaunchDeny.enabled && !cost.budgets.enabled) {
    problems.push({
      path: ['costGuardrails', 'computeLaunchDeny', 'enabled'],
      value: true,
      expected: 'expected costGuardrails.budgets.enabled: the deny is a budget action, so it needs the budgets',
    });
  }

  return problems;
}
