import { createReadStream, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import type { BaselineConfig } from '../config/schema';
import type { CloudTrailRecord } from '../functions/detector/cloudtrail';
import { createDetector } from '../functions/detector/detector';
import { MassDownloadReplay } from '../functions/detector/mass-download/memory-windows';
import { MassDownloadContext } from '../functions/detector/mass-download/reads';
import { compileRuleContext } from '../functions/detector/rules/context';
import { type Finding, RULE_LABELS } from '../functions/detector/finding';
import { CLOUDTRAIL_DETAIL_TYPE, cloudTrailRecordOf } from '../functions/detector/handler';
import { detectorSettingsFrom } from '../lib/detector/settings';
import { cisMetricFilters } from '../lib/monitoring/cis-filters';
import { type FilterExpression, type FilterPattern, matchesFilterPattern, parseFilterPattern } from '../lib/monitoring/filter-pattern';
import { JsonItemStream } from './json-stream';
import { printable, printableJson } from './printable';

/*
 * Replays CloudTrail log files (`{"Records": [...]}`, .json or .json.gz), EventBridge events and arrays of either
 * through the detector's rules and the CIS metric filters, and prints what would have fired: the way to tune the
 * allow-lists before deploying. Files are streamed, a record at a time, so memory stays flat whatever their size.
 * What is not a CloudTrail API call is recognized by its content and skipped, counted: digest files (log file
 * validation), CloudTrail Insights events, EventBridge events of other kinds. Configuration from --config, else
 * BASELINE_CONFIG, else the shipped example, like the synth.
 */

/** Exit statuses, documented in docs/detector.md and by --help. */
export const EXIT = {
  /** Every input judged; nothing fired. */
  clean: 0,
  /** Every input judged; a finding or a CIS filter fired. */
  fired: 1,
  /** Bad command line or configuration: nothing was replayed. */
  usage: 2,
  /** Some file or record could not be judged (listed); takes precedence over `fired`. */
  notJudged: 3,
} as const;

const USAGE = 'usage: npm run replay -- [--json] [--config <file>] <CloudTrail .json/.json.gz files, EventBridge event files, or directories>';
const HELP = `${USAGE}

Replays CloudTrail log files (an AWSLogs/ tree from the log archive, .json or .json.gz) and EventBridge
"AWS API Call via CloudTrail" events (one per file, or an array) through the detector's rules and the CIS
metric filters, and prints what would have fired. Directories are read recursively.

Options:
  --json           one JSON object per line for each finding or CIS match; the summary goes to stderr
  --config <file>  the baseline configuration (default: $BASELINE_CONFIG, else config/example.json)
  --help, -h       this text
  --               what follows is a path, even if it starts with "-"

Skipped and counted, not judged: CloudTrail digest files, CloudTrail Insights events, EventBridge events of
other kinds, and files in directories whose names do not end in .json or .json.gz.

Exit status:
  ${EXIT.clean}  every input judged, nothing fired
  ${EXIT.fired}  every input judged, something fired
  ${EXIT.usage}  usage or configuration error: nothing replayed
  ${EXIT.notJudged}  some files or records could not be judged (they are listed)
`;
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

interface Fired {
  readonly kind: 'finding' | 'cis';
  readonly label: string;
  readonly time: string;
  readonly text: string;
  readonly where: string;
  readonly finding?: Finding;
}

interface CisFilter {
  readonly label: string;
  readonly title: string;
  readonly pattern: FilterPattern;
  /** Cheap checks that every record the pattern matches passes (see necessaryConditions). */
  readonly conditions: readonly NecessaryCondition[];
}

/** A field a pattern can only match with present: among `values` (lower-cased) when given. */
export interface NecessaryCondition {
  readonly path: readonly string[];
  readonly values?: ReadonlySet<string>;
}

/**
 * Conditions every record matching the pattern meets: a field an "=" comparison reads must be present, and when the
 * comparison has no wildcard its value is pinned (lower-cased, so the set is a superset whatever the case rules).
 * "&&" keeps all its operands' conditions; "||" keeps the fields every operand needs. Most CIS patterns pin
 * `$.eventName`, and the others need `$.errorCode` or `$.userIdentity.type`: checking those first spares the full
 * match for nearly every record of a replay.
 */
export function necessaryConditions(expression: FilterExpression): NecessaryCondition[] {
  switch (expression.kind) {
    case 'compare': {
      const { selector, operator, value } = expression;
      if (operator !== '=' || !selector.steps.every((step) => 'key' in step)) return [];
      const path = selector.steps.map((step) => (step as { key: string }).key);
      if (value.type !== 'string' || value.text.includes('*')) return [{ path }];
      return [{ path, values: new Set([value.text.toLowerCase()]) }];
    }
    case 'and':
      return expression.operands.flatMap(necessaryConditions);
    case 'or': {
      const [first, ...rest] = expression.operands.map(necessaryConditions);
      const key = (condition: NecessaryCondition) => condition.path.join('.');
      return first.flatMap((condition) => {
        const others = rest.map((conditions) => conditions.filter((other) => key(other) === key(condition)));
        if (others.some((matching) => matching.length === 0)) return [];
        const all = [condition, ...others.flat()];
        if (all.some((each) => !each.values)) return [{ path: condition.path }];
        return [{ path: condition.path, values: new Set(all.flatMap((each) => [...each.values!])) }];
      });
    }
    default:
      return [];
  }
}

/** True unless the record fails one of the conditions (then the pattern cannot match it). */
export function meetsConditions(record: unknown, conditions: readonly NecessaryCondition[]): boolean {
  for (const { path, values } of conditions) {
    let value = record;
    for (const key of path) {
      if (typeof value !== 'object' || value === null) return false;
      value = (value as Record<string, unknown>)[key];
    }
    if (value === undefined || value === null) return false;
    if (values && (typeof value === 'object' || !values.has(String(value).toLowerCase()))) return false;
  }
  return true;
}

/** What a replay skipped because it is not a CloudTrail API call: counted, never judged. */
export interface Skipped {
  /** Log file validation's hourly digest files. */
  digestFiles: number;
  /** Files holding only CloudTrail Insights events. */
  insightsFiles: number;
  insightsEvents: number;
  /** EventBridge events whose detail-type is not "AWS API Call via CloudTrail" (S3 notifications, ...). */
  otherEvents: number;
}

export interface ReplaySummary {
  readonly files: number;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  /** Files and records that could not be judged, each naming the file (and the record's position). */
  readonly failures: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
  readonly skipped: Readonly<Skipped>;
}

/** The files to replay under the given paths, in a stable order, and what was passed over. */
export interface ReplayInputs {
  readonly files: readonly string[];
  /** Files named on the command line that are not .json or .json.gz: reported, never judged. */
  readonly notReplayable: readonly string[];
  /** Files inside the directories given whose names do not end in .json or .json.gz. */
  readonly otherFiles: number;
}

const REPLAYABLE = /\.json(?:\.gz)?$/;

export function replayInputs(paths: readonly string[]): ReplayInputs {
  const files: string[] = [];
  const notReplayable: string[] = [];
  let otherFiles = 0;
  const visit = (entry: string, named: boolean) => {
    if (statSync(entry).isDirectory()) {
      for (const name of readdirSync(entry).sort()) visit(path.join(entry, name), false);
    } else if (REPLAYABLE.test(entry)) {
      files.push(entry);
    } else if (named) {
      notReplayable.push(entry);
    } else {
      otherFiles++;
    }
  };
  for (const entry of paths) visit(entry, true);
  return { files, notReplayable, otherFiles };
}

/** Every replayable file under the given paths, in a stable order. */
export function replayFiles(paths: readonly string[]): string[] {
  return [...replayInputs(paths).files];
}

/** How a file or array item is handled: judged as a record, or skipped as another kind of content. */
type Item = { readonly kind: 'record'; readonly record: unknown } | { readonly kind: 'insight' } | { readonly kind: 'other-event' };

/**
 * An EventBridge event is unwrapped as the Lambda does (throwing MalformedEventError for a CloudTrail event without
 * its record); one of another kind is skipped. A CloudTrail Insights event is recognized by its event type, always
 * "AwsCloudTrailInsight" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-fields-trails.html),
 * or its category "Insight" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-fields-lake.html).
 */
function itemOf(value: unknown): Item {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if ('detail-type' in object) {
      return object['detail-type'] === CLOUDTRAIL_DETAIL_TYPE ? { kind: 'record', record: cloudTrailRecordOf(object) } : { kind: 'other-event' };
    }
    if (object.eventType === 'AwsCloudTrailInsight' || object.eventCategory === 'Insight') return { kind: 'insight' };
  }
  return { kind: 'record', record: value };
}

/**
 * A digest file of CloudTrail log file validation, by the fields only digest files have
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 */
function isDigest(fields: ReadonlyMap<string, unknown>): boolean {
  return fields.has('digestSignatureAlgorithm') || (fields.has('digestStartTime') && fields.has('digestEndTime') && Array.isArray(fields.get('logFiles')));
}

/** The CloudTrail records of a parsed document (a log file, one EventBridge event, or an array), skipping other kinds. */
export function recordsOf(document: unknown): unknown[] {
  const items = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { Records?: unknown }).Records)
      ? (document as { Records: unknown[] }).Records
      : [document];
  return items.map(itemOf).flatMap((item) => (item.kind === 'record' ? [item.record] : []));
}

/** The bytes of a file, gunzipped when its name ends in .gz; `read` reports the bytes read from disk. */
function openFile(file: string, read: (bytes: number) => void): Readable {
  const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let last = 0;
  raw.on('data', () => {
    read(raw.bytesRead - last);
    last = raw.bytesRead;
  });
  // pipeline (not pipe) so that a read error reaches the reader of the gunzip stream.
  return file.endsWith('.gz') ? pipeline(raw, createGunzip({ chunkSize: 256 * 1024 }), () => undefined) : raw;
}

/** Replays the files, calling `report` for each finding or CIS match in input order. */
export async function replay(
  files: readonly string[],
  config: BaselineConfig,
  report: (fired: Fired) => void,
  progress?: (bytesDone: number, bytesTotal: number, records: number) => void,
): Promise<ReplaySummary> {
  const settings = detectorSettingsFrom(config);
  const detector = createDetector(settings);
  // The mass-download rule counts its windows in memory, as the Lambda does in its table, in input order.
  const massDownload = settings.massDownload
    ? new MassDownloadReplay(new MassDownloadContext(settings.massDownload, compileRuleContext(settings)))
    : undefined;
  const clock = new Date();
  const filters: CisFilter[] = cisMetricFilters(config).map((filter) => {
    const pattern = parseFilterPattern(filter.pattern);
    return { label: `${filter.control} ${filter.id}`, title: filter.title, pattern, conditions: necessaryConditions(pattern.expression) };
  });
  const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const counts = new Map<string, number>();
  const failures: string[] = [];
  const skipped: Skipped = { digestFiles: 0, insightsFiles: 0, insightsEvents: 0, otherEvents: 0 };
  const count = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  let records = 0;
  let bytes = 0;
  let done = 0;
  const start = process.hrtime.bigint();

  const judge = (record: unknown, where: string) => {
    records++;
    let findings: readonly Finding[];
    try {
      findings = detector.evaluate(record);
      if (massDownload) {
        const volumes = massDownload.observe(record as CloudTrailRecord, clock).findings;
        if (volumes.length > 0) findings = [...findings, ...volumes];
      }
    } catch (error) {
      // MalformedEventError names the field; anything else is still this record's failure, not the run's.
      failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const finding of findings) {
      count(finding.rule);
      report({ kind: 'finding', label: finding.rule, time: finding.what.eventTime, text: describeFinding(finding), where, finding });
    }
    for (const filter of filters) {
      if (!meetsConditions(record, filter.conditions)) continue;
      if (matchesFilterPattern(filter.pattern, record)) {
        count(filter.label);
        report({ kind: 'cis', label: filter.label, time: String((record as { eventTime?: unknown }).eventTime), text: `${filter.title}: ${describeCall(record)}`, where });
      }
    }
    if (progress && (records & 0xffff) === 0) progress(done, total, records);
  };

  for (const file of files) {
    let items = 0;
    let insights = 0;
    let sawRecords = false;
    const fields = new Map<string, unknown>();
    const handle = (value: unknown, where: string) => {
      items++;
      let item: Item;
      try {
        item = itemOf(value);
      } catch (error) {
        records++;
        failures.push(`${where}: ${(error as Error).message}`);
        return;
      }
      if (item.kind === 'record') judge(item.record, where);
      else if (item.kind === 'insight') insights++;
      else skipped.otherEvents++;
    };
    const scanner = new JsonItemStream({
      item: (text, index) => {
        sawRecords = true;
        const where = `${file} #${index + 1}`;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          items++;
          records++;
          failures.push(`${where}: ${(error as Error).message}`);
          return;
        }
        handle(value, where);
      },
      field: (key, value) => fields.set(key, value),
    });
    try {
      for await (const chunk of openFile(file, (read) => (done += read))) {
        bytes += (chunk as Buffer).length;
        scanner.write(chunk as Buffer);
      }
      scanner.end();
      if (!sawRecords && fields.size > 0) {
        // A top-level object that is not a log file: a digest file, one EventBridge event, or one record.
        if (fields.has('Records')) throw new Error('"Records" is not an array');
        if (isDigest(fields)) skipped.digestFiles++;
        else handle(Object.fromEntries(fields), `${file} #1`);
      }
    } catch (error) {
      failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    skipped.insightsEvents += insights;
    if (insights > 0 && insights === items) skipped.insightsFiles++;
    progress?.(done, total, records);
  }

  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { files: files.length, records, bytes, seconds, failures, counts, skipped };
}

/** A finding as one terminal line: like the SNS subject, but with the whole key. */
function describeFinding(finding: Finding): string {
  const { what, who, from } = finding;
  const target = what.bucket !== undefined ? `${what.bucket}${what.key !== undefined ? `/${what.key}` : ''}` : what.eventName;
  const outcome = what.errorCode ? ` (${what.errorCode})` : '';
  const volume = finding.volume
    ? ` (${finding.volume.reads} reads${finding.volume.sharePercent !== undefined ? `, ${finding.volume.sharePercent}% of the objects` : ''} from ${finding.volume.firstEventTime} to ${finding.volume.lastEventTime}; ${finding.id})`
    : '';
  return `${RULE_LABELS[finding.rule]}${outcome} by ${who.name} from ${from.vpcEndpointId ?? from.sourceIp ?? 'unknown address'}: ${target}${volume}`;
}

function describeCall(record: unknown): string {
  const call = record as { eventName?: string; sourceIPAddress?: string; userIdentity?: { arn?: string; type?: string } };
  return `${call.eventName} by ${call.userIdentity?.arn ?? call.userIdentity?.type ?? 'unknown caller'} from ${call.sourceIPAddress ?? 'unknown address'}`;
}

/** Where the command line writes and what it reads from its environment; the process's own unless a test passes one. */
export interface ReplayIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Inputs at least this large (on disk) get a progress bar on a terminal; 16 MB unless given. */
  readonly progressMinBytes?: number;
}

function progressBar(stderr: ReplayIo['stderr']): (done: number, total: number, records: number) => void {
  const started = Date.now();
  return (done, total, records) => {
    const ratio = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(ratio * width);
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${records} records  ${(done / 1e6 / seconds).toFixed(1)} MB/s (on disk)`,
    );
    if (done >= total) stderr.write('\n');
  };
}

interface ReplayArguments {
  readonly json: boolean;
  readonly help: boolean;
  readonly config?: string;
  readonly paths: readonly string[];
}

/** The command line, or the message of what is wrong with it (naming the flag). */
export function parseArguments(argv: readonly string[]): ReplayArguments | string {
  let json = false;
  let help = false;
  let config: string | undefined;
  const paths: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      paths.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? argv[++index] : arg.slice('--config='.length);
      if (value === undefined || value === '' || (arg === '--config' && value.startsWith('-'))) {
        return '--config needs a value: the path of a baseline configuration file';
      }
      config = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown flag ${printable(arg)}`;
    } else paths.push(arg);
  }
  return { json, help, config, paths };
}

/** The command line: replays the files named in argv and prints what fired; resolves to the exit status (EXIT). */
export async function main(argv: readonly string[], io: ReplayIo = process): Promise<number> {
  const args = parseArguments(argv);
  if (typeof args === 'string') {
    io.stderr.write(`${args}\n${USAGE}\n(npm run replay -- --help for more)\n`);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout.write(HELP);
    return EXIT.clean;
  }
  if (args.paths.length === 0) {
    io.stderr.write(`nothing to replay\n${USAGE}\n`);
    return EXIT.usage;
  }
  // npm runs scripts from the project root; INIT_CWD is where the user typed the command, and relative paths are theirs.
  const base = io.env.INIT_CWD || process.cwd();
  const configFile = args.config ?? io.env.BASELINE_CONFIG;
  let config: BaselineConfig;
  try {
    config = loadConfigFile(configFile ? path.resolve(base, configFile) : EXAMPLE_CONFIG_PATH);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  let inputs: ReplayInputs;
  try {
    // Shown as typed when that already reads from the right place.
    inputs = replayInputs(args.paths.map((entry) => (path.isAbsolute(entry) || path.resolve(base) === process.cwd() ? entry : path.resolve(base, entry))));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = (error as NodeJS.ErrnoException).path ?? '';
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr.write(`cannot read ${printable(where)}: ${reason}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { files } = inputs;

  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) io.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  const flagged = new Map<string, number>();
  const totalBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const summary = await replay(
    files,
    config,
    (fired) => {
      if (args.json) {
        out.push(printableJson(fired.finding ? { ...fired.finding, file: fired.where } : { cis: fired.label, time: fired.time, text: fired.text, file: fired.where }));
      } else {
        // Every field printed comes from a record, and a record's text is the caller's choice: printable() it.
        out.push(`${printable(fired.time)}  ${fired.label.padEnd(34)} ${printable(fired.text)}  (${printable(fired.where)})`);
      }
      if (fired.finding) {
        const who = fired.finding.who.roleArn ?? fired.finding.who.arn ?? fired.finding.who.name;
        const key = `${fired.finding.rule}  ${who}  from ${fired.finding.from.vpcEndpointId ?? fired.finding.from.sourceIp}`;
        flagged.set(key, (flagged.get(key) ?? 0) + 1);
      }
      if (out.length >= 1000) flush();
    },
    io.stderr.isTTY && totalBytes >= (io.progressMinBytes ?? PROGRESS_MIN_BYTES) ? progressBar(io.stderr) : undefined,
  );
  flush();

  const failures = [...inputs.notReplayable.map((file) => `${file}: not replayed: only .json and .json.gz files are read`), ...summary.failures];
  const summaryStream = args.json ? io.stderr : io.stdout;
  const lines: string[] = [''];
  lines.push(summary.counts.size === 0 ? 'Nothing fired.' : 'Fired:');
  for (const [label, count] of [...summary.counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${label.padEnd(34)} ${count}`);
  if (flagged.size > 0) {
    lines.push('Flagged callers (tune detector.authorizedPrincipals, authorizedCidrs, authorizedVpcEndpoints, enumerationPrincipals):');
    for (const [key, count] of [...flagged].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20)) {
      lines.push(`  ${String(count).padStart(6)}  ${printable(key)}`);
    }
  }
  const { skipped } = summary;
  const skips = [
    skipped.digestFiles > 0 ? `${skipped.digestFiles} digest files` : '',
    skipped.insightsEvents > 0 ? `${skipped.insightsEvents} CloudTrail Insights events (${skipped.insightsFiles} files)` : '',
    skipped.otherEvents > 0 ? `${skipped.otherEvents} EventBridge events of other kinds` : '',
    inputs.otherFiles > 0 ? `${inputs.otherFiles} files not named .json or .json.gz in the directories` : '',
  ].filter(Boolean);
  if (skips.length > 0) lines.push(`Skipped (not CloudTrail API calls): ${skips.join(', ')}.`);
  if (failures.length > 0) {
    lines.push(`Not judged (${failures.length}): files or records that could not be read or judged:`);
    for (const failure of failures.slice(0, 50)) lines.push(`  ${printable(failure)}`);
    if (failures.length > 50) lines.push(`  ... and ${failures.length - 50} more`);
  }
  const mb = summary.bytes / 1e6;
  const seconds = Math.max(summary.seconds, 1e-6);
  lines.push(
    `Replayed ${summary.records} records from ${summary.files} files (${mb.toFixed(2)} MB of JSON) in ${summary.seconds.toFixed(3)} s: ` +
      `${Math.round(summary.records / seconds)} records/s, ${(mb / seconds).toFixed(1)} MB/s`,
  );
  summaryStream.write(`${lines.join('\n')}\n`);
  if (failures.length > 0) return EXIT.notJudged;
  return summary.counts.size > 0 ? EXIT.fired : EXIT.clean;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`replay failed: ${printable(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = EXIT.notJudged;
    },
  );
}
