import { CANARY_KEY, drillHarness, drillRole } from './drill-records';
import { eventBridgeEvent, objectRead } from './records';

/*
 * The log line of a drill read is what operators see of the drill: a healthy heartbeat must not read as an alert, and a
 * heartbeat whose read failed must say so.
 */

async function drillLogFor(overrides: Record<string, unknown> = {}) {
  const { handler, logs } = drillHarness();
  await handler(eventBridgeEvent(objectRead(drillRole, { key: CANARY_KEY }, { sourceIPAddress: '52.95.150.10', ...overrides })));
  return logs()[0];
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
