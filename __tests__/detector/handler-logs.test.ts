import { MalformedEventError } from '../../functions/detector/cloudtrail';
import { CLOUDTRAIL_DETAIL_TYPE, cloudTrailRecordOf, createHandler, METRIC_NAMESPACE, type Notification } from '../../functions/detector/handler';
import type { RevocationDecision, RevocationPlan } from '../../functions/detector/response';
import type { DetectorSettings } from '../../functions/detector/settings';
import { eventBridgeEvent, identities, listBuckets, objectRead, OUTSIDE_ACCOUNT, settings, WORKLOAD_ACCOUNT } from './records';

/* What the handler logs (the metrics the alarms read are in these lines) and what it makes of each event. */

const NOW = new Date('2026-11-21T10:16:00.000Z');

function harness(overrides: Partial<DetectorSettings> = {}, revoke: (plan: RevocationPlan) => Promise<RevocationDecision> = async () => 'apply') {
  const published: Notification[] = [];
  const logs: Record<string, unknown>[] = [];
  const handler = createHandler({
    settings: { ...settings, ...overrides },
    publish: async (notification) => {
      published.push(notification);
    },
    revoke,
    log: (line) => logs.push(JSON.parse(line)),
    now: () => NOW,
  });
  return { handler, published, logs };
}

const metricBlock = (name: string, rule?: string) => ({
  _aws: {
    Timestamp: NOW.getTime(),
    CloudWatchMetrics: [{ Namespace: 'S3AccessDetector', Dimensions: rule ? [['Rule']] : [[]], Metrics: [{ Name: name, Unit: 'Count' }] }],
  },
  ...(rule ? { Rule: rule } : {}),
  [name]: 1,
});

describe('handler log lines', () => {
  it('log each published finding with the Findings metric per rule', async () => {
    const { handler, logs } = harness();
    const record = listBuckets(identities.iamUser);
    await handler(eventBridgeEvent(record));
    expect(logs).toEqual([{ level: 'WARN', message: 'finding', rule: 'bucket-enumeration', eventId: record.eventID, ...metricBlock('Findings', 'bucket-enumeration') }]);
    expect(METRIC_NAMESPACE).toBe('S3AccessDetector');
  });

  it('log an aggregated finding with the SuppressedFindings metric, and publish it with the next window', async () => {
    const { handler, logs, published } = harness();
    await handler(eventBridgeEvent(listBuckets(identities.iamUser)));
    const second = listBuckets(identities.iamUser);
    await handler(eventBridgeEvent(second));
    expect(logs[1]).toEqual({ level: 'INFO', message: 'finding aggregated', rule: 'bucket-enumeration', eventId: second.eventID, ...metricBlock('SuppressedFindings', 'bucket-enumeration') });
    expect(published).toHaveLength(1);
    expect(JSON.parse(published[0].message).repeats).toBeUndefined();
    await handler(eventBridgeEvent(listBuckets(identities.iamUser, { eventTime: '2026-11-21T10:20:00Z' })));
    expect(JSON.parse(published[1].message).repeats).toEqual({ suppressedInPreviousWindow: 1 });
  });

  it('log an untrusted event with its reason and id and the UntrustedEvents metric, and judge nothing', async () => {
    const { handler, logs, published } = harness();
    const forged: Record<string, unknown> = { ...eventBridgeEvent(listBuckets(identities.iamUser)), source: 'acme.s3' };
    expect(await handler(forged)).toEqual({ eventId: forged.id, findings: 0, rejected: 'source "acme.s3" is not an AWS service' });
    expect(logs).toEqual([{ level: 'WARN', message: 'untrusted event dropped', reason: 'source "acme.s3" is not an AWS service', id: forged.id, ...metricBlock('UntrustedEvents') }]);
    expect(published).toEqual([]);
    const { id: _, ...withoutId } = forged;
    expect(await handler({ ...withoutId, account: OUTSIDE_ACCOUNT })).toMatchObject({ eventId: '', findings: 0 });
    expect(await handler({ ...forged, id: 7, source: 'aws.s3', account: OUTSIDE_ACCOUNT })).toMatchObject({ eventId: '' });
  });

  it('log a malformed record with its reason and event id and the MalformedEvents metric', async () => {
    const { handler, logs } = harness();
    const { eventName: _, ...truncated } = listBuckets(identities.iamUser);
    await expect(handler(eventBridgeEvent(truncated))).rejects.toThrow(MalformedEventError);
    expect(logs).toEqual([
      {
        level: 'ERROR',
        message: `malformed event ${String(truncated.eventID)}: missing or empty "eventName"`,
        reason: 'missing or empty "eventName"',
        eventId: truncated.eventID,
        ...metricBlock('MalformedEvents'),
      },
    ]);
  });

  it('rethrow any other failure without counting it as malformed', async () => {
    const { handler, logs } = harness();
    const poisoned = eventBridgeEvent(listBuckets(identities.iamUser));
    Object.defineProperty(poisoned, 'source', {
      get() {
        throw new TypeError('boom');
      },
    });
    await expect(handler(poisoned)).rejects.toThrow('boom');
    expect(logs).toEqual([]);
  });

  it('log a failed revocation with the role and the error', async () => {
    const { handler, logs, published } = harness({ response: 'enforce' }, async () => {
      throw new Error('AccessDenied');
    });
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(logs[0]).toEqual({ level: 'ERROR', message: 'session revocation failed', roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-records-api`, error: 'Error: AccessDenied' });
    expect(JSON.parse(published[0].message).response).toMatchObject({ action: 'revoke-role-sessions', applied: false, error: 'Error: AccessDenied' });
  });

  it('write to standard output and use the clock when not given others', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
      lines.push(String(text));
      return true;
    });
    try {
      const handler = createHandler({ settings, publish: async () => undefined, revoke: async () => 'apply' });
      const before = Date.now();
      await handler(eventBridgeEvent(listBuckets(identities.iamUser)));
      expect(lines).toHaveLength(1);
      expect(lines[0].endsWith('}\n')).toBe(true);
      const line = JSON.parse(lines[0]);
      expect(line.message).toBe('finding');
      expect(line._aws.Timestamp).toBeGreaterThanOrEqual(before);
      expect(line._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    } finally {
      write.mockRestore();
    }
  });
});

describe('the response in a published finding', () => {
  it('is the plan alone in dry-run mode, and the plan with the decision in enforce mode', async () => {
    const dryRun = harness({ response: 'dry-run' });
    await dryRun.handler(eventBridgeEvent(objectRead(identities.apiRole)));
    const planned = JSON.parse(dryRun.published[0].message).response;
    expect(planned).toMatchObject({ action: 'revoke-role-sessions', mode: 'dry-run' });
    expect(planned.applied).toBeUndefined();
    expect(planned.decision).toBeUndefined();

    const covered = harness({ response: 'enforce' }, async () => 'covered');
    await covered.handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(JSON.parse(covered.published[0].message).response).toEqual({ ...planned, mode: 'enforce', applied: false, decision: 'covered' });

    const applied = harness({ response: 'enforce' });
    await applied.handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(JSON.parse(applied.published[0].message).response).toEqual({ ...planned, mode: 'enforce', applied: true, decision: 'apply' });
  });

  it('is absent when the response is off, and a reason when there is nothing to revoke', async () => {
    const off = harness();
    await off.handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(JSON.parse(off.published[0].message)).not.toHaveProperty('response');
    const none = harness({ response: 'enforce' });
    await none.handler(eventBridgeEvent(listBuckets(identities.apiRole)));
    expect(JSON.parse(none.published[0].message).response).toEqual({ action: 'none', mode: 'enforce', reason: 'enumeration is not evidence of stolen credentials' });
  });

  it('aggregates a finding whose revocation was not applied (cooldown) like any other', async () => {
    const { handler, published } = harness({ response: 'enforce' }, async () => 'cooldown');
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    await handler(eventBridgeEvent(objectRead(identities.apiRole)));
    expect(published).toHaveLength(1);
  });
});

describe('the CloudTrail record of an event', () => {
  it.each<[string, unknown, string]>([
    ['an array', [], 'expected one EventBridge event object, got an array'],
    ['null', null, 'expected one EventBridge event object, got null'],
    ['a string', 'event', 'expected one EventBridge event object, got string'],
    ['another detail type', { 'detail-type': 'Object Created' }, 'expected detail-type "AWS API Call via CloudTrail", got "Object Created"'],
    ['no detail type', {}, 'expected detail-type "AWS API Call via CloudTrail", got undefined'],
    ['no detail', { 'detail-type': CLOUDTRAIL_DETAIL_TYPE }, 'the event has no "detail" (the CloudTrail record)'],
    ['a null detail', { 'detail-type': CLOUDTRAIL_DETAIL_TYPE, detail: null }, 'the event has no "detail" (the CloudTrail record)'],
    ['a list as detail', { 'detail-type': CLOUDTRAIL_DETAIL_TYPE, detail: [] }, 'the event has no "detail" (the CloudTrail record)'],
    ['a string as detail', { 'detail-type': CLOUDTRAIL_DETAIL_TYPE, detail: 'x' }, 'the event has no "detail" (the CloudTrail record)'],
  ])('is refused for %s', (_, event, reason) => {
    expect(() => cloudTrailRecordOf(event)).toThrow(new MalformedEventError(reason));
    try {
      cloudTrailRecordOf(event);
    } catch (error) {
      expect((error as MalformedEventError).reason).toBe(reason);
    }
  });

  it('names the event id when the event has one', () => {
    try {
      cloudTrailRecordOf({ 'detail-type': CLOUDTRAIL_DETAIL_TYPE, id: 'evt-9' });
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({ eventId: 'evt-9', message: 'malformed event evt-9: the event has no "detail" (the CloudTrail record)' });
    }
    try {
      cloudTrailRecordOf({ 'detail-type': CLOUDTRAIL_DETAIL_TYPE, id: 9 });
    } catch (error) {
      expect(error).toMatchObject({ eventId: undefined });
    }
  });

  it('is the detail of a CloudTrail event', () => {
    const record = listBuckets(identities.iamUser);
    expect(cloudTrailRecordOf(eventBridgeEvent(record))).toBe(record);
  });
});
