import type { CloudTrailRecord } from '../cloudtrail';
import type { Finding } from '../finding';
import type { CountedRead, MassDownloadContext } from './reads';
import { type ClaimResult, type IncidentClaim, incidentClaim, judgeRead, type ReadJudgement, type WindowStore } from './rule';
import { opensNewIncident, type SlotCount, slotsAround } from './window';

/*
 * The rule's state in memory: for replay (tuning thresholds on past logs) and tests. The same counting, the same
 * window arithmetic and the same incident rule as the DynamoDB table, so replay fires where the Lambda would.
 */

interface Slot {
  reads: number;
  deniedReads: number;
  firstTime?: string;
  lastTime?: string;
  firstSource?: string;
  lastSource?: string;
  firstAgent?: string;
  lastAgent?: string;
}

interface Incident {
  readonly endSlot: number;
  readonly eventId: string;
  readonly findingId: string;
}

export class MemoryWindows {
  private readonly counted = new Set<string>();
  private readonly slots = new Map<string, Map<number, Slot>>();
  private readonly incidents = new Map<string, Incident>();
  private readonly findings = new Map<string, { readonly finding: Finding; published: boolean }>();

  /** Counts a read unless its event was counted for the bucket already; returns the slots from..to. */
  count(read: CountedRead, range: { readonly from: number; readonly to: number }): SlotCount[] {
    const key = `${read.principal}|${read.bucket}`;
    const marker = `${read.eventId}|${read.bucket}`;
    if (!this.counted.has(marker)) {
      this.counted.add(marker);
      let slots = this.slots.get(key);
      if (!slots) this.slots.set(key, (slots = new Map()));
      const slot = slots.get(read.slot) ?? { reads: 0, deniedReads: 0 };
      const time = new Date(read.timeMs).toISOString().replace('.000Z', 'Z');
      // As the table does it: the first values stay, the last ones are overwritten.
      slot.reads += 1;
      if (read.denied) slot.deniedReads += 1;
      slot.firstTime ??= time;
      slot.lastTime = time;
      if (read.source !== undefined) {
        slot.firstSource ??= read.source;
        slot.lastSource = read.source;
      }
      if (read.userAgent !== undefined) {
        slot.firstAgent ??= read.userAgent;
        slot.lastAgent = read.userAgent;
      }
      slots.set(read.slot, slot);
    }
    const result: SlotCount[] = [];
    const slots = this.slots.get(key);
    for (let at = range.from; at <= range.to; at++) {
      const slot = slots?.get(at);
      if (slot) result.push(slotCount(at, slot));
    }
    return result;
  }

  claim(claim: IncidentClaim): ClaimResult {
    const key = `${claim.principal}|${claim.bucket}`;
    const existing = this.incidents.get(key);
    if (!opensNewIncident(existing?.endSlot, claim.window)) {
      const stored = this.findings.get(existing!.findingId);
      if (existing!.eventId === claim.eventId && stored && !stored.published) return { kind: 'unpublished', finding: stored.finding };
      return { kind: 'covered', endSlot: existing!.endSlot };
    }
    const findingId = claim.finding.id ?? claim.eventId;
    this.incidents.set(key, { endSlot: claim.window.endSlot, eventId: claim.eventId, findingId });
    this.findings.set(findingId, { finding: claim.finding, published: false });
    return { kind: 'opened' };
  }

  published(findingId: string): void {
    const stored = this.findings.get(findingId);
    if (stored) stored.published = true;
  }

  /** The same store behind the Lambda's asynchronous interface, for tests and the bench. */
  asStore(): WindowStore {
    return {
      count: async (read, range) => this.count(read, range),
      claim: async (claim) => this.claim(claim),
      published: async (findingId) => this.published(findingId),
    };
  }
}

/** First and last of each kept value, as a sample bounded whatever the volume. */
function slotCount(slot: number, value: Slot): SlotCount {
  const pair = (first?: string, last?: string) => [...new Set([first, last].filter((item): item is string => item !== undefined))];
  return {
    slot,
    reads: value.reads,
    deniedReads: value.deniedReads,
    ...(value.firstTime !== undefined ? { firstTime: value.firstTime } : {}),
    ...(value.lastTime !== undefined ? { lastTime: value.lastTime } : {}),
    sources: pair(value.firstSource, value.lastSource),
    userAgents: pair(value.firstAgent, value.lastAgent),
  };
}

/**
 * The rule over memory, one record at a time in input order, for replay: what the Lambda would have found had the
 * records arrived in this order. Synchronous, as replay streams records; every finding is published at once.
 */
export class MassDownloadReplay {
  private readonly windows = new MemoryWindows();

  constructor(private readonly context: MassDownloadContext) {}

  /** The findings of one record, and each counted read's judgement (for tuning: how close it came). */
  observe(record: CloudTrailRecord, now: Date): { findings: Finding[]; judgements: ReadJudgement[] } {
    const findings: Finding[] = [];
    const judgements: ReadJudgement[] = [];
    for (const read of this.context.readsOf(record, now)) {
      const judgement = judgeRead(this.context, read, this.windows.count(read, slotsAround(read.slot)));
      judgements.push(judgement);
      const claim = incidentClaim(this.context, record, judgement);
      if (!claim || this.windows.claim(claim).kind !== 'opened') continue;
      this.windows.published(claim.finding.id!);
      findings.push(claim.finding);
    }
    return { findings, judgements };
  }
}
