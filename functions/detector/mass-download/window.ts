import { SLOTS_PER_WINDOW } from './settings';

/*
 * The sliding window, in pure arithmetic shared by the Lambda (counts in DynamoDB) and replay (counts in memory).
 * Reads are counted per principal, bucket and slot (a tenth of the window), by the time CloudTrail wrote for the
 * event, never the time it arrived: a late, retried or out-of-order event counts where it happened. A read changes the
 * count of every window that contains its slot (the ten ending at that slot up to the ten after it), so each read is
 * judged against the busiest of them: whichever read completes a window's count, that read sees it. Windows are exact
 * to a slot: the count of a window covers between nine and ten tenths of `windowSeconds` of reads before the last.
 */

/** How far ahead of the function's clock an event time is believed; beyond, the clock's time is used. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * How long an event id is remembered as counted: EventBridge retries an event for up to 24 hours and Lambda's
 * asynchronous invocation keeps it up to 6 more (the detector's retry settings), so two days covers every retry.
 */
export const EVENT_MEMORY_SECONDS = 2 * 24 * 3600;

/** The reads of one slot of one principal and bucket, and a sample of where they came from. */
export interface SlotCount {
  readonly slot: number;
  readonly reads: number;
  /** Reads S3 refused (AccessDenied, NoSuchKey): counted too, a probe of key names is the same signal. */
  readonly deniedReads: number;
  readonly firstTime?: string;
  readonly lastTime?: string;
  /** The first and last source address and user agent of the slot: a bounded sample, whatever the volume. */
  readonly sources: readonly string[];
  readonly userAgents: readonly string[];
}

export interface Window {
  /** First and last slot of the window (inclusive). */
  readonly startSlot: number;
  readonly endSlot: number;
  readonly reads: number;
  readonly deniedReads: number;
}

export function slotMs(windowSeconds: number): number {
  return (windowSeconds * 1000) / SLOTS_PER_WINDOW;
}

/**
 * The time an event is counted at: its CloudTrail time; the clock's when the event time is not a time, or lies further
 * ahead of the clock than FUTURE_TOLERANCE_MS (a skewed clock must not open a window no later read can reach).
 */
export function countedTime(eventTime: string, now: Date): number {
  const time = Date.parse(eventTime);
  if (Number.isNaN(time) || time > now.getTime() + FUTURE_TOLERANCE_MS) return now.getTime();
  return time;
}

export function slotOf(timeMs: number, windowSeconds: number): number {
  return Math.floor(timeMs / slotMs(windowSeconds));
}

/** The slots whose counts a read in `slot` can change a window of: from the first window holding it to the last. */
export function slotsAround(slot: number): { readonly from: number; readonly to: number } {
  return { from: slot - (SLOTS_PER_WINDOW - 1), to: slot + (SLOTS_PER_WINDOW - 1) };
}

/** The window containing `slot` with the most reads; on a tie, the earliest (so a retry finds the same one). */
export function busiestWindow(slots: readonly SlotCount[], slot: number): Window {
  const bySlot = new Map(slots.map((count) => [count.slot, count]));
  let best: Window | undefined;
  for (let start = slot - (SLOTS_PER_WINDOW - 1); start <= slot; start++) {
    let reads = 0;
    let deniedReads = 0;
    for (let at = start; at < start + SLOTS_PER_WINDOW; at++) {
      const count = bySlot.get(at);
      if (count) {
        reads += count.reads;
        deniedReads += count.deniedReads;
      }
    }
    if (best === undefined || reads > best.reads) best = { startSlot: start, endSlot: start + SLOTS_PER_WINDOW - 1, reads, deniedReads };
  }
  return best!;
}

/** What the slots of a window saw: first and last event time, source addresses and user agents (sorted, unique). */
export function windowEvidence(slots: readonly SlotCount[], window: Window): { firstTime?: string; lastTime?: string; sources: string[]; userAgents: string[] } {
  let firstTime: string | undefined;
  let lastTime: string | undefined;
  const sources = new Set<string>();
  const userAgents = new Set<string>();
  for (const count of slots) {
    if (count.slot < window.startSlot || count.slot > window.endSlot) continue;
    if (count.firstTime !== undefined && (firstTime === undefined || count.firstTime < firstTime)) firstTime = count.firstTime;
    if (count.lastTime !== undefined && (lastTime === undefined || count.lastTime > lastTime)) lastTime = count.lastTime;
    count.sources.forEach((source) => sources.add(source));
    count.userAgents.forEach((agent) => userAgents.add(agent));
  }
  return { firstTime, lastTime, sources: [...sources].sort(), userAgents: [...userAgents].sort() };
}

export interface Thresholds {
  readonly readThreshold: number;
  readonly sharePercent: number;
  readonly minimumReadsForShare: number;
  readonly objectCount?: number;
}

export interface Verdict {
  readonly fires: boolean;
  readonly byCount: boolean;
  readonly byShare: boolean;
  /** Reads as a percentage of the bucket's objects (one decimal), when the object count is known. */
  readonly sharePercent?: number;
}

/** Whether a window's reads reach the count threshold, or the share threshold of a bucket of known size. */
export function verdict(reads: number, thresholds: Thresholds): Verdict {
  const byCount = reads >= thresholds.readThreshold;
  const known = thresholds.objectCount !== undefined && thresholds.objectCount > 0;
  // Whole numbers only: reads * 100 >= percent * objects, with no rounding at the edge.
  const byShare = known && reads >= thresholds.minimumReadsForShare && reads * 100 >= thresholds.sharePercent * thresholds.objectCount!;
  return {
    fires: byCount || byShare,
    byCount,
    byShare,
    ...(known ? { sharePercent: Math.round((reads * 1000) / thresholds.objectCount!) / 10 } : {}),
  };
}

/**
 * One finding per principal, bucket and window: a new one only when its window starts after the last finding's
 * window ended. A sync that goes on yields one finding per window of reads, never one per read.
 */
export function opensNewIncident(previousEndSlot: number | undefined, window: Window): boolean {
  return previousEndSlot === undefined || previousEndSlot < window.startSlot;
}

/** Seconds since the epoch at which a slot's counter may be deleted: after every window holding it, plus late events. */
export function slotExpiry(slot: number, windowSeconds: number): number {
  return Math.ceil(((slot + SLOTS_PER_WINDOW + 1) * slotMs(windowSeconds)) / 1000) + EVENT_MEMORY_SECONDS;
}

export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString().replace('.000Z', 'Z');
}

/** The window's bounds as times: from the start of its first slot to the end of its last. */
export function windowTimes(window: Window, windowSeconds: number): { readonly start: string; readonly end: string } {
  const size = slotMs(windowSeconds);
  return { start: isoTime(window.startSlot * size), end: isoTime((window.endSlot + 1) * size) };
}
