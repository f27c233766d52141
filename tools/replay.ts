import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import type { BaselineConfig } from '../config/schema';
import { MalformedEventError } from '../functions/detector/cloudtrail';
import { createDetector } from '../functions/detector/detector';
import { type Finding, subjectOf } from '../functions/detector/finding';
import { cloudTrailRecordOf } from '../functions/detector/handler';
import { detectorSettingsFrom } from '../lib/detector/settings';
import { cisMetricFilters } from '../lib/monitoring/cis-filters';
import { type FilterExpression, type FilterPattern, matchesFilterPattern, parseFilterPattern } from '../lib/monitoring/filter-pattern';

/*
 * Replays CloudTrail log files (`{"Records": [...]}`, .json or .json.gz) and EventBridge event files through the
 * detector's rules and the CIS metric filters, and prints what would have fired: the way to tune the allow-lists
 * before deploying. Configuration from BASELINE_CONFIG (the shipped example otherwise), like the synth.
 *
 *   npm run replay -- [--json] <files or directories>
 *
 * Exit status: 0 when every record was judged (findings or not), 1 when a file or record could not be, 2 on usage or
 * configuration errors.
 */

const USAGE = 'usage: npm run replay -- [--json] <CloudTrail .json/.json.gz files, EventBridge event files, or directories>';
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

export interface ReplaySummary {
  readonly files: number;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly failures: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
}

/** Every replayable file under the given paths, in a stable order. */
export function replayFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (entry: string) => {
    if (statSync(entry).isDirectory()) {
      for (const name of readdirSync(entry).sort()) visit(path.join(entry, name));
    } else if (/\.json(?:\.gz)?$/.test(entry)) {
      files.push(entry);
    }
  };
  for (const entry of paths) visit(entry);
  return files;
}

/** The records of one file: a CloudTrail log file, one EventBridge event, or an array of either. */
export function recordsOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document.map(recordOf);
  if (typeof document === 'object' && document !== null && Array.isArray((document as { Records?: unknown }).Records)) {
    return (document as { Records: unknown[] }).Records;
  }
  return [recordOf(document)];
}

function recordOf(item: unknown): unknown {
  // EventBridge events are unwrapped exactly as the Lambda does; anything else is judged as a CloudTrail record.
  return typeof item === 'object' && item !== null && 'detail-type' in item ? cloudTrailRecordOf(item) : item;
}

/** Replays the files, calling `report` for each finding or CIS match in input order. */
export function replay(
  files: readonly string[],
  config: BaselineConfig,
  report: (fired: Fired) => void,
  progress?: (bytesDone: number, bytesTotal: number, records: number) => void,
): ReplaySummary {
  const detector = createDetector(detectorSettingsFrom(config));
  const filters: CisFilter[] = cisMetricFilters(config).map((filter) => {
    const pattern = parseFilterPattern(filter.pattern);
    return { label: `${filter.control} ${filter.id}`, title: filter.title, pattern, conditions: necessaryConditions(pattern.expression) };
  });
  const sizes = files.map((file) => statSync(file).size);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const counts = new Map<string, number>();
  const failures: string[] = [];
  const count = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  let records = 0;
  let bytes = 0;
  let done = 0;
  const start = process.hrtime.bigint();

  files.forEach((file, fileIndex) => {
    const name = path.basename(file);
    let items: unknown[];
    try {
      const raw = readFileSync(file);
      const data = file.endsWith('.gz') ? gunzipSync(raw) : raw;
      bytes += data.length;
      items = recordsOf(JSON.parse(data.toString('utf8')));
    } catch (error) {
      failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      done += sizes[fileIndex];
      return;
    }
    for (let index = 0; index < items.length; index++) {
      const record = items[index];
      records++;
      let findings: readonly Finding[];
      try {
        findings = detector.evaluate(record);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        failures.push(`${name} #${index + 1}: ${error.message}`);
        continue;
      }
      for (const finding of findings) {
        count(finding.rule);
        report({ kind: 'finding', label: finding.rule, time: finding.what.eventTime, text: subjectOf(finding), where: `${name} #${index + 1}`, finding });
      }
      for (const filter of filters) {
        if (!meetsConditions(record, filter.conditions)) continue;
        if (matchesFilterPattern(filter.pattern, record)) {
          count(filter.label);
          report({ kind: 'cis', label: filter.label, time: String((record as { eventTime?: unknown }).eventTime), text: `${filter.title}: ${describeCall(record)}`, where: `${name} #${index + 1}` });
        }
      }
      if (progress && (records & 0xffff) === 0) progress(done, total, records);
    }
    done += sizes[fileIndex];
    progress?.(done, total, records);
  });

  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { files: files.length, records, bytes, seconds, failures, counts };
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

/** The command line: replays the files named in argv and prints what fired; returns the exit status. */
export function main(argv: readonly string[], io: ReplayIo = process): number {
  const json = argv.includes('--json');
  const paths = argv.filter((arg) => arg !== '--json');
  if (paths.length === 0 || paths.some((arg) => arg.startsWith('-'))) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config: BaselineConfig;
  try {
    config = loadConfigFile(io.env.BASELINE_CONFIG || EXAMPLE_CONFIG_PATH);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let files: string[];
  try {
    files = replayFiles(paths);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) io.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  const flagged = new Map<string, number>();
  const totalBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const summary = replay(
    files,
    config,
    (fired) => {
      if (json) out.push(JSON.stringify(fired.finding ? { ...fired.finding, file: fired.where } : { cis: fired.label, time: fired.time, text: fired.text, file: fired.where }));
      else out.push(`${fired.time}  ${fired.label.padEnd(34)} ${fired.text}  (${fired.where})`);
      if (fired.finding) {
        const key = `${fired.finding.rule}  ${fired.finding.who.roleArn ?? fired.finding.who.arn ?? fired.finding.who.name}  from ${fired.finding.from.vpcEndpointId ?? fired.finding.from.sourceIp}`;
        flagged.set(key, (flagged.get(key) ?? 0) + 1);
      }
      if (out.length >= 1000) flush();
    },
    io.stderr.isTTY && totalBytes >= (io.progressMinBytes ?? PROGRESS_MIN_BYTES) ? progressBar(io.stderr) : undefined,
  );
  flush();

  const summaryStream = json ? io.stderr : io.stdout;
  const lines: string[] = [''];
  lines.push(summary.counts.size === 0 ? 'Nothing fired.' : 'Fired:');
  for (const [label, count] of [...summary.counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${label.padEnd(34)} ${count}`);
  if (flagged.size > 0) {
    lines.push('Flagged callers (tune detector.authorizedPrincipals, authorizedCidrs, authorizedVpcEndpoints, enumerationPrincipals):');
    for (const [key, count] of [...flagged].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20)) {
      lines.push(`  ${String(count).padStart(6)}  ${key}`);
    }
  }
  if (summary.failures.length > 0) {
    lines.push(`Failures (${summary.failures.length}): records or files that could not be judged:`);
    for (const failure of summary.failures.slice(0, 50)) lines.push(`  ${failure}`);
    if (summary.failures.length > 50) lines.push(`  ... and ${summary.failures.length - 50} more`);
  }
  const mb = summary.bytes / 1e6;
  const seconds = Math.max(summary.seconds, 1e-6);
  lines.push(
    `Replayed ${summary.records} records from ${summary.files} files (${mb.toFixed(2)} MB of JSON) in ${summary.seconds.toFixed(3)} s: ` +
      `${Math.round(summary.records / seconds)} records/s, ${(mb / seconds).toFixed(1)} MB/s`,
  );
  summaryStream.write(`${lines.join('\n')}\n`);
  return summary.failures.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
