import { AGGREGATION_MAX_KEYS, AGGREGATION_WINDOW_MS, aggregationKey, FindingAggregator } from '../../functions/detector/aggregation';
import { createDetector } from '../../functions/detector/detector';
import type { Finding } from '../../functions/detector/finding';
import { identities, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* Aggregation of repeated findings: the key, the window, and the bounded memory. */

const NOW = new Date('2026-11-21T12:00:00.000Z');
const base = createDetector(settings).evaluate(objectRead(identities.iamUser, {}, { errorCode: 'AccessDenied', eventTime: '2026-11-21T10:00:00Z' }))[0];

const at = (eventTime: string, who: Partial<Finding['who']> = {}, from: Partial<Finding['from']> = {}): Finding => ({
  ...base,
  who: { ...base.who, ...who },
  from: { ...base.from, ...from },
  what: { ...base.what, eventTime },
});

describe('the aggregation key', () => {
  it('is the rule, the role behind a session (else the ARN, else account, kind and name), and the endpoint or address', () => {
    expect(aggregationKey(base)).toBe(`sensitive-object-access|arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice|198.51.100.7`);
    expect(aggregationKey(at(base.what.eventTime, { roleArn: 'arn:aws:iam::1:role/r' }, { vpcEndpointId: 'vpce-0fedcba9876543210' }))).toBe(
      'sensitive-object-access|arn:aws:iam::1:role/r|vpce-0fedcba9876543210',
    );
    expect(aggregationKey(at(base.what.eventTime, { arn: undefined }, { sourceIp: undefined }))).toBe(`sensitive-object-access|${WORKLOAD_ACCOUNT}:iam-user:alice|`);
    expect(aggregationKey(at(base.what.eventTime, { arn: undefined, accountId: undefined, kind: 'anonymous', name: 'anonymous' }))).toBe(
      'sensitive-object-access|:anonymous:anonymous|198.51.100.7',
    );
  });
});

describe('the aggregator', () => {
  it('publishes the first finding of a window, counts the rest, and reports the count with the next window', () => {
    const aggregator = new FindingAggregator();
    expect(aggregator.admit(at('2026-11-21T10:00:00Z'), NOW)).toEqual({ publish: true, suppressedBefore: 0 });
    expect(aggregator.admit(at('2026-11-21T10:04:59.999Z'), NOW)).toEqual({ publish: false, suppressedBefore: 0 });
    expect(aggregator.admit(at('2026-11-21T10:01:00Z'), NOW)).toEqual({ publish: false, suppressedBefore: 0 });
    expect(aggregator.admit(at('2026-11-21T10:05:00Z'), NOW)).toEqual({ publish: true, suppressedBefore: 2 });
    expect(aggregator.admit(at('2026-11-21T10:10:00Z'), NOW)).toEqual({ publish: true, suppressedBefore: 0 });
    expect(aggregator.size).toBe(1);
    expect(AGGREGATION_WINDOW_MS).toBe(5 * 60 * 1000);
  });

  it('keeps each key apart', () => {
    const aggregator = new FindingAggregator();
    expect(aggregator.admit(at('2026-11-21T10:00:00Z'), NOW).publish).toBe(true);
    expect(aggregator.admit(at('2026-11-21T10:00:00Z', {}, { sourceIp: '198.51.100.8' }), NOW).publish).toBe(true);
    expect(aggregator.size).toBe(2);
  });

  it('windows by the processing time when the event time is not a time', () => {
    const aggregator = new FindingAggregator();
    expect(aggregator.admit(at('garbled'), NOW).publish).toBe(true);
    expect(aggregator.admit(at('garbled'), new Date(NOW.getTime() + 60_000)).publish).toBe(false);
    expect(aggregator.admit(at('garbled'), new Date(NOW.getTime() + AGGREGATION_WINDOW_MS))).toEqual({ publish: true, suppressedBefore: 1 });
  });

  it('drops the keys of older windows when full, and everything when that is not enough, never suppressing more', () => {
    const aggregator = new FindingAggregator(AGGREGATION_WINDOW_MS, 3);
    const from = (sourceIp: string, eventTime = '2026-11-21T10:00:00Z') => at(eventTime, {}, { sourceIp });
    aggregator.admit(from('192.0.2.1'), NOW);
    aggregator.admit(from('192.0.2.2'), NOW);
    aggregator.admit(from('192.0.2.3', '2026-11-21T10:06:00Z'), NOW);
    expect(aggregator.size).toBe(3);
    // A new key in a later window: the two keys of the older window go.
    expect(aggregator.admit(from('192.0.2.4', '2026-11-21T10:06:00Z'), NOW).publish).toBe(true);
    expect(aggregator.size).toBe(2);
    expect(aggregator.admit(from('192.0.2.1', '2026-11-21T10:06:00Z'), NOW)).toEqual({ publish: true, suppressedBefore: 0 });
    expect(aggregator.size).toBe(3);
    // Full with keys of the current window only: everything goes.
    expect(aggregator.admit(from('192.0.2.5', '2026-11-21T10:06:00Z'), NOW).publish).toBe(true);
    expect(aggregator.size).toBe(1);
    // A key already known is updated in place, without making room.
    const small = new FindingAggregator(AGGREGATION_WINDOW_MS, 1);
    small.admit(from('192.0.2.1'), NOW);
    small.admit(from('192.0.2.1'), NOW);
    expect(small.admit(from('192.0.2.1', '2026-11-21T10:06:00Z'), NOW)).toEqual({ publish: true, suppressedBefore: 1 });
    expect(AGGREGATION_MAX_KEYS).toBe(10_000);
  });

  it('holds up to its limit before making room', () => {
    const aggregator = new FindingAggregator(AGGREGATION_WINDOW_MS, 3);
    for (const ip of ['192.0.2.1', '192.0.2.2']) aggregator.admit(at('2026-11-21T10:00:00Z', {}, { sourceIp: ip }), NOW);
    aggregator.admit(at('2026-11-21T10:06:00Z', {}, { sourceIp: '192.0.2.3' }), NOW);
    expect(aggregator.size).toBe(3);
    expect(aggregator.admit(at('2026-11-21T10:00:00Z', {}, { sourceIp: '192.0.2.1' }), NOW).publish).toBe(false);
  });
});
