import { type DrillSettings, parseDrillSettings } from './drill';
import { type MassDownloadSettings, parseMassDownloadSettings } from './mass-download/settings';
import { parseCidr } from './network';
import { ACCESS_POINT_EXPECTED, isAccessPointId } from './s3-object';

/*
 * The detector's runtime settings: written into the package as `settings.json` at synth and validated once at cold
 * start. Hand-written validation keeps zod out of the bundle; every problem names its path, value and expectation.
 */

export type ResponseMode = 'off' | 'dry-run' | 'enforce';

export interface MonitoredBucketSettings {
  readonly name: string;
  /** Globs (`*` any run of characters including "/", `?` one character) or `keyword:<word>`; case-insensitive. */
  readonly keyPatterns: readonly string[];
  /** Access points (ARNs or aliases) through which the bucket is read; requests name them instead of the bucket. */
  readonly accessPoints?: readonly string[];
}

export interface DetectorRuleToggles {
  readonly sensitiveObjectAccess: boolean;
  readonly instanceCredentialsOutsideAws: boolean;
  readonly bucketEnumeration: boolean;
  readonly vpcEndpointAccess: boolean;
}

export interface DetectorSettings {
  readonly monitoredBuckets: readonly MonitoredBucketSettings[];
  /** IPv4 and IPv6 networks from which sensitive reads and instance credentials are expected. */
  readonly authorizedCidrs: readonly string[];
  readonly authorizedVpcEndpoints: readonly string[];
  /**
   * AWS services (`athena.amazonaws.com`) through which an authorized principal may read sensitive keys from any
   * network: a service call carries the service's name, not the client's address. Empty: no service waives the test.
   */
  readonly authorizedServices: readonly string[];
  /** Role names, role/user ARNs, account ids or AWS service principals (`*.amazonaws.com`), with `*` globs. */
  readonly authorizedPrincipals: readonly string[];
  /** Principals expected to call ListBuckets, same forms as authorizedPrincipals. */
  readonly enumerationPrincipals: readonly string[];
  readonly rules: DetectorRuleToggles;
  /** Revoke the sessions of a flagged role: not at all, described only, or applied. */
  readonly response: ResponseMode;
  /** Role assumed in the flagged principal's account to revoke its sessions (enforce mode only). */
  readonly responseRoleName: string;
  /** The detection drill's canaries and roles (drill.ts); none when absent. */
  readonly drill?: DrillSettings;
  /**
   * The organization's account ids: bare role names and account or ARN patterns with a wildcard account match
   * callers of these accounts only, and only VPC endpoints they own count as the organization's network.
   */
  readonly organizationAccountIds: readonly string[];
  /**
   * Roles enforce mode never revokes, as role names (in any account) or role ARNs: the deployment, break-glass and
   * log reader roles, and the detector's own (function, response, forwarder).
   */
  readonly protectedRoles: readonly string[];
  /** Accounts where the response role exists; a flagged role elsewhere is reported, never revoked. */
  readonly responseAccountIds: readonly string[];
  /** The mass-download rule (mass-download/settings.ts); off when absent. */
  readonly massDownload?: MassDownloadSettings;
}

const RESPONSE_MODES: readonly ResponseMode[] = ['off', 'dry-run', 'enforce'];
const RULE_NAMES: readonly (keyof DetectorRuleToggles)[] = [
  'sensitiveObjectAccess',
  'instanceCredentialsOutsideAws',
  'bucketEnumeration',
  'vpcEndpointAccess',
];
const SETTINGS_KEYS = [
  'monitoredBuckets',
  'authorizedCidrs',
  'authorizedVpcEndpoints',
  'authorizedServices',
  'authorizedPrincipals',
  'enumerationPrincipals',
  'rules',
  'response',
  'responseRoleName',
  'drill',
  'organizationAccountIds',
  'protectedRoles',
  'responseAccountIds',
  'massDownload',
];

/** An AWS service principal as CloudTrail writes it in sourceIPAddress and invokedBy. */
export const SERVICE_PRINCIPAL = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$/;
const ACCOUNT_ID = /^\d{12}$/;
const PROTECTED_ROLE = /^(?:arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}|[\w+=,.@-]{1,64})$/;

/** Thrown when settings.json does not describe valid settings; the message lists every problem. */
export class DetectorSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid detector settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DetectorSettingsError';
  }
}

/** Validates raw settings (parsed settings.json) and returns them typed; throws DetectorSettingsError otherwise. */
export function parseDetectorSettings(json: unknown): DetectorSettings {
  const problems: string[] = [];
  const problem = (path: string, value: unknown, expected: string) =>
    problems.push(`${path}: ${describe(value)}: expected ${expected}`);

  if (!isObject(json)) {
    throw new DetectorSettingsError([`settings: ${describe(json)}: expected a JSON object`]);
  }
  for (const key of Object.keys(json)) {
    if (!SETTINGS_KEYS.includes(key)) problem(`settings.${key}`, json[key], `one of ${SETTINGS_KEYS.join(', ')}`);
  }

  const strings = (key: string, check?: (value: string) => string | undefined): string[] => {
    const value = json[key];
    if (!Array.isArray(value)) {
      problem(`settings.${key}`, value, 'an array of strings');
      return [];
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string' || item.length === 0) problem(`settings.${key}[${index}]`, item, 'a non-empty string');
      else {
        const expected = check?.(item);
        if (expected) problem(`settings.${key}[${index}]`, item, expected);
      }
    });
    return value as string[];
  };

  const monitoredBuckets: MonitoredBucketSettings[] = [];
  if (!Array.isArray(json.monitoredBuckets)) {
    problem('settings.monitoredBuckets', json.monitoredBuckets, 'an array of { name, keyPatterns }');
  } else {
    json.monitoredBuckets.forEach((bucket: unknown, index: number) => {
      const path = `settings.monitoredBuckets[${index}]`;
      if (!isObject(bucket)) {
        problem(path, bucket, 'an object { name, keyPatterns }');
        return;
      }
      if (typeof bucket.name !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket.name)) {
        problem(`${path}.name`, bucket.name, 'an S3 bucket name');
      }
      const patterns = bucket.keyPatterns;
      if (!Array.isArray(patterns) || patterns.length === 0) {
        problem(`${path}.keyPatterns`, patterns, 'a non-empty array of globs or "keyword:<word>"');
      } else {
        patterns.forEach((pattern: unknown, at: number) => {
          if (typeof pattern !== 'string' || pattern.length === 0 || pattern === 'keyword:') {
            problem(`${path}.keyPatterns[${at}]`, pattern, 'a glob such as "customers/*" or "keyword:<word>"');
          }
        });
      }
      const accessPoints = bucket.accessPoints;
      if (accessPoints !== undefined && !Array.isArray(accessPoints)) {
        problem(`${path}.accessPoints`, accessPoints, 'an array of access point ARNs or aliases');
      } else {
        (accessPoints ?? []).forEach((accessPoint: unknown, at: number) => {
          if (typeof accessPoint !== 'string' || !isAccessPointId(accessPoint)) problem(`${path}.accessPoints[${at}]`, accessPoint, ACCESS_POINT_EXPECTED);
        });
      }
      for (const key of Object.keys(bucket)) {
        if (!['name', 'keyPatterns', 'accessPoints'].includes(key)) problem(`${path}.${key}`, bucket[key], 'one of name, keyPatterns, accessPoints');
      }
      monitoredBuckets.push({
        name: bucket.name as string,
        keyPatterns: (patterns ?? []) as string[],
        ...(Array.isArray(accessPoints) ? { accessPoints: accessPoints as string[] } : {}),
      });
    });
  }

  // One access point belongs to one bucket: listed twice, a read through it would be judged against one of them only.
  const owners = new Map<string, string>();
  monitoredBuckets.forEach((bucket, index) => {
    (bucket.accessPoints ?? []).forEach((accessPoint, at) => {
      // An item that is not a string is already a problem of its own (above), and has no owner to compare.
      if (typeof accessPoint !== 'string') return;
      const owner = owners.get(accessPoint.toLowerCase());
      if (owner !== undefined && owner !== bucket.name) {
        problem(`settings.monitoredBuckets[${index}].accessPoints[${at}]`, accessPoint, `an access point of this bucket only (it is listed for ${owner} too)`);
      }
      owners.set(accessPoint.toLowerCase(), bucket.name);
    });
  });

  const authorizedCidrs = strings('authorizedCidrs', (value) =>
    parseCidr(value) ? undefined : 'an IPv4 or IPv6 CIDR such as "203.0.113.0/24" or "2001:db8::/32"',
  );
  const authorizedVpcEndpoints = strings('authorizedVpcEndpoints', (value) =>
    /^vpce-[0-9a-f]{8,17}$/.test(value) ? undefined : 'a VPC endpoint id such as "vpce-0abc1234"',
  );
  const authorizedServices = strings('authorizedServices', (value) =>
    SERVICE_PRINCIPAL.test(value) ? undefined : 'an AWS service principal such as "athena.amazonaws.com"',
  );
  const authorizedPrincipals = strings('authorizedPrincipals');
  const enumerationPrincipals = strings('enumerationPrincipals');

  const rules = json.rules;
  if (!isObject(rules)) {
    problem('settings.rules', rules, `an object with booleans ${RULE_NAMES.join(', ')}`);
  } else {
    for (const name of RULE_NAMES) {
      if (typeof rules[name] !== 'boolean') problem(`settings.rules.${name}`, rules[name], 'true or false');
    }
    for (const name of Object.keys(rules)) {
      if (!(RULE_NAMES as string[]).includes(name)) problem(`settings.rules.${name}`, rules[name], `one of ${RULE_NAMES.join(', ')}`);
    }
  }
  if (!RESPONSE_MODES.includes(json.response as ResponseMode)) {
    problem('settings.response', json.response, `one of ${RESPONSE_MODES.map((mode) => `"${mode}"`).join(', ')}`);
  }
  if (typeof json.responseRoleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(json.responseRoleName)) {
    problem('settings.responseRoleName', json.responseRoleName, 'an IAM role name');
  }

  const drill = parseDrillSettings(json.drill, problem);
  const organizationAccountIds = strings('organizationAccountIds', (value) => (ACCOUNT_ID.test(value) ? undefined : 'a 12-digit account id'));
  const protectedRoles = strings('protectedRoles', (value) => (PROTECTED_ROLE.test(value) ? undefined : 'an IAM role name or role ARN'));
  const responseAccountIds = strings('responseAccountIds', (value) => (ACCOUNT_ID.test(value) ? undefined : 'a 12-digit account id'));

  const massDownload = parseMassDownloadSettings(json.massDownload, problem);
  massDownload?.buckets.forEach((bucket, index) => {
    if (!monitoredBuckets.some((monitored) => monitored.name === bucket.name)) {
      problem(`settings.massDownload.buckets[${index}].name`, bucket.name, 'the name of a monitored bucket');
    }
  });

  if (problems.length > 0) throw new DetectorSettingsError(problems);
  return {
    monitoredBuckets,
    authorizedCidrs,
    authorizedVpcEndpoints,
    authorizedServices,
    authorizedPrincipals,
    enumerationPrincipals,
    rules: rules as unknown as DetectorRuleToggles,
    response: json.response as ResponseMode,
    responseRoleName: json.responseRoleName as string,
    ...(json.drill === undefined ? {} : { drill }),
    organizationAccountIds,
    protectedRoles,
    responseAccountIds,
    ...(massDownload === undefined ? {} : { massDownload }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
