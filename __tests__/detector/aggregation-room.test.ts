import { AGGREGATION_WINDOW_MS, FindingAggregator } from '../../functions/detector/aggregation';
import { createDetector } from '../../functions/detector/detector';
import type { Finding } from '../../functions/detector/finding';
import { identities, objectRead, settings } from './records';

/* Making room is for new keys only: a known key moving to a new window keeps the others' counts. */

describe('the aggregator at its limit', () => {
  it('evicts nothing when a known key moves to a new window', () => {
    const [base] = createDetector(settings).evaluate(objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied' }));
    const from = (sourceIp: string, eventTime: string): Finding => ({ ...base, from: { ...base.from, sourceIp }, what: { ...base.what, eventTime } });
    const now = new Date('2026-11-21T12:00:00Z');
    const aggregator = new FindingAggregator(AGGREGATION_WINDOW_MS, 2);
    aggregator.admit(from('192.0.2.1', '2026-11-21T10:05:00Z'), now);
    aggregator.admit(from('192.0.2.2', '2026-11-21T10:05:00Z'), now);
    expect(aggregator.admit(from('192.0.2.1', '2026-11-21T10:10:00Z'), now).publish).toBe(true);
    // The other key's window is still known: a late finding of it stays suppressed.
    expect(aggregator.admit(from('192.0.2.2', '2026-11-21T10:06:00Z'), now).publish).toBe(false);
    expect(aggregator.size).toBe(2);
  });
});
