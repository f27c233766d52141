import type { Finding } from './finding';

/*
 * Repeated findings, aggregated. Any account can make denied reads of a sensitive key at will, one finding each; one
 * message per finding would bury the real ones and keep the function busy publishing. The first finding of a rule,
 * principal and source in a window is published at once; the rest of that window are counted, not published, and the
 * count travels with the next message for the same key (and as the SuppressedFindings metric, at once).
 *
 * State: in memory, per running copy of the function. With reserved concurrency N at most N copies run, so a flood
 * still yields at most N messages per key and window: the bound is what matters, and it costs no table, no extra
 * permission and no call on the hot path. What memory cannot do is an exact organization-wide count, or a summary
 * at the end of a window when nothing follows; the metric carries the exact count. When the stateful rules (mass
 * download) bring their DynamoDB table, the window can move there with one conditional update per finding.
 */

export const AGGREGATION_WINDOW_MS = 5 * 60 * 1000;
/** Keys kept at most; beyond, old windows are dropped, and failing that everything (publishing more, never less). */
export const AGGREGATION_MAX_KEYS = 10_000;

export interface Admission {
  readonly publish: boolean;
  /** Findings of the same key suppressed in its previous window, reported with this message. */
  readonly suppressedBefore: number;
}

interface Entry {
  window: number;
  suppressed: number;
}

/** The aggregation key: which rule, who (the role behind a session), from where. */
export function aggregationKey(finding: Finding): string {
  const who = finding.who.roleArn ?? finding.who.arn ?? `${finding.who.accountId ?? ''}:${finding.who.kind}:${finding.who.name}`;
  const from = finding.from.vpcEndpointId ?? finding.from.sourceIp ?? '';
  return `${finding.rule}|${who}|${from}`;
}

export class FindingAggregator {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs = AGGREGATION_WINDOW_MS,
    private readonly maxKeys = AGGREGATION_MAX_KEYS,
  ) {}

  /** Whether to publish this finding; windows follow the event time, or `now` when the event time is not a time. */
  admit(finding: Finding, now: Date): Admission {
    const eventTime = Date.parse(finding.what.eventTime);
    const window = Math.floor((Number.isNaN(eventTime) ? now.getTime() : eventTime) / this.windowMs);
    const key = aggregationKey(finding);
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.window === window) {
      entry.suppressed += 1;
      return { publish: false, suppressedBefore: 0 };
    }
    if (entry === undefined) this.makeRoom(window);
    this.entries.set(key, { window, suppressed: 0 });
    return { publish: true, suppressedBefore: entry?.suppressed ?? 0 };
  }

  get size(): number {
    return this.entries.size;
  }

  private makeRoom(window: number): void {
    if (this.entries.size < this.maxKeys) return;
    for (const [key, entry] of this.entries) if (entry.window < window) this.entries.delete(key);
    if (this.entries.size >= this.maxKeys) this.entries.clear();
  }
}
