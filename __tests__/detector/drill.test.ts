import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import {
  DRILL_METRIC_NAMESPACE,
  drillReadOf,
  isDrillRole,
  routeDrill,
  withoutDrillRole,
} from '../../functions/detector/drill';
import { METRIC_NAMESPACE } from '../../functions/detector/handler';
import type { ResponsePlan } from '../../functions/detector/response';
import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { CANARY_KEY, canaryRead, DRILL_ROLE_ARN, drill, drillHarness, drillRole, NOW } from './drill-records';
import { eventBridgeEvent, identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

describe('detection drill: recognition', () => {
  it('recognizes the drill role reading its canary in the bucket\'s account and region', () => {
    const record = canaryRead() as unknown as CloudTrailRecord;
    expect(drillReadOf(record, drill)).toEqual({
      canary: drill.canaries[0],
      succeeded: true,
      errorCode: undefined,
      eventId: record.eventID,
      eventTime: record.eventTime,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['another principal reading the canary', objectRead(identities.apiRole, { key: CANARY_KEY }, { sourceIPAddress: '52.95.150.10' })],
    ['an instance role reading the canary', objectRead(identities.instanceRole, { key: CANARY_KEY })],
    ['the drill role reading another sensitive key', canaryRead({}, { key: 'customers/2026/accounts.json' })],
    ['the drill role reading a key that differs only in case', canaryRead({}, { key: CANARY_KEY.toUpperCase() })],
    ['the drill role reading the same key in another bucket', canaryRead({}, { bucket: 'acme-other-records' })],
    ['the drill role copying the canary', canaryRead({}, { eventName: 'CopyObject' })],
    ['the drill role listing buckets', listBuckets(drillRole)],
    ['a role of the same name in another account', canaryRead({ userIdentity: { ...drillRole, accountId: '999999999999', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::999999999999:role/acme-detector-drill' } } } })],
    ['a session claiming the drill role from another account', canaryRead({ userIdentity: { ...drillRole, accountId: '999999999999' } })],
    ['a record delivered to another account', canaryRead({ recipientAccountId: '999999999999' })],
    ['a record from another region', canaryRead({ awsRegion: 'us-east-1' })],
    ['a read through a VPC endpoint', canaryRead({ vpcEndpointId: 'vpce-0a1b2c3d4e5f60718', vpcEndpointAccountId: WORKLOAD_ACCOUNT })],
    ['a read by an AWS service for the role', canaryRead({ sourceIPAddress: 'athena.amazonaws.com' })],
    ['a read with invokedBy', canaryRead({ userIdentity: { ...drillRole, invokedBy: 'athena.amazonaws.com' } })],
    ['a read with no source address', canaryRead({ sourceIPAddress: undefined })],
    ['a non-S3 event source', canaryRead({ eventSource: 's3-object-lambda.amazonaws.com' })],
  ])('does not take %s for the drill', (_, record) => {
    expect(drillReadOf(record as unknown as CloudTrailRecord, drill)).toBeUndefined();
  });

  it('recognizes nothing when the drill is off', () => {
    expect(drillReadOf(canaryRead() as unknown as CloudTrailRecord, { canaries: [] })).toBeUndefined();
  });

  it('knows the drill role by ARN, case-insensitively as IAM names are, and no other role', () => {
    expect(isDrillRole(DRILL_ROLE_ARN, drill)).toBe(true);
    expect(isDrillRole(DRILL_ROLE_ARN.toUpperCase(), drill)).toBe(true);
    expect(isDrillRole(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-drill-2`, drill)).toBe(false);
    expect(isDrillRole('arn:aws:iam::999999999999:role/acme-detector-drill', drill)).toBe(false);
    expect(isDrillRole(undefined, drill)).toBe(false);
  });
});

describe('detection drill: heartbeat instead of a page', () => {
  it('records a drill read as a heartbeat metric for its bucket and publishes nothing', async () => {
    // Prepare
    const { handler, published, logs } = drillHarness();
    const record = canaryRead();
    // Act
    const result = await handler(eventBridgeEvent(record));
    // Assess
    expect(result).toEqual({ eventId: record.eventID, findings: 0 });
    expect(published).toEqual([]);
    const [line] = logs();
    expect(line).not.toHaveProperty('DrillFailedReads');
    expect(line).toMatchObject({
      message: 'detection drill arrived',
      bucket: 'acme-customer-records',
      key: CANARY_KEY,
      Bucket: 'acme-customer-records',
      DrillHeartbeat: 1,
      _aws: {
        Timestamp: NOW.getTime(),
        CloudWatchMetrics: [{ Namespace: 'S3AccessDetector', Dimensions: [['Bucket']], Metrics: [{ Name: 'DrillHeartbeat', Unit: 'Count' }] }],
      },
    });
    expect(DRILL_METRIC_NAMESPACE).toBe(METRIC_NAMESPACE);
  });

  it('pages for the same read without the drill configured (the read is sensitive and unauthorized)', async () => {
    const { handler, published, logs } = drillHarness({ drill: undefined });
    await handler(eventBridgeEvent(canaryRead()));
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access']);
    expect(logs().some((line) => 'DrillHeartbeat' in line)).toBe(false);
  });

  it('counts a failed drill read as a heartbeat (it crossed every hop) and as a failed read, with no page', async () => {
    const { handler, published, logs } = drillHarness();
    await handler(eventBridgeEvent(canaryRead({ errorCode: 'AccessDenied', errorMessage: 'Access Denied' })));
    expect(published).toEqual([]);
    const [line] = logs();
    expect(line).toMatchObject({ level: 'WARN', errorCode: 'AccessDenied', Bucket: 'acme-customer-records', DrillHeartbeat: 1, DrillFailedReads: 1 });
    expect(line._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'DrillHeartbeat', Unit: 'Count' },
      { Name: 'DrillFailedReads', Unit: 'Count' },
    ]);
  });

  it('is no heartbeat when the rules let the drill read through, since they would let an intruder\'s through too', async () => {
    // Someone added the drill role and the runner's network to the allow-lists: the canary read is no longer flagged.
    const { handler, published, logs } = drillHarness({ authorizedPrincipals: [...settings.authorizedPrincipals, 'acme-detector-drill'], authorizedCidrs: ['52.95.0.0/16'] });
    await handler(eventBridgeEvent(canaryRead()));
    expect(published).toEqual([]);
    const [line] = logs();
    expect(line).toMatchObject({ level: 'WARN', Bucket: 'acme-customer-records', DrillNotFlagged: 1 });
    expect(line).not.toHaveProperty('DrillHeartbeat');
    expect(line.message).toMatch(/did not flag it/);
  });

  it('is no heartbeat when the rule the drill proves is off', async () => {
    const { handler, logs } = drillHarness({ rules: { ...settings.rules, sensitiveObjectAccess: false } });
    await handler(eventBridgeEvent(canaryRead()));
    expect(logs()[0]).toMatchObject({ DrillNotFlagged: 1 });
    expect(logs()[0]).not.toHaveProperty('DrillHeartbeat');
  });

  it('judges the same read by any other principal as before', async () => {
    const { handler, published, logs } = drillHarness();
    await handler(eventBridgeEvent(objectRead(identities.apiRole, { key: CANARY_KEY }, { sourceIPAddress: '52.95.150.10' })));
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access']);
    expect(logs().some((line) => 'DrillHeartbeat' in line)).toBe(false);
  });

  it('judges the drill role reading any other key as before', async () => {
    const { handler, published } = drillHarness();
    await handler(eventBridgeEvent(canaryRead({}, { key: 'customers/2026/accounts.json' })));
    expect(published.map((message) => message.rule)).toEqual(['sensitive-object-access']);
    expect(JSON.parse(published[0].message)).toMatchObject({ who: { roleArn: DRILL_ROLE_ARN }, what: { key: 'customers/2026/accounts.json' } });
  });

  it('cannot exempt anything else: other rules on a drill record still fire', () => {
    // An instance session that claims the drill role in its issuer: the canary read is recognized only as the drill's
    // own finding; the instance-credentials finding on the same record stays.
    const record = canaryRead({ userIdentity: { ...drillRole, principalId: 'AROAEXAMPLEDRILL0001:i-0abc1234def567890', sessionContext: { ...drillRole.sessionContext, ec2RoleDelivery: '2.0' } } });
    const findings = [
      { rule: 'sensitive-object-access', what: { eventId: record.eventID, bucket: 'acme-customer-records', key: CANARY_KEY } },
      { rule: 'instance-credentials-outside-aws', what: { eventId: record.eventID, bucket: 'acme-customer-records', key: CANARY_KEY } },
    ] as never[];
    const routed = routeDrill(record as unknown as CloudTrailRecord, findings, drill);
    expect(routed.read).toBeDefined();
    expect(routed.flagged).toBe(true);
    expect(routed.findings.map((finding: { rule: string }) => finding.rule)).toEqual(['instance-credentials-outside-aws']);
  });

  it('adds nothing to the allow-lists: the drill role is not an authorized principal anywhere', async () => {
    const { handler, published } = drillHarness();
    await handler(eventBridgeEvent(listBuckets(drillRole, { sourceIPAddress: '52.95.150.10' })));
    expect(published.map((message) => message.rule)).toEqual(['bucket-enumeration']);
  });
});

describe('detection drill: the response never acts on the drill role', () => {
  it.each(['dry-run', 'enforce'] as const)('%s describes no revocation of the drill role and revokes nothing', async (response) => {
    const { handler, published, revoked } = drillHarness({ response });
    await handler(eventBridgeEvent(canaryRead({}, { key: 'customers/2026/accounts.json' })));
    expect(revoked).toEqual([]);
    expect(JSON.parse(published[0].message).response).toEqual({
      action: 'none',
      mode: response,
      reason: 'the detection drill role is never revoked: it can only read its canary objects',
    });
  });

  it('leaves plans against every other role unchanged', () => {
    const plan: ResponsePlan = {
      action: 'revoke-role-sessions',
      mode: 'enforce',
      roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`,
      roleName: 'acme-web',
      responseRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`,
      policyName: 'RevokeOlderSessions',
      revokeIssuedBefore: '2026-11-20T10:00:01Z',
      policyDocument: '{}',
    };
    expect(withoutDrillRole(plan, drill)).toBe(plan);
    expect(withoutDrillRole(undefined, drill)).toBeUndefined();
  });
});

describe('detection drill: settings', () => {
  const valid = JSON.parse(JSON.stringify({ ...settings, drill }));

  it('accepts the canaries and keeps them', () => {
    expect(parseDetectorSettings(valid).drill).toEqual(drill);
  });

  it('leaves settings without a drill as they were', () => {
    expect(parseDetectorSettings(JSON.parse(JSON.stringify(settings)))).not.toHaveProperty('drill');
  });

  it('names every bad field with its path, value and expectation', () => {
    const bad = {
      ...valid,
      drill: { canaries: [{ bucket: 'acme-customer-records', key: '', accountId: '1', region: 'moon', roleArn: 'arn:aws:iam::999999999999:role/x', extra: 1 }, { ...drill.canaries[0] }, { ...drill.canaries[0] }], mode: 'x' },
    };
    expect(() => parseDetectorSettings(bad)).toThrow(DetectorSettingsError);
    try {
      parseDetectorSettings(bad);
    } catch (error) {
      expect((error as DetectorSettingsError).problems).toEqual([
        'settings.drill.mode: "x": expected only "canaries"',
        'settings.drill.canaries[0].key: "": expected an S3 key of 1 to 1024 bytes',
        'settings.drill.canaries[0].accountId: "1": expected a 12-digit account id',
        'settings.drill.canaries[0].region: "moon": expected an AWS region such as "eu-west-1"',
        'settings.drill.canaries[0].roleArn: "arn:aws:iam::999999999999:role/x": expected the ARN of a role in the bucket\'s account (accountId)',
        'settings.drill.canaries[0].extra: 1: expected one of bucket, key, accountId, region, roleArn',
        'settings.drill.canaries[1].bucket: "acme-customer-records": expected each bucket once',
        'settings.drill.canaries[2].bucket: "acme-customer-records": expected each bucket once',
      ]);
    }
  });
});
