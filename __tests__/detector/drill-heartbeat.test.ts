import { createHandler } from '../../functions/detector/handler';
import { eventBridgeEvent, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/*
 * The log line of a drill read is what operators see of the drill: a healthy heartbeat must not read as an alert, and a
 * heartbeat whose read failed must say so.
 */

const NOW = new Date('2026-11-21T10:16:00.000Z');
const DRILL_ROLE_ARN = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-drill`;
const CANARY_KEY = 'customers/detector-drill-canary';

const drill = {
  canaries: [{ bucket: 'acme-customer-records', key: CANARY_KEY, accountId: WORKLOAD_ACCOUNT, region: 'eu-west-1', roleArn: DRILL_ROLE_ARN }],
};

const drillRole = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEDRILL0001:detection-drill',
  arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-detector-drill/detection-drill`,
  accountId: WORKLOAD_ACCOUNT,
  accessKeyId: 'ASIAEXAMPLEDRILL0001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEDRILL0001', arn: DRILL_ROLE_ARN, accountId: WORKLOAD_ACCOUNT, userName: 'acme-detector-drill' },
    attributes: { creationDate: '2026-11-21T10:14:59Z', mfaAuthenticated: 'false' },
  },
};

async function drillLogFor(overrides: Record<string, unknown> = {}) {
  const logs: string[] = [];
  const handler = createHandler({
    settings: { ...settings, drill },
    publish: async () => undefined,
    revoke: async () => 'apply' as const,
    log: (line) => logs.push(line),
    now: () => NOW,
  });
  await handler(eventBridgeEvent(objectRead(drillRole, { key: CANARY_KEY }, { sourceIPAddress: '52.95.150.10', ...overrides })));
  return logs.map((line) => JSON.parse(line))[0];
}

describe('detection drill: the heartbeat log line', () => {
  it('logs a successful, flagged drill read at INFO: a working chain is no alert', async () => {
    expect(await drillLogFor()).toMatchObject({ level: 'INFO', message: 'detection drill arrived', DrillHeartbeat: 1 });
  });

  it('logs a drill read that failed at WARN and says the read failed', async () => {
    expect(await drillLogFor({ errorCode: 'NoSuchKey', errorMessage: 'The specified key does not exist.' })).toMatchObject({
      level: 'WARN',
      message: 'detection drill arrived, but its read failed',
      errorCode: 'NoSuchKey',
      DrillHeartbeat: 1,
      DrillFailedReads: 1,
    });
  });
});
