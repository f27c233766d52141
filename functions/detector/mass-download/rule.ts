import type { CloudTrailRecord } from '../cloudtrail';
import type { Finding } from '../finding';
import { massDownloadFinding } from './finding';
import type { CountedRead, MassDownloadContext } from './reads';
import { busiestWindow, opensNewIncident, type SlotCount, slotExpiry, slotsAround, type Verdict, verdict, type Window } from './window';

/*
 * The mass-download rule: per principal and bucket, object reads in a sliding window (window.ts), kept in a store
 * that survives invocations and retries (DynamoDB for the Lambda, memory for replay). When the busiest window holding
 * a read reaches a threshold, the store is asked to open an incident for that window: at most one succeeds per
 * principal, bucket and window, however many copies of the function or retries of the event try.
 */

/** An incident the rule asks the store to open: the window, and the finding it yields. */
export interface IncidentClaim {
  readonly principal: string;
  readonly bucket: string;
  readonly window: Window;
  readonly eventId: string;
  readonly finding: Finding;
  /** Seconds since the epoch after which the incident no longer needs to block a duplicate. */
  readonly expiresAt: number;
}

/**
 * What opening an incident gave: this event opened it; a retry of the event that opened it finds its finding still
 * unpublished (the earlier attempt failed before publishing); or another event's incident already covers the window.
 */
export type ClaimResult =
  | { readonly kind: 'opened' }
  | { readonly kind: 'unpublished'; readonly finding: Finding }
  | { readonly kind: 'covered'; readonly endSlot: number };

/** The rule's state, per principal and bucket. */
export interface WindowStore {
  /** Counts a read once per event id and bucket (a retry is not counted again); returns the slots from..to. */
  count(read: CountedRead, range: { readonly from: number; readonly to: number }, expiresAt: number): Promise<readonly SlotCount[]>;
  /** Opens an incident when no earlier one's window overlaps (window.ts opensNewIncident). */
  claim(claim: IncidentClaim): Promise<ClaimResult>;
  /** Records that the finding was published, so that a retry of its event does not publish it again. */
  published(findingId: string): Promise<void>;
}

/** What one read gave: the window it completed and whether it fires; for tests, bench and logs. */
export interface ReadJudgement {
  readonly read: CountedRead;
  readonly window: Window;
  readonly verdict: Verdict;
  readonly slots: readonly SlotCount[];
}

/** Judges a counted read against its bucket's thresholds: pure, shared by both runtimes. */
export function judgeRead(context: MassDownloadContext, read: CountedRead, slots: readonly SlotCount[]): ReadJudgement {
  const window = busiestWindow(slots, read.slot);
  return { read, window, verdict: verdict(window.reads, context.thresholdsOf(read.bucket)), slots };
}

/** The claim for a judged read that fires and is not exempt; undefined otherwise. */
export function incidentClaim(context: MassDownloadContext, record: CloudTrailRecord, judgement: ReadJudgement): IncidentClaim | undefined {
  const { read, window, verdict: outcome } = judgement;
  if (!outcome.fires || read.exempt) return undefined;
  const windowSeconds = context.settings.windowSeconds;
  const finding = massDownloadFinding({
    record,
    principal: read.principal,
    bucket: read.bucket,
    window,
    windowSeconds,
    slots: judgement.slots,
    verdict: outcome,
    thresholds: context.thresholdsOf(read.bucket),
    readTimeMs: read.timeMs,
  });
  return { principal: read.principal, bucket: read.bucket, window, eventId: read.eventId, finding, expiresAt: slotExpiry(window.endSlot, windowSeconds) };
}

/** The rule over a store, for the Lambda: the findings one event yields (at most one per bucket it read). */
export class MassDownloadRule {
  /**
   * Incidents this copy of the function already knows cover a window, by principal and bucket: the reads that follow
   * a finding during the same sync need no call to be told so. Only ever a shortcut to "covered", never to "opened".
   */
  private readonly known = new Map<string, number>();
  /** Incidents opened here whose finding is not yet published: a retry in this copy must still reach the store. */
  private readonly opened = new Map<string, { readonly key: string; readonly endSlot: number }>();

  constructor(
    private readonly context: MassDownloadContext,
    private readonly store: WindowStore,
  ) {}

  async observe(record: CloudTrailRecord, now: Date): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const read of this.context.readsOf(record, now)) {
      const slots = await this.store.count(read, slotsAround(read.slot), slotExpiry(read.slot, this.context.settings.windowSeconds));
      const judgement = judgeRead(this.context, read, slots);
      const claim = incidentClaim(this.context, record, judgement);
      if (!claim) continue;
      const key = `${read.principal}|${read.bucket}`;
      if (!opensNewIncident(this.known.get(key), claim.window)) continue;
      const result = await this.store.claim(claim);
      if (result.kind === 'covered') {
        this.known.set(key, result.endSlot);
        continue;
      }
      const finding = result.kind === 'opened' ? claim.finding : result.finding;
      if (finding.id !== undefined) this.opened.set(finding.id, { key, endSlot: claim.window.endSlot });
      findings.push(finding);
    }
    return findings;
  }

  /** After a finding was published: remembered in the store (retries stay quiet) and here (reads that follow too). */
  async published(finding: Finding): Promise<void> {
    if (finding.id === undefined) return;
    await this.store.published(finding.id);
    const opened = this.opened.get(finding.id);
    if (opened) {
      this.opened.delete(finding.id);
      this.known.set(opened.key, Math.max(opened.endSlot, this.known.get(opened.key) ?? opened.endSlot));
    }
  }
}
