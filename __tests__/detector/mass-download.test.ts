import { createHandler, type Notification } from '../../functions/detector/handler';
import { cutOffPlan, cutOffPolicy } from '../../functions/detector/mass-download/cut-off';
import { MemoryWindows, MassDownloadReplay } from '../../functions/detector/mass-download/memory-windows';
import { MassDownloadContext } from '../../functions/detector/mass-download/reads';
import { MassDownloadRule } from '../../functions/detector/mass-download/rule';
import { busiestWindow, countedTime, FUTURE_TOLERANCE_MS, opensNewIncident, slotOf, verdict } from '../../functions/detector/mass-download/window';
import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { compileRuleContext } from '../../functions/detector/rules/context';
import { DetectorSettingsError, type DetectorSettings, parseDetectorSettings } from '../../functions/detector/settings';
import { responsePlan } from '../../functions/detector/response';
import { eventBridgeEvent, objectRead, WORKLOAD_ACCOUNT } from './records';
import { ATTACKER_ADDRESS, attacker, batchReader, PAYROLL_BUCKET, RECORDS_BUCKET, seedScenario, seedSettings } from './seed-scenario';

const START = Date.parse('2026-11-21T10:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z');
const NOW = new Date('2026-11-21T12:00:00Z');

function read(seconds: number, overrides: Record<string, unknown> = {}, identity: object = attacker, bucket = RECORDS_BUCKET): CloudTrailRecord {
  return objectRead(identity, { bucket, key: `exports/${seconds}-${Math.random()}.json` }, { sourceIPAddress: ATTACKER_ADDRESS, eventTime: at(seconds), ...overrides }) as unknown as CloudTrailRecord;
}

function replayOf(settings: DetectorSettings = seedSettings) {
  return new MassDownloadReplay(new MassDownloadContext(settings.massDownload!, compileRuleContext(settings)));
}

const withThresholds = (changes: Partial<NonNullable<DetectorSettings['massDownload']>>): DetectorSettings => ({
  ...seedSettings,
  massDownload: { ...seedSettings.massDownload!, ...changes },
});

describe('mass download: window arithmetic', () => {
  it('puts times into tenths of the window, the edge into the next slot', () => {
    expect(slotOf(START, 600)).toBe(START / 60_000);
    expect(slotOf(START + 59_999, 600)).toBe(START / 60_000);
    expect(slotOf(START + 60_000, 600)).toBe(START / 60_000 + 1);
  });

  it('counts at the event time, the clock only for a time that is not one or lies too far ahead', () => {
    expect(countedTime('2026-11-21T10:00:00Z', NOW)).toBe(START);
    expect(countedTime(new Date(NOW.getTime() + FUTURE_TOLERANCE_MS).toISOString(), NOW)).toBe(NOW.getTime() + FUTURE_TOLERANCE_MS);
    expect(countedTime(new Date(NOW.getTime() + FUTURE_TOLERANCE_MS + 1000).toISOString(), NOW)).toBe(NOW.getTime());
    expect(countedTime('not a time', NOW)).toBe(NOW.getTime());
  });

  it('judges a read against the busiest window holding it, before or after it', () => {
    const slots = [
      { slot: 100, reads: 5, deniedReads: 0, sources: [], userAgents: [] },
      { slot: 109, reads: 7, deniedReads: 1, sources: [], userAgents: [] },
      { slot: 110, reads: 50, deniedReads: 0, sources: [], userAgents: [] },
    ];
    // Slot 100's windows run from 91..100 to 100..109: the last holds 5 + 7.
    expect(busiestWindow(slots, 100)).toEqual({ startSlot: 100, endSlot: 109, reads: 12, deniedReads: 1 });
    // Slot 109's windows reach slot 110 from 101..110 on.
    expect(busiestWindow(slots, 109)).toEqual({ startSlot: 101, endSlot: 110, reads: 57, deniedReads: 1 });
    // Equal counts: the earliest window, so a retry names the same one.
    expect(busiestWindow([{ slot: 5, reads: 1, deniedReads: 0, sources: [], userAgents: [] }], 5)).toEqual({ startSlot: -4, endSlot: 5, reads: 1, deniedReads: 0 });
  });

  it('fires by count at the threshold and by share of a bucket of known size, never below the minimum reads', () => {
    const thresholds = { readThreshold: 100, sharePercent: 20, minimumReadsForShare: 10 };
    expect(verdict(99, thresholds).fires).toBe(false);
    expect(verdict(100, thresholds)).toEqual({ fires: true, byCount: true, byShare: false });
    expect(verdict(39, { ...thresholds, objectCount: 200 })).toEqual({ fires: false, byCount: false, byShare: false, sharePercent: 19.5 });
    expect(verdict(40, { ...thresholds, objectCount: 200 })).toEqual({ fires: true, byCount: false, byShare: true, sharePercent: 20 });
    // Five reads of a five-object bucket are all of it, and still a handful.
    expect(verdict(5, { ...thresholds, objectCount: 5 }).fires).toBe(false);
    expect(verdict(10, { ...thresholds, objectCount: 10 }).byShare).toBe(true);
  });

  it('opens a new incident only once the previous window has ended', () => {
    const window = { startSlot: 20, endSlot: 29, reads: 100, deniedReads: 0 };
    expect(opensNewIncident(undefined, window)).toBe(true);
    expect(opensNewIncident(19, window)).toBe(true);
    expect(opensNewIncident(20, window)).toBe(false);
  });
});

describe('mass download: counting', () => {
  const small = withThresholds({ readThreshold: 5 });

  it('stays quiet for a handful of reads and fires once when the count threshold is reached', () => {
    const rule = replayOf(small);
    const fired = [0, 1, 2, 3, 4, 5, 6].map((seconds) => rule.observe(read(seconds), NOW).findings.length);
    expect(fired).toEqual([0, 0, 0, 0, 1, 0, 0]);
  });

  it('counts a retried event once', () => {
    const rule = replayOf(small);
    const record = read(0);
    for (let attempt = 0; attempt < 10; attempt++) expect(rule.observe(record, NOW).findings).toEqual([]);
    expect(rule.observe(record, NOW).judgements[0].window.reads).toBe(1);
  });

  it('counts late and out-of-order reads where they happened: whichever read completes the window fires', () => {
    const rule = replayOf(small);
    // Reads at 9:00 and 9:30 minutes arrive first, then three earlier ones, the last of them an hour late.
    const order = [540, 570, 30, 60, 0];
    const findings = order.map((seconds) => rule.observe(read(seconds), NOW).findings);
    expect(findings.map((list) => list.length)).toEqual([0, 0, 0, 0, 1]);
    expect(findings[4][0].volume).toMatchObject({ reads: 5, firstEventTime: at(0), lastEventTime: at(570), window: { start: at(0), end: at(600), seconds: 600 } });
  });

  it('tolerates clock skew between the events of one sync: a second across a slot edge is the same window', () => {
    const rule = replayOf(small);
    const findings = [57, 58, 59, 60, 61].map((seconds) => rule.observe(read(seconds), NOW).findings.length);
    expect(findings).toEqual([0, 0, 0, 0, 1]);
  });

  it('forgets reads older than the window: the same count spread over longer stays quiet', () => {
    const rule = replayOf(small);
    // One read every three minutes: never five within ten minutes.
    expect([0, 180, 360, 540, 720, 900, 1080].map((seconds) => rule.observe(read(seconds), NOW).findings.length)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('yields one finding per window of a long sync, not one per read', () => {
    const rule = replayOf(small);
    let findings = 0;
    // 40 minutes, one read every 10 seconds.
    for (let seconds = 0; seconds < 2400; seconds += 10) findings += rule.observe(read(seconds), NOW).findings.length;
    expect(findings).toBe(4);
  });

  it('counts principals and buckets apart', () => {
    const rule = replayOf(small);
    const other = { ...attacker, sessionContext: { ...attacker.sessionContext, sessionIssuer: { ...attacker.sessionContext.sessionIssuer, arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/other` } } };
    for (let index = 0; index < 4; index++) {
      expect(rule.observe(read(index), NOW).findings).toEqual([]);
      expect(rule.observe(read(index, {}, other), NOW).findings).toEqual([]);
      expect(rule.observe(read(index, {}, attacker, PAYROLL_BUCKET), NOW).findings).toEqual([]);
    }
  });

  it('counts denied reads: probing key names is the same signal', () => {
    const rule = replayOf(small);
    const findings = [0, 1, 2, 3, 4].flatMap((seconds) => rule.observe(read(seconds, { errorCode: 'AccessDenied' }), NOW).findings);
    expect(findings).toHaveLength(1);
    expect(findings[0].volume).toMatchObject({ reads: 5, deniedReads: 5 });
  });

  it('ignores buckets that are not monitored and calls that read no object', () => {
    const rule = replayOf(small);
    for (let seconds = 0; seconds < 10; seconds++) {
      expect(rule.observe(read(seconds, {}, attacker, 'acme-public-assets'), NOW).judgements).toEqual([]);
      expect(rule.observe(read(seconds, { eventName: 'HeadObject' }), NOW).judgements).toEqual([]);
    }
  });

  it('counts the source of a copy as a read of the source bucket', () => {
    const rule = replayOf(small);
    const copy = objectRead(attacker, { eventName: 'CopyObject', bucket: 'attacker-bucket', key: 'loot' }, {
      eventTime: at(0),
      requestParameters: { bucketName: 'attacker-bucket', key: 'loot', 'x-amz-copy-source': `${RECORDS_BUCKET}/exports/a.json` },
    }) as unknown as CloudTrailRecord;
    expect(rule.observe(copy, NOW).judgements.map((judgement) => judgement.read.bucket)).toEqual([RECORDS_BUCKET]);
  });
});

describe('mass download: findings and exemptions', () => {
  it('fires by share for a bucket whose object count is known, naming count, share, window and evidence', () => {
    const rule = replayOf();
    const findings = [];
    for (let index = 0; index < 40; index++) {
      findings.push(...rule.observe(read(index, { userAgent: index === 0 ? 'first-agent' : 'aws-cli/2' }, attacker, PAYROLL_BUCKET), NOW).findings);
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'mass-download',
      id: expect.stringMatching(/^md-[0-9a-f]{20}$/),
      who: { roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-reporting` },
      what: { bucket: PAYROLL_BUCKET },
      volume: {
        reads: 40,
        deniedReads: 0,
        objectCount: 200,
        sharePercent: 20,
        shareThresholdPercent: 20,
        readThreshold: 100,
        firstEventTime: at(0),
        lastEventTime: at(39),
        sourceIps: [ATTACKER_ADDRESS],
        userAgents: ['aws-cli/2', 'first-agent'],
      },
    });
    expect(findings[0].reason).toBe(`40 object reads of ${PAYROLL_BUCKET} (0 denied, 20% of its 200 objects) within 10 minutes: at least 20% of the objects`);
  });

  it('counts an exempt batch reader but never fires for it; the same role from another network fires', () => {
    const rule = replayOf(withThresholds({ readThreshold: 5 }));
    const exempt = [0, 1, 2, 3, 4, 5].flatMap((seconds) => rule.observe(read(seconds, { sourceIPAddress: '10.1.2.3' }, batchReader), NOW).findings);
    expect(exempt).toEqual([]);
    expect(rule.observe(read(6, { sourceIPAddress: '10.1.2.3' }, batchReader), NOW).judgements[0]).toMatchObject({ verdict: { fires: true }, read: { exempt: true } });
    // Stolen batch credentials used from outside: not covered by the exemption's network.
    expect(rule.observe(read(7, { sourceIPAddress: ATTACKER_ADDRESS }, batchReader), NOW).findings).toHaveLength(1);
  });

  it('does not let an exemption by network cover an address reached through a VPC endpoint outside the organization', () => {
    const rule = replayOf(withThresholds({ readThreshold: 3, exemptions: [{ cidrs: ['10.0.0.0/8'] }] }));
    const through = { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0123456789abcdef0', vpcEndpointAccountId: '999999999999' };
    const findings = [0, 1, 2].flatMap((seconds) => rule.observe(read(seconds, through), NOW).findings);
    expect(findings).toHaveLength(1);
  });
});

describe('mass download: cut-off', () => {
  const enforcing: DetectorSettings = { ...seedSettings, response: 'enforce' };

  function findingOfSync(settings: DetectorSettings, overrides: Record<string, unknown> = {}) {
    const rule = replayOf(settings);
    for (let seconds = 0; ; seconds++) {
      const [finding] = rule.observe(read(seconds, overrides), NOW).findings;
      if (finding) return finding;
    }
  }

  it('denies every S3 action on the bucket, its objects and its access points, and says how to lift it', () => {
    const finding = findingOfSync(enforcing);
    const plan = cutOffPlan(finding, responsePlan(finding, enforcing, NOW), ['arn:aws:s3:eu-west-1:444444444444:accesspoint/records-api', 'records-s3alias']);
    expect(plan).toMatchObject({
      action: 'cut-off-bucket',
      mode: 'enforce',
      roleName: 'acme-reporting',
      responseRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`,
      policyName: `S3CutOff-${finding.id}`,
      approve: `npm run approve -- ${finding.id}`,
    });
    expect(JSON.parse((plan as { policyDocument: string }).policyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: `MassDownloadCutOff${finding.id!.replace('-', '')}`,
          Effect: 'Deny',
          Action: 's3:*',
          Resource: [
            `arn:aws:s3:::${RECORDS_BUCKET}`,
            `arn:aws:s3:::${RECORDS_BUCKET}/*`,
            'arn:aws:s3:eu-west-1:444444444444:accesspoint/records-api',
            'arn:aws:s3:eu-west-1:444444444444:accesspoint/records-api/object/*',
          ],
        },
      ],
    });
  });

  it('never cuts off a protected role, a window of denied reads only, or outside enforce and dry-run', () => {
    const guarded = { ...enforcing, protectedRoles: [...enforcing.protectedRoles, 'acme-reporting'] };
    const protectedFinding = findingOfSync(guarded);
    expect(cutOffPlan(protectedFinding, responsePlan(protectedFinding, guarded, NOW), [])).toEqual({ action: 'none', reason: 'acme-reporting is a protected role' });
    const probes = findingOfSync(enforcing, { errorCode: 'AccessDenied' });
    expect(cutOffPlan(probes, responsePlan(probes, enforcing, NOW), [])).toEqual({ action: 'none', reason: 'every read in the window was denied: a probe is not a use' });
    const off = findingOfSync(seedSettings);
    expect(cutOffPlan(off, responsePlan(off, seedSettings, NOW), [])).toBeUndefined();
  });

  it('writes only letters and digits into the statement id', () => {
    expect(JSON.parse(cutOffPolicy('b', [], 'md-0a')).Statement[0].Sid).toBe('MassDownloadCutOffmd0a');
  });
});

describe('mass download: the handler', () => {
  function handlerWith(settings: DetectorSettings, windows = new MemoryWindows(), failPublish = 0) {
    const published: Notification[] = [];
    const cutOffs: string[] = [];
    const revoked: string[] = [];
    let failures = failPublish;
    const handler = createHandler({
      settings,
      windows: windows.asStore(),
      publish: async (notification) => {
        if (failures-- > 0) throw new Error('SNS is down');
        published.push(notification);
      },
      revoke: async (plan) => {
        revoked.push(plan.roleName);
        return 'apply';
      },
      cutOff: async (plan) => {
        cutOffs.push(`${plan.roleName} ${plan.policyName}`);
      },
      log: () => undefined,
      now: () => NOW,
    });
    return { handler, published, cutOffs, revoked };
  }

  it('replays the seed scenario to one mass-download finding per bucket, cut off in enforce mode, none for the batch reader', async () => {
    const { handler, published, cutOffs, revoked } = handlerWith({ ...seedSettings, response: 'enforce' });
    for (const record of seedScenario()) await handler(eventBridgeEvent(record));
    const massDownloads = published.filter((notification) => notification.rule === 'mass-download').map((notification) => JSON.parse(notification.message));
    expect(massDownloads.map((finding) => finding.what.bucket).sort()).toEqual([RECORDS_BUCKET, PAYROLL_BUCKET].sort());
    expect(massDownloads.every((finding) => finding.who.roleArn.endsWith(':role/acme-reporting'))).toBe(true);
    expect(massDownloads.map((finding) => finding.response.cutOff)).toEqual([
      expect.objectContaining({ action: 'cut-off-bucket', applied: true }),
      expect.objectContaining({ action: 'cut-off-bucket', applied: true }),
    ]);
    expect(cutOffs).toEqual(massDownloads.map((finding) => `acme-reporting S3CutOff-${finding.id}`));
    expect(revoked).toContain('acme-reporting');
    // The existing rules still report beside it: the listing of the buckets, the payroll CSV reads.
    expect(new Set(published.map((notification) => notification.rule))).toEqual(new Set(['bucket-enumeration', 'sensitive-object-access', 'mass-download']));
  });

  it('publishes the finding on the retry of an event whose first attempt failed to publish, and never twice', async () => {
    const windows = new MemoryWindows();
    const small = withThresholds({ readThreshold: 3 });
    const { handler, published } = handlerWith(small, windows, 1);
    const events = [0, 1, 2].map((seconds) => eventBridgeEvent(read(seconds) as unknown as Record<string, unknown>));
    await handler(events[0]);
    await handler(events[1]);
    await expect(handler(events[2])).rejects.toThrow('SNS is down');
    // Lambda retries the event: the finding goes out once, a second retry publishes nothing.
    await handler(events[2]);
    await handler(events[2]);
    // Another copy of the function, cold, sees the same table.
    await handlerWith(small, windows).handler(events[2]);
    expect(published.filter((notification) => notification.rule === 'mass-download')).toHaveLength(1);
  });

  it('fails the event when the table cannot be reached, so that it lands in the failure queue', async () => {
    const handler = createHandler({
      settings: seedSettings,
      windows: {
        count: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
        claim: async () => ({ kind: 'opened' }),
        published: async () => undefined,
      },
      publish: async () => undefined,
      revoke: async () => 'apply',
      log: () => undefined,
    });
    await expect(handler(eventBridgeEvent(read(0) as unknown as Record<string, unknown>))).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('refuses to start with the rule on and no table', () => {
    expect(() => createHandler({ settings: seedSettings, publish: async () => undefined, revoke: async () => 'apply' })).toThrow('no window store');
  });

  it('keeps the state of a rule in one running copy: a second copy does not publish the same window again', async () => {
    const windows = new MemoryWindows();
    const small = withThresholds({ readThreshold: 2 });
    const first = handlerWith(small, windows);
    const second = handlerWith(small, windows);
    await first.handler(eventBridgeEvent(read(0) as unknown as Record<string, unknown>));
    await second.handler(eventBridgeEvent(read(1) as unknown as Record<string, unknown>));
    await first.handler(eventBridgeEvent(read(2) as unknown as Record<string, unknown>));
    const rule = new MassDownloadRule(new MassDownloadContext(small.massDownload!, compileRuleContext(small)), windows.asStore());
    expect(await rule.observe(read(3), NOW)).toEqual([]);
    expect([...first.published, ...second.published].filter((notification) => notification.rule === 'mass-download')).toHaveLength(1);
  });
});

describe('mass download: a retry of the event that opened an incident', () => {
  it('publishes the finding the store kept, not one built again from the retry (same window, counts and id)', async () => {
    const small = withThresholds({ readThreshold: 1 });
    const context = new MassDownloadContext(small.massDownload!, compileRuleContext(small));
    const kept = { ...(await new MassDownloadRule(context, new MemoryWindows().asStore()).observe(read(0), NOW))[0]!, id: 'kept-finding' };
    const store = {
      count: async (counted: { slot: number }) => [{ slot: counted.slot, reads: 1, deniedReads: 0, sources: [], userAgents: [] }],
      claim: async () => ({ kind: 'unpublished' as const, finding: kept }),
      published: async () => undefined,
    };
    expect(await new MassDownloadRule(context, store).observe(read(0), NOW)).toEqual([kept]);
  });
});

describe('mass download: settings', () => {
  it('names the path, the value and what is expected for every problem', () => {
    const raw = JSON.parse(JSON.stringify(seedSettings));
    raw.massDownload = {
      windowSeconds: 605,
      readThreshold: 0,
      sharePercent: 101,
      minimumReadsForShare: 1.5,
      buckets: [{ name: 'not-monitored', objectCount: -1 }],
      exemptions: [{}, { cidrs: ['10.0.0.0/33'], vpcEndpoints: ['vpc-1'], extra: true }],
      surplus: 1,
    };
    let error: DetectorSettingsError | undefined;
    try {
      parseDetectorSettings(raw);
    } catch (caught) {
      error = caught as DetectorSettingsError;
    }
    expect(error?.problems).toEqual([
      'settings.massDownload.surplus: 1: expected one of windowSeconds, readThreshold, sharePercent, minimumReadsForShare, buckets, exemptions',
      'settings.massDownload.windowSeconds: 605: expected a multiple of 10 seconds',
      'settings.massDownload.readThreshold: 0: expected a whole number from 1 to 10000000',
      'settings.massDownload.sharePercent: 101: expected a whole number from 1 to 100',
      'settings.massDownload.minimumReadsForShare: 1.5: expected a whole number from 1 to 10000000',
      'settings.massDownload.buckets[0].objectCount: -1: expected a whole number from 1 to 9007199254740991',
      'settings.massDownload.exemptions[0]: {}: expected at least one of principals, cidrs, vpcEndpoints',
      'settings.massDownload.exemptions[1].cidrs[0]: "10.0.0.0/33": expected IPv4 or IPv6 CIDRs such as "10.20.0.0/16"',
      'settings.massDownload.exemptions[1].vpcEndpoints[0]: "vpc-1": expected VPC endpoint ids such as "vpce-0abc1234"',
      'settings.massDownload.exemptions[1].extra: true: expected one of principals, cidrs, vpcEndpoints',
    ]);
  });

  it('refuses thresholds for a bucket that is not monitored', () => {
    const raw = JSON.parse(JSON.stringify(seedSettings));
    raw.massDownload.buckets = [{ name: 'not-monitored', objectCount: 5 }];
    expect(() => parseDetectorSettings(raw)).toThrow('settings.massDownload.buckets[0].name: "not-monitored": expected the name of a monitored bucket');
  });

  it('accepts the settings the stack writes, and no massDownload as the rule off', () => {
    expect(parseDetectorSettings(JSON.parse(JSON.stringify(seedSettings))).massDownload).toEqual(seedSettings.massDownload);
    const { massDownload: _, ...off } = seedSettings;
    expect(parseDetectorSettings(JSON.parse(JSON.stringify(off))).massDownload).toBeUndefined();
  });
});
