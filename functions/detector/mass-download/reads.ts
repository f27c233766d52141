import type { CloudTrailRecord } from '../cloudtrail';
import { NetworkSet } from '../network';
import { PrincipalMatcher } from '../principals';
import { originOf, type RuleContext } from '../rules/context';
import { objectsRead } from '../s3-object';
import { principalKey } from './finding';
import type { MassDownloadSettings } from './settings';
import { countedTime, slotOf, type Thresholds } from './window';

/*
 * Which reads the mass-download rule counts: every object read (GetObject, SelectObjectContent, GetObjectTorrent, the
 * source of CopyObject and UploadPartCopy; ../s3-object.ts) of a monitored bucket, whoever made it and whatever the
 * key, denied or not. One event counts once per bucket, however many forms of the object it names.
 */

/** A user agent is the caller's free text: only this much of it is kept as evidence. */
export const USER_AGENT_LIMIT = 256;

export interface CountedRead {
  readonly principal: string;
  readonly bucket: string;
  readonly eventId: string;
  /** The time the read is counted at (window.ts countedTime), and its slot. */
  readonly timeMs: number;
  readonly slot: number;
  readonly denied: boolean;
  readonly source?: string;
  readonly userAgent?: string;
  /** Counted, never fires: the principal and network match an exemption. */
  readonly exempt: boolean;
}

interface CompiledExemption {
  readonly principals?: PrincipalMatcher;
  readonly context?: RuleContext;
}

/** The rule's settings compiled once at cold start. */
export class MassDownloadContext {
  private readonly exemptions: readonly CompiledExemption[];
  private readonly buckets: ReadonlyMap<string, { readThreshold?: number; objectCount?: number }>;

  constructor(
    readonly settings: MassDownloadSettings,
    private readonly rules: RuleContext,
  ) {
    const accounts = rules.settings.organizationAccountIds;
    this.exemptions = settings.exemptions.map((exemption) => ({
      ...(exemption.principals ? { principals: new PrincipalMatcher(exemption.principals, accounts) } : {}),
      ...(exemption.cidrs || exemption.vpcEndpoints
        ? {
            // The same origin test as the authorized networks: an address through a VPC endpoint outside the
            // organization is someone else's, and an exemption by network never covers it.
            context: { ...rules, networks: new NetworkSet(exemption.cidrs ?? []), vpcEndpoints: new Set(exemption.vpcEndpoints ?? []), services: new Set<string>() },
          }
        : {}),
    }));
    this.buckets = new Map(settings.buckets.map((bucket) => [bucket.name, bucket]));
  }

  thresholdsOf(bucket: string): Thresholds {
    const own = this.buckets.get(bucket);
    return {
      readThreshold: own?.readThreshold ?? this.settings.readThreshold,
      sharePercent: this.settings.sharePercent,
      minimumReadsForShare: this.settings.minimumReadsForShare,
      ...(own?.objectCount !== undefined ? { objectCount: own.objectCount } : {}),
    };
  }

  /** The reads of monitored buckets an event made, one per bucket; none for every other event. */
  readsOf(record: CloudTrailRecord, now: Date): CountedRead[] {
    const objects = objectsRead(record, this.rules.buckets);
    if (objects.length === 0) return [];
    const buckets = [...new Set(objects.map((object) => object.bucket).filter((bucket) => this.rules.sensitiveKeys.has(bucket)))];
    if (buckets.length === 0) return [];
    const timeMs = countedTime(record.eventTime, now);
    const slot = slotOf(timeMs, this.settings.windowSeconds);
    const principal = principalKey(record);
    const exempt = this.isExempt(record);
    const source = typeof record.vpcEndpointId === 'string' && record.vpcEndpointId.length > 0 ? record.vpcEndpointId : record.sourceIPAddress;
    const userAgent = typeof record.userAgent === 'string' ? record.userAgent.slice(0, USER_AGENT_LIMIT) : undefined;
    return buckets.map((bucket) => ({
      principal,
      bucket,
      eventId: record.eventID,
      timeMs,
      slot,
      denied: record.errorCode !== undefined,
      ...(typeof source === 'string' && source.length > 0 ? { source } : {}),
      ...(userAgent ? { userAgent } : {}),
      exempt,
    }));
  }

  private isExempt(record: CloudTrailRecord): boolean {
    return this.exemptions.some((exemption) => {
      if (exemption.principals && !exemption.principals.matchesIdentity(record.userIdentity)) return false;
      if (exemption.context) {
        const origin = originOf(record, exemption.context);
        if (origin !== 'authorized-network' && origin !== 'authorized-vpc-endpoint') return false;
      }
      return true;
    });
  }
}
