import { MalformedEventError } from '../../functions/detector/cloudtrail';
import { SUBJECT_LIMIT } from '../../functions/detector/finding';
import { createHandler, type Notification } from '../../functions/detector/handler';
import type { RevocationDecision } from '../../functions/detector/response';
import type { DetectorSettings } from '../../functions/detector/settings';
import { eventBridgeEvent, identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

const NOW = new Date('2026-11-21T10:16:00.000Z');

function harness(overrides: Partial<DetectorSettings> = {}, revokeFails = false, decision: RevocationDecision = 'apply') {
  const published: Notification[] = [];
  const revoked: unknown[] = [];
  const logs: string[] = [];
  const handler = createHandler({
    settings: { ...settings, ...overrides },
    publish: async (notification) => {
      published.push(notification);
    },
    revoke: async (plan) => {
      if (revokeFails) throw new Error('AccessDenied: not authorized to perform iam:PutRolePolicy');
      revoked.push(plan);
      return decision;
    },
    log: (line) => logs.push(line),
    now: () => NOW,
  });
  return { handler, published, revoked, logs };
}

describe('detector handler', () => {
  it('publishes one message per finding with a triage subject and who / from where / what in the body', async () => {
    // Prepare
    const { handler, published } = harness();
    const record = objectRead(identities.instanceRole);
    // Act
    const result = await handler(eventBridgeEvent(record));
    // Assess
    expect(result).toEqual({ eventId: record.eventID, findings: 2 });
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access', 'instance-credentials-outside-aws']);
    expect(published[0].subject).toBe(
      'Sensitive S3 read by acme-web from 198.51.100.7: acme-customer-records/customers/2026/accounts.json',
    );
    const body = JSON.parse(published[0].message);
    expect(body).toMatchObject({
      rule: 'sensitive-object-access',
      who: { type: 'AssumedRole', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/i-0abc1234def567890`, accessKeyId: 'ASIAEXAMPLEWEB000001' },
      from: { sourceIp: '198.51.100.7', userAgent: expect.stringContaining('aws-cli') },
      what: { bucket: 'acme-customer-records', eventName: 'GetObject', eventId: record.eventID, eventTime: '2026-11-21T10:15:00Z', region: 'eu-west-1', account: WORKLOAD_ACCOUNT },
    });
    expect(body.response).toBeUndefined();
  });

  it('keeps subjects within the SNS limit and printable, cutting the key rather than the caller', async () => {
    const { handler, published } = harness();
    await handler(eventBridgeEvent(objectRead(identities.iamUser, { key: `customers/${'é'.repeat(40)}/${'x'.repeat(200)}.csv` })));
    expect(published[0].subject.length).toBeLessThanOrEqual(SUBJECT_LIMIT);
    expect(published[0].subject).toMatch(/^Sensitive S3 read by alice from 198\.51\.100\.7: acme-customer-records\/customers\/\?+/);
    expect(published[0].subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('publishes nothing for an authorized read', async () => {
    const { handler, published } = harness();
    expect(await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { sourceIPAddress: '203.0.113.9' })))).toMatchObject({ findings: 0 });
    expect(published).toEqual([]);
  });

  it('describes the session revocation in dry-run mode without applying it', async () => {
    const { handler, published, revoked } = harness({ response: 'dry-run' });
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(revoked).toEqual([]);
    const { response } = JSON.parse(published[0].message);
    expect(response).toMatchObject({
      action: 'revoke-role-sessions',
      mode: 'dry-run',
      roleName: 'acme-web',
      responseRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`,
    });
    expect(JSON.parse(response.policyDocument).Statement[0]).toEqual({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      // The event's second (10:15:00Z) ends at 10:15:01Z; the processing time (NOW) plays no part.
      Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T10:15:01Z' } },
    });
  });

  it('revokes the role sessions in enforce mode and says so in the message', async () => {
    const { handler, published, revoked } = harness({ response: 'enforce' });
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(revoked).toHaveLength(2);
    expect(JSON.parse(published[0].message).response).toMatchObject({ applied: true, roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web` });
  });

  it('still publishes the finding when the revocation fails', async () => {
    const { handler, published, logs } = harness({ response: 'enforce' }, true);
    await handler(eventBridgeEvent(objectRead(identities.apiRole, {}, { sourceIPAddress: '198.51.100.7' })));
    expect(JSON.parse(published[0].message).response).toMatchObject({ applied: false, error: expect.stringContaining('AccessDenied') });
    expect(logs.some((line) => line.includes('session revocation failed'))).toBe(true);
  });

  it('explains why there is nothing to revoke for callers without a role session', async () => {
    const { handler, published, revoked } = harness({ response: 'enforce' });
    await handler(eventBridgeEvent(listBuckets(identities.iamUser)));
    await handler(eventBridgeEvent(listBuckets(identities.identityCenterRole)));
    expect(revoked).toEqual([]);
    expect(published.map((message) => JSON.parse(message.message).response.reason)).toEqual([
      'no role session to revoke for a iam-user caller',
      'Identity Center roles are managed by Identity Center: revoke the user session there',
    ]);
  });

  it.each([
    ['an array (batches are not accepted)', [eventBridgeEvent(listBuckets(identities.iamUser))]],
    ['another detail type', { 'detail-type': 'Object Created', detail: {} }],
    ['an event without detail', { 'detail-type': 'AWS API Call via CloudTrail', id: 'evt-1' }],
    ['a truncated record', eventBridgeEvent({ eventVersion: '1.10', eventTime: '2026-11-21T10:15:00Z' })],
  ])('throws for %s, after logging it with a MalformedEvents metric', async (_, event) => {
    const { handler, published, logs } = harness();
    await expect(handler(event)).rejects.toThrow(MalformedEventError);
    expect(published).toEqual([]);
    const line = JSON.parse(logs[0]);
    expect(line).toMatchObject({ level: 'ERROR', MalformedEvents: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'S3AccessDetector', Metrics: [{ Name: 'MalformedEvents' }] }] } });
  });

  it('lets a publishing failure fail the invocation so Lambda retries it', async () => {
    const handler = createHandler({
      settings,
      publish: async () => {
        throw new Error('Throttling');
      },
      revoke: async () => 'apply',
      log: () => undefined,
    });
    await expect(handler(eventBridgeEvent(listBuckets(identities.iamUser)))).rejects.toThrow('Throttling');
  });
});
