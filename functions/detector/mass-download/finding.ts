import { createHash } from 'node:crypto';
import { classifyCaller } from '../caller';
import type { CloudTrailRecord } from '../cloudtrail';
import { type Finding, findingOf } from '../finding';
import { isoTime, type SlotCount, type Thresholds, type Verdict, type Window, windowEvidence, windowTimes } from './window';

/** What a mass-download finding adds to the who / from where / what of the read that completed the window. */
export interface MassDownloadVolume {
  /** Object reads of the bucket by the principal within the window, denied ones included. */
  readonly reads: number;
  readonly deniedReads: number;
  readonly objectCount?: number;
  /** Reads as a percentage of the bucket's objects, when the object count is known. */
  readonly sharePercent?: number;
  readonly window: { readonly start: string; readonly end: string; readonly seconds: number };
  readonly firstEventTime: string;
  readonly lastEventTime: string;
  /** A sample: the first and last source address and user agent of each tenth of the window. */
  readonly sourceIps: readonly string[];
  readonly userAgents: readonly string[];
  readonly readThreshold: number;
  /** The share threshold, when the object count is known. */
  readonly shareThresholdPercent?: number;
}

/** The principal reads are counted for: the role behind a session (all its sessions together), else the caller. */
export function principalKey(record: CloudTrailRecord): string {
  const caller = classifyCaller(record.userIdentity);
  return caller.roleArn ?? caller.arn ?? `${caller.accountId ?? ''}:${caller.kind}:${caller.name}`;
}

/**
 * The finding's id: the same principal, bucket and window always give the same id, so a retried event that completes
 * the same window names the same finding. Short enough to type: `npm run approve -- md-…`.
 */
export function massDownloadFindingId(principal: string, bucket: string, window: Window, windowSeconds: number): string {
  const digest = createHash('sha256').update(`${principal}|${bucket}|${window.startSlot}|${windowSeconds}`).digest('hex');
  return `md-${digest.slice(0, 20)}`;
}

export interface MassDownloadFindingInput {
  readonly record: CloudTrailRecord;
  readonly principal: string;
  readonly bucket: string;
  readonly window: Window;
  readonly windowSeconds: number;
  readonly slots: readonly SlotCount[];
  readonly verdict: Verdict;
  readonly thresholds: Thresholds;
  /** The time the completing read was counted at: part of the window's first and last events too. */
  readonly readTimeMs: number;
}

/** The finding of a window that reached a threshold, told from the read that completed it. */
export function massDownloadFinding(input: MassDownloadFindingInput): Finding {
  const { record, window, verdict, thresholds } = input;
  const evidence = windowEvidence(input.slots, window);
  // Each slot keeps the first and last read to arrive; the completing read's own time corrects an out-of-order slot.
  const readTime = isoTime(input.readTimeMs);
  const firstTime = evidence.firstTime === undefined || readTime < evidence.firstTime ? readTime : evidence.firstTime;
  const lastTime = evidence.lastTime === undefined || readTime > evidence.lastTime ? readTime : evidence.lastTime;
  const times = windowTimes(window, input.windowSeconds);
  const share = verdict.sharePercent !== undefined ? `, ${verdict.sharePercent}% of its ${thresholds.objectCount} objects` : '';
  const which = [verdict.byCount ? `at least ${thresholds.readThreshold} reads` : '', verdict.byShare ? `at least ${thresholds.sharePercent}% of the objects` : '']
    .filter(Boolean)
    .join(' and ');
  const reason = `${window.reads} object reads of ${input.bucket} (${window.deniedReads} denied${share}) within ${input.windowSeconds / 60} minutes: ${which}`;
  const base = findingOf('mass-download', reason, record, classifyCaller(record.userIdentity), { bucket: input.bucket });
  return {
    id: massDownloadFindingId(input.principal, input.bucket, window, input.windowSeconds),
    ...base,
    volume: {
      reads: window.reads,
      deniedReads: window.deniedReads,
      ...(thresholds.objectCount !== undefined ? { objectCount: thresholds.objectCount } : {}),
      ...(verdict.sharePercent !== undefined ? { sharePercent: verdict.sharePercent } : {}),
      window: { ...times, seconds: input.windowSeconds },
      firstEventTime: firstTime,
      lastEventTime: lastTime,
      sourceIps: evidence.sources,
      userAgents: evidence.userAgents,
      readThreshold: thresholds.readThreshold,
      ...(thresholds.objectCount !== undefined ? { shareThresholdPercent: thresholds.sharePercent } : {}),
    },
  };
}
