import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { drillReadOf, routeDrill } from '../../functions/detector/drill';
import type { Finding } from '../../functions/detector/finding';
import { CANARY_BUCKET, CANARY_KEY, canaryRead, drill, drillHarness, drillRole } from './drill-records';
import { eventBridgeEvent, settings, WORKLOAD_ACCOUNT } from './records';

/*
 * Recognizing a drill read is a security decision: a record wrongly taken for the drill, or a finding wrongly taken
 * for the drill's own, is a real read that pages nobody. These are the records at the edge of that decision.
 */

function objectArn(bucket: string, key: string) {
  return { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` };
}

describe('detection drill: records at the edge of recognition', () => {
  it.each<[string, Record<string, unknown>]>([
    // CloudTrail writes null for a call without parameters: such a GetObject names no object, so no canary.
    ['a GetObject whose request parameters are null', canaryRead({ requestParameters: null })],
    // Only a role session is the drill, whatever its record claims as issuer.
    ['a federated user whose session names the drill role as its issuer', canaryRead({}, {}, { ...drillRole, type: 'FederatedUser', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:federated-user/bob` })],
    // A role session whose record carries no session context (or no issuer) does not show it is the drill role's.
    ['a role session with no session context', canaryRead({}, {}, { type: 'AssumedRole', principalId: 'AROAEXAMPLEDRILL0001:detection-drill', accountId: WORKLOAD_ACCOUNT })],
    ['a role session whose context names no issuer', canaryRead({}, {}, { ...drillRole, sessionContext: { attributes: drillRole.sessionContext.attributes } })],
  ])('does not take %s for the drill', (_, record) => {
    expect(drillReadOf(record as unknown as CloudTrailRecord, drill)).toBeUndefined();
  });
});

describe('detection drill: only the finding on the canary itself becomes the heartbeat', () => {
  it('still pages a sensitive read of another key when the record\'s object ARN and its request parameters disagree', async () => {
    // The request parameters name the canary, so the record is taken for the drill; the object ARN, which the rules
    // judge first, names a customer file. That finding is not the drill's and must reach someone.
    const { handler, published, logs } = drillHarness();
    await handler(eventBridgeEvent(canaryRead({ resources: [objectArn(CANARY_BUCKET, 'customers/2026/accounts.json')] })));
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access']);
    expect(JSON.parse(published[0].message).what).toMatchObject({ bucket: CANARY_BUCKET, key: 'customers/2026/accounts.json' });
    // And the drill proved nothing: the rule flagged another object, not the canary.
    expect(logs()[0]).toMatchObject({ DrillNotFlagged: 1 });
    expect(logs()[0]).not.toHaveProperty('DrillHeartbeat');
  });

  it('still pages a sensitive read of the same key in another monitored bucket named by the object ARN', async () => {
    const payroll = { name: 'acme-payroll-exports', keyPatterns: ['customers/*'] };
    const { handler, published, logs } = drillHarness({ monitoredBuckets: [...settings.monitoredBuckets, payroll] });
    await handler(eventBridgeEvent(canaryRead({ resources: [objectArn(payroll.name, CANARY_KEY)] })));
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access']);
    expect(JSON.parse(published[0].message).what).toMatchObject({ bucket: payroll.name, key: CANARY_KEY });
    expect(logs()[0]).not.toHaveProperty('DrillHeartbeat');
  });

  it('keeps a sensitive-read finding of the canary from another event', () => {
    // Only the finding of this very read is the drill's; one carried over from another event is not this read's proof.
    const record = canaryRead() as unknown as CloudTrailRecord;
    const other = { rule: 'sensitive-object-access', what: { eventId: '00000000-0000-4000-8000-999999999999', bucket: CANARY_BUCKET, key: CANARY_KEY } } as unknown as Finding;
    const routed = routeDrill(record, [other], drill);
    expect(routed.read).toBeDefined();
    expect(routed.flagged).toBe(false);
    expect(routed.findings).toEqual([other]);
  });
});
