import { canariesFrom, runDrill } from '../../functions/drill-runner/run';

const canaries = [
  { bucket: 'acme-customer-records', key: 'customers/detector-drill-canary' },
  { bucket: 'acme-payroll', key: 'detector-drill-canary.csv' },
];

describe('the drill runner', () => {
  it('reads every canary with one session of the drill role', async () => {
    const sessions: unknown[] = [];
    const reads: unknown[] = [];
    const logs: string[] = [];
    const run = await runDrill(canaries, {
      assumeDrillRole: async () => (
        sessions.push('session'),
        { credentials: { accessKeyId: 'ASIA' }, sessionArn: 'arn:aws:sts::444444444444:assumed-role/acme-detector-drill/detection-drill', principalId: 'AROA1:detection-drill' }
      ),
      readObject: async (credentials, canary) => (reads.push([credentials, canary]), 42),
      log: (line) => logs.push(line),
    });
    expect(sessions).toHaveLength(1);
    expect(reads).toEqual(canaries.map((canary) => [{ accessKeyId: 'ASIA' }, canary]));
    expect(run).toEqual({ read: canaries, failed: [] });
    expect(JSON.parse(logs[0])).toMatchObject({
      message: 'canary read',
      bucket: 'acme-customer-records',
      bytes: 42,
      sessionArn: 'arn:aws:sts::444444444444:assumed-role/acme-detector-drill/detection-drill',
    });
  });

  it('reads the others when one fails, then fails the run naming what it could not read', async () => {
    const read: string[] = [];
    await expect(
      runDrill(canaries, {
        assumeDrillRole: async () => ({ credentials: {} }),
        readObject: async (_, canary) => {
          if (canary.bucket === 'acme-customer-records') throw new Error('AccessDenied');
          read.push(canary.bucket);
          return 1;
        },
        log: () => undefined,
      }),
    ).rejects.toThrow('the drill could not read s3://acme-customer-records/customers/detector-drill-canary');
    expect(read).toEqual(['acme-payroll']);
  });

  it('takes its canaries only from a well-formed environment', () => {
    expect(canariesFrom(JSON.stringify(canaries))).toEqual(canaries);
    expect(() => canariesFrom(undefined)).toThrow(/DRILL_CANARIES is not set/);
    expect(() => canariesFrom('[]')).toThrow(/non-empty JSON array/);
    expect(() => canariesFrom('[{"bucket":"a"}]')).toThrow(/non-empty JSON array/);
    expect(() => canariesFrom('[{"bucket":"a","key":"k","extra":1}]')).toThrow(/non-empty JSON array/);
  });
});
