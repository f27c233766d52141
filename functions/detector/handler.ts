import { FindingAggregator } from './aggregation';
import { assertCloudTrailRecord, type CloudTrailRecord, MalformedEventError } from './cloudtrail';
import { createDetector } from './detector';
import { drillLogLine, NO_DRILL, routeDrill, withoutDrillRole } from './drill';
import { type Finding, messageOf, subjectOf } from './finding';
import { type RevocationDecision, type RevocationPlan, responsePlan } from './response';
import type { DetectorSettings } from './settings';
import { untrustedReason } from './trust';
import { type CutOffPlan, cutOffPlan } from './mass-download/cut-off';
import { MassDownloadContext } from './mass-download/reads';
import { MassDownloadRule, type WindowStore } from './mass-download/rule';
import { compileRuleContext } from './rules/context';

/*
 * The Lambda's behaviour, with its AWS calls passed in so tests run it without AWS. One EventBridge event per
 * invocation, as EventBridge delivers to a Lambda target: a batch would make a retry republish the findings already
 * sent. An event that is not such an event, or whose record is malformed, is logged, counted and thrown, so Lambda's
 * retries and then the on-failure destination keep it. An event that does not come from CloudTrail (see trust.ts) is
 * logged and counted (the UntrustedEvents metric, which raises an alarm) but not thrown: retrying a forgery only
 * multiplies it.
 */

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const METRIC_NAMESPACE = 'S3AccessDetector';

export interface Notification {
  readonly subject: string;
  readonly message: string;
  readonly rule: string;
}

export interface HandlerDependencies {
  readonly settings: DetectorSettings;
  readonly publish: (notification: Notification) => Promise<void>;
  /** Applies an enforce-mode revocation unless the role's current policy makes it unneeded; says which. */
  readonly revoke: (plan: RevocationPlan) => Promise<RevocationDecision>;
  /**
   * Puts a mass-download cut-off (enforce mode) on the flagged role; a person removes it (tools/approve.ts).
   * @default - none: an enforce-mode cut-off is then reported as failed
   */
  readonly cutOff?: (plan: CutOffPlan) => Promise<void>;
  /** The stateful rules' store (the DynamoDB table); required when settings.massDownload is set. */
  readonly windows?: WindowStore;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

export interface HandlerResult {
  readonly eventId: string;
  readonly findings: number;
  /** Why the event was not judged, when it was not trusted. */
  readonly rejected?: string;
}

export function createHandler(dependencies: HandlerDependencies): (event: unknown) => Promise<HandlerResult> {
  const { settings, publish, revoke } = dependencies;
  const log = dependencies.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = dependencies.now ?? (() => new Date());
  const detector = createDetector(settings);
  const organization = new Set(settings.organizationAccountIds);
  const aggregator = new FindingAggregator();
  // No state, no rule: a mass-download rule without its table would count nothing and say nothing.
  if (settings.massDownload && !dependencies.windows) throw new Error('the mass-download rule is on but has no window store (STATE_TABLE_NAME)');
  const massDownload =
    settings.massDownload && dependencies.windows
      ? new MassDownloadRule(new MassDownloadContext(settings.massDownload, compileRuleContext(settings)), dependencies.windows)
      : undefined;
  const accessPointArns = new Map(settings.monitoredBuckets.map((bucket) => [bucket.name, (bucket.accessPoints ?? []).filter((point) => point.startsWith('arn:'))]));

  return async (event: unknown): Promise<HandlerResult> => {
    let findings: readonly Finding[];
    let eventId: string;
    let record: CloudTrailRecord;
    try {
      const detail = cloudTrailRecordOf(event);
      assertCloudTrailRecord(detail);
      record = detail;
      const untrusted = untrustedReason(event as Record<string, unknown>, record, organization);
      if (untrusted !== undefined) {
        const id = typeof (event as { id?: unknown }).id === 'string' ? (event as { id: string }).id : '';
        log(JSON.stringify({ level: 'WARN', message: 'untrusted event dropped', reason: untrusted, id, ...metric('UntrustedEvents', 1, now()) }));
        return { eventId: id, findings: 0, rejected: untrusted };
      }
      findings = detector.evaluate(record);
      eventId = (record as { eventID: string }).eventID;
      // A detection drill read is a heartbeat, not a page (drill.ts).
      const drill = routeDrill(record as CloudTrailRecord, findings, settings.drill ?? NO_DRILL);
      if (drill.read) log(JSON.stringify(drillLogLine(drill.read, drill.flagged === true, now())));
      findings = drill.findings;
    } catch (error) {
      if (error instanceof MalformedEventError) {
        log(JSON.stringify({ level: 'ERROR', message: error.message, reason: error.reason, eventId: error.eventId, ...metric('MalformedEvents', 1, now()) }));
      }
      throw error;
    }
    // Counted before anything is published: when the table cannot be reached the event fails whole, and Lambda's
    // retries, then the failure queue, keep it (never silently uncounted).
    const volumes = massDownload ? await massDownload.observe(record, now()) : [];
    for (const finding of volumes) {
      const revocation = withoutDrillRole(responsePlan(finding, settings, now()), settings.drill ?? NO_DRILL);
      const cut = cutOffPlan(finding, revocation, accessPointArns.get(finding.what.bucket ?? '') ?? []);
      let response: Record<string, unknown> | undefined = revocation === undefined ? undefined : { ...revocation };
      if (revocation?.action === 'revoke-role-sessions' && revocation.mode === 'enforce') {
        try {
          const decision = await revoke(revocation);
          response = { ...response, applied: decision === 'apply', decision };
        } catch (error) {
          response = { ...response, applied: false, error: String(error) };
          log(JSON.stringify({ level: 'ERROR', message: 'session revocation failed', roleArn: revocation.roleArn, error: String(error) }));
        }
      }
      if (cut !== undefined) {
        let applied = false;
        let failure: string | undefined;
        if (cut.action === 'cut-off-bucket' && cut.mode === 'enforce') {
          try {
            if (!dependencies.cutOff) throw new Error('no cut-off is wired in');
            await dependencies.cutOff(cut);
            applied = true;
          } catch (error) {
            failure = String(error);
            log(JSON.stringify({ level: 'ERROR', message: 'cut-off failed', findingId: finding.id, error: failure }));
          }
        }
        response = { ...response, cutOff: { ...cut, applied, ...(failure === undefined ? {} : { error: failure }) } };
      }
      // Never aggregated: the table already allows one finding per principal, bucket and window.
      await publish({ subject: subjectOf(finding), message: messageOf(finding, response), rule: finding.rule });
      await massDownload!.published(finding);
      log(JSON.stringify({ level: 'WARN', message: 'finding', rule: finding.rule, findingId: finding.id, eventId: finding.what.eventId, ...metric('Findings', 1, now(), finding.rule) }));
    }
    for (const finding of findings) {
      const plan = withoutDrillRole(responsePlan(finding, settings, now()), settings.drill ?? NO_DRILL);
      let response: unknown = plan;
      let revoked = false;
      if (plan?.action === 'revoke-role-sessions' && plan.mode === 'enforce') {
        try {
          const decision = await revoke(plan);
          revoked = decision === 'apply';
          response = { ...plan, applied: revoked, decision };
        } catch (error) {
          // The finding matters more than the response: publish it with the failure rather than lose both.
          response = { ...plan, applied: false, error: String(error) };
          log(JSON.stringify({ level: 'ERROR', message: 'session revocation failed', roleArn: plan.roleArn, error: String(error) }));
        }
      }
      // A revocation is always reported; anything else is aggregated per rule, principal and source.
      const admission = aggregator.admit(finding, now());
      if (!revoked && !admission.publish) {
        log(JSON.stringify({ level: 'INFO', message: 'finding aggregated', rule: finding.rule, eventId: finding.what.eventId, ...metric('SuppressedFindings', 1, now(), finding.rule) }));
        continue;
      }
      const repeats = admission.suppressedBefore > 0 ? { suppressedInPreviousWindow: admission.suppressedBefore } : undefined;
      await publish({ subject: subjectOf(finding), message: messageOf(finding, response, repeats), rule: finding.rule });
      log(JSON.stringify({ level: 'WARN', message: 'finding', rule: finding.rule, eventId: finding.what.eventId, ...metric('Findings', 1, now(), finding.rule) }));
    }
    return { eventId, findings: findings.length + volumes.length };
  };
}

/** The CloudTrail record inside an EventBridge "AWS API Call via CloudTrail" event. */
export function cloudTrailRecordOf(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new MalformedEventError(`expected one EventBridge event object, got ${Array.isArray(event) ? 'an array' : event === null ? 'null' : typeof event}`);
  }
  const envelope = event as Record<string, unknown>;
  if (envelope['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    throw new MalformedEventError(`expected detail-type "${CLOUDTRAIL_DETAIL_TYPE}", got ${JSON.stringify(envelope['detail-type'])}`);
  }
  if (typeof envelope.detail !== 'object' || envelope.detail === null || Array.isArray(envelope.detail)) {
    throw new MalformedEventError('the event has no "detail" (the CloudTrail record)', typeof envelope.id === 'string' ? envelope.id : undefined);
  }
  return envelope.detail;
}

/** A CloudWatch embedded-metric-format block: the log line becomes a metric without an API call. */
function metric(name: string, value: number, at: Date, rule?: string): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: rule ? [['Rule']] : [[]], Metrics: [{ Name: name, Unit: 'Count' }] }],
    },
    ...(rule ? { Rule: rule } : {}),
    [name]: value,
  };
}
