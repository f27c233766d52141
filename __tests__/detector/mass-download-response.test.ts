import { createHandler, type HandlerResult, type Notification } from '../../functions/detector/handler';
import type { CutOffPlan } from '../../functions/detector/mass-download/cut-off';
import { MemoryWindows } from '../../functions/detector/mass-download/memory-windows';
import type { RevocationDecision, RevocationPlan } from '../../functions/detector/response';
import type { DetectorSettings } from '../../functions/detector/settings';
import { eventBridgeEvent, objectRead, WORKLOAD_ACCOUNT } from './records';
import { ATTACKER_ADDRESS, attacker, RECORDS_BUCKET, seedSettings, SYNC_AGENT } from './seed-scenario';

/*
 * What the handler does with a mass-download finding: which response it gets (session revocation, bucket cut-off),
 * what the published message says about each, and what happens when one of them fails. The reads are of keys no
 * other rule flags, so the mass-download finding is the only one each event can produce.
 */

const START = Date.parse('2026-11-21T10:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');
const ROLE_ARN = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-reporting`;
const ACCESS_POINT = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-api`;
const ACCESS_POINT_ALIAS = 'records-api-a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6-s3alias';

/** Three reads in ten minutes are a mass download here; the records bucket is reached through an access point too. */
function settingsWith(response: DetectorSettings['response'], changes: Partial<DetectorSettings> = {}): DetectorSettings {
  return {
    ...seedSettings,
    response,
    monitoredBuckets: seedSettings.monitoredBuckets.map((bucket) => (bucket.name === RECORDS_BUCKET ? { ...bucket, accessPoints: [ACCESS_POINT, ACCESS_POINT_ALIAS] } : bucket)),
    massDownload: { ...seedSettings.massDownload!, readThreshold: 3 },
    ...changes,
  };
}

function syncRead(index: number): Record<string, unknown> {
  return eventBridgeEvent(
    objectRead(attacker, { bucket: RECORDS_BUCKET, key: `exports/2026/part-${index}.json` }, {
      sourceIPAddress: ATTACKER_ADDRESS,
      userAgent: SYNC_AGENT,
      eventTime: new Date(START + index * 1000).toISOString().replace('.000Z', 'Z'),
    }),
  );
}

/** A published mass-download finding, as its message reads. */
interface PublishedFinding {
  readonly id: string;
  readonly what: { readonly eventId: string };
  readonly response: Record<string, unknown> & { readonly cutOff: Record<string, unknown> };
}

interface Options {
  readonly decision?: RevocationDecision;
  readonly revokeError?: Error;
  readonly cutOffError?: Error;
  readonly noCutOff?: boolean;
}

function handlerWith(settings: DetectorSettings, options: Options = {}) {
  const published: Notification[] = [];
  const revocations: RevocationPlan[] = [];
  const cutOffs: CutOffPlan[] = [];
  const logs: Record<string, unknown>[] = [];
  const handler = createHandler({
    settings,
    windows: new MemoryWindows().asStore(),
    publish: async (notification) => {
      published.push(notification);
    },
    revoke: async (plan) => {
      revocations.push(plan);
      if (options.revokeError) throw options.revokeError;
      return options.decision ?? 'apply';
    },
    ...(options.noCutOff
      ? {}
      : {
          cutOff: async (plan: CutOffPlan) => {
            cutOffs.push(plan);
            if (options.cutOffError) throw options.cutOffError;
          },
        }),
    log: (line) => logs.push(JSON.parse(line)),
    now: () => NOW,
  });
  /** Replays a three-object sync: the third read completes the window. */
  async function sync(): Promise<HandlerResult[]> {
    const results: HandlerResult[] = [];
    for (const index of [0, 1, 2]) results.push(await handler(syncRead(index)));
    return results;
  }
  /** The one mass-download finding published, as its message reads. */
  function finding(): PublishedFinding {
    const massDownloads = published.filter((notification) => notification.rule === 'mass-download');
    expect(massDownloads).toHaveLength(1);
    return JSON.parse(massDownloads[0].message);
  }
  return { handler, sync, finding, published, revocations, cutOffs, logs };
}

describe('mass download: the response a finding gets in enforce mode', () => {
  it("revokes the role's older sessions and cuts the role off the bucket and its access points, and says both were applied", async () => {
    const run = handlerWith(settingsWith('enforce'));
    await run.sync();
    const finding = run.finding();
    expect(run.revocations.map((plan) => plan.roleArn)).toEqual([ROLE_ARN]);
    expect(finding.response).toMatchObject({
      action: 'revoke-role-sessions',
      mode: 'enforce',
      roleArn: ROLE_ARN,
      policyName: 'RevokeOlderSessions',
      // Sessions issued up to the end of the second of the read that completed the window.
      revokeIssuedBefore: '2026-11-21T10:00:03Z',
      applied: true,
      decision: 'apply',
      cutOff: { action: 'cut-off-bucket', mode: 'enforce', bucket: RECORDS_BUCKET, roleName: 'acme-reporting', policyName: `S3CutOff-${finding.id}`, applied: true },
    });
    expect(finding.response.cutOff).not.toHaveProperty('error');
    // The cut-off put on the role is the one the message reports.
    expect(run.cutOffs).toHaveLength(1);
    expect({ ...run.cutOffs[0], applied: true }).toEqual(finding.response.cutOff);
  });

  it('denies the access point by its ARN as well as the bucket; an alias names nothing a policy can hold', async () => {
    const run = handlerWith(settingsWith('enforce'));
    await run.sync();
    const [statement] = JSON.parse(run.cutOffs[0].policyDocument).Statement;
    expect(statement.Resource).toEqual([`arn:aws:s3:::${RECORDS_BUCKET}`, `arn:aws:s3:::${RECORDS_BUCKET}/*`, ACCESS_POINT, `${ACCESS_POINT}/object/*`]);
  });

  it("reports a revocation the role's policy already covers as not applied, and still cuts the role off", async () => {
    const run = handlerWith(settingsWith('enforce'), { decision: 'covered' });
    await run.sync();
    expect(run.finding().response).toMatchObject({ action: 'revoke-role-sessions', applied: false, decision: 'covered', cutOff: { action: 'cut-off-bucket', applied: true } });
  });

  it('neither revokes nor cuts off a protected role, and says why in the message', async () => {
    const run = handlerWith(settingsWith('enforce', { protectedRoles: [...seedSettings.protectedRoles, 'acme-reporting'] }));
    await run.sync();
    expect(run.revocations).toEqual([]);
    expect(run.cutOffs).toEqual([]);
    expect(run.finding().response).toEqual({
      action: 'none',
      mode: 'enforce',
      reason: 'acme-reporting is a protected role',
      cutOff: { action: 'none', reason: 'acme-reporting is a protected role', applied: false },
    });
  });
});

describe('mass download: the response a finding gets outside enforce mode', () => {
  it('in dry-run mode touches nothing and publishes both plans as not applied', async () => {
    const run = handlerWith(settingsWith('dry-run'));
    await run.sync();
    expect(run.revocations).toEqual([]);
    expect(run.cutOffs).toEqual([]);
    const { response } = run.finding();
    expect(response).toMatchObject({ action: 'revoke-role-sessions', mode: 'dry-run', roleArn: ROLE_ARN, policyName: 'RevokeOlderSessions' });
    expect(response).not.toHaveProperty('applied');
    expect(response).not.toHaveProperty('decision');
    expect(response.cutOff).toMatchObject({ action: 'cut-off-bucket', mode: 'dry-run', bucket: RECORDS_BUCKET, applied: false });
    expect(response.cutOff).not.toHaveProperty('error');
  });

  it('with the response off publishes the finding without any response', async () => {
    const run = handlerWith(settingsWith('off'));
    await run.sync();
    expect(run.revocations).toEqual([]);
    expect(run.cutOffs).toEqual([]);
    expect(run.finding()).not.toHaveProperty('response');
  });
});

describe('mass download: a response that fails', () => {
  it('publishes the finding with the failed revocation, logs it, and still cuts the role off', async () => {
    const run = handlerWith(settingsWith('enforce'), { revokeError: new Error('IAM is throttling') });
    await run.sync();
    expect(run.finding().response).toMatchObject({
      action: 'revoke-role-sessions',
      roleArn: ROLE_ARN,
      applied: false,
      error: 'Error: IAM is throttling',
      cutOff: { action: 'cut-off-bucket', applied: true },
    });
    expect(run.logs.filter((line) => line.level === 'ERROR')).toEqual([{ level: 'ERROR', message: 'session revocation failed', roleArn: ROLE_ARN, error: 'Error: IAM is throttling' }]);
  });

  it('publishes the finding with the failed cut-off and its error, and logs it under the finding id', async () => {
    const run = handlerWith(settingsWith('enforce'), { cutOffError: new Error('AccessDenied: iam:PutRolePolicy') });
    await run.sync();
    const finding = run.finding();
    expect(finding.response).toMatchObject({ applied: true, decision: 'apply', cutOff: { action: 'cut-off-bucket', applied: false, error: 'Error: AccessDenied: iam:PutRolePolicy' } });
    expect(run.logs.filter((line) => line.level === 'ERROR')).toEqual([{ level: 'ERROR', message: 'cut-off failed', findingId: finding.id, error: 'Error: AccessDenied: iam:PutRolePolicy' }]);
  });

  it('reports an enforce-mode cut-off as failed when the function has no way to put one', async () => {
    const run = handlerWith(settingsWith('enforce'), { noCutOff: true });
    await run.sync();
    expect(run.finding().response.cutOff).toMatchObject({ action: 'cut-off-bucket', applied: false, error: 'Error: no cut-off is wired in' });
  });
});

describe('mass download: what the handler logs and returns for a finding', () => {
  it('logs the finding as a warning with its id and counts it, and the event that completed the window returns it', async () => {
    const run = handlerWith(settingsWith('off'));
    const results = await run.sync();
    expect(results.map((result) => result.findings)).toEqual([0, 0, 1]);
    const finding = run.finding();
    const logged = run.logs.filter((line) => line.message === 'finding');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'WARN', rule: 'mass-download', findingId: finding.id, eventId: finding.what.eventId, Rule: 'mass-download', Findings: 1 });
    expect((logged[0]._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'Findings', Unit: 'Count' }]);
  });

  it('with the rule off counts nothing even when given a table', async () => {
    const { massDownload: _, ...off } = settingsWith('enforce');
    const run = handlerWith(off);
    for (let index = 0; index < 150; index++) expect((await run.handler(syncRead(index))).findings).toBe(0);
    expect(run.published).toEqual([]);
  });
});
