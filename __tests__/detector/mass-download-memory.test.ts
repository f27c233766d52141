import type { Finding } from '../../functions/detector/finding';
import { MemoryWindows } from '../../functions/detector/mass-download/memory-windows';
import type { CountedRead } from '../../functions/detector/mass-download/reads';

/*
 * The in-memory store replay judges with, pure: what it counts once, the sample it keeps of each slot, and which
 * claim opens an incident. Replay must fire where the Lambda's table would.
 */

const read = (changes: Partial<CountedRead> = {}): CountedRead => ({
  principal: 'arn:aws:iam::444444444444:role/acme-reporting',
  bucket: 'acme-records',
  eventId: 'e-1',
  timeMs: Date.parse('2026-11-21T10:00:00Z'),
  slot: 100,
  denied: false,
  exempt: false,
  ...changes,
});
const range = { from: 91, to: 109 };
const window = (startSlot: number) => ({ startSlot, endSlot: startSlot + 9, reads: 10, deniedReads: 0 });
const claimOf = (eventId: string, startSlot: number, id = `md-${eventId}`) => ({
  principal: 'p',
  bucket: 'b',
  window: window(startSlot),
  eventId,
  finding: { rule: 'mass-download', id } as unknown as Finding,
  expiresAt: 0,
});

describe('mass download memory store: counting', () => {
  it('counts one event once per bucket: the same event reading another bucket counts there too', () => {
    const store = new MemoryWindows();
    store.count(read(), range);
    expect(store.count(read(), range)).toMatchObject([{ slot: 100, reads: 1 }]);
    expect(store.count(read({ bucket: 'acme-payroll' }), range)).toMatchObject([{ slot: 100, reads: 1 }]);
    expect(store.count(read({ eventId: 'e-2' }), range)).toMatchObject([{ slot: 100, reads: 2 }]);
  });

  it('returns the slots of the range, both ends included, and none outside it', () => {
    const store = new MemoryWindows();
    for (const [eventId, slot] of [['a', 90], ['b', 91], ['c', 109], ['d', 110]] as const) store.count(read({ eventId, slot }), { from: slot, to: slot });
    expect(store.count(read({ eventId: 'e', slot: 100 }), range).map((count) => count.slot)).toEqual([91, 100, 109]);
  });

  it('keeps the first and the last time, source and agent of a slot, and counts denied reads apart', () => {
    const store = new MemoryWindows();
    const start = Date.parse('2026-11-21T10:00:00Z');
    store.count(read({ eventId: 'a', timeMs: start, source: '198.51.100.7', userAgent: 'first', denied: true }), range);
    store.count(read({ eventId: 'b', timeMs: start + 1000, source: '203.0.113.1', userAgent: 'middle' }), range);
    store.count(read({ eventId: 'c', timeMs: start + 1500 }), range);
    const [slot] = store.count(read({ eventId: 'd', timeMs: start + 2000, source: '203.0.113.9', userAgent: 'last' }), range);
    expect(slot).toEqual({
      slot: 100,
      reads: 4,
      deniedReads: 1,
      firstTime: '2026-11-21T10:00:00Z',
      lastTime: '2026-11-21T10:00:02Z',
      sources: ['198.51.100.7', '203.0.113.9'],
      userAgents: ['first', 'last'],
    });
  });

  it('lists a sample seen once once, and none when a read had no source', () => {
    const store = new MemoryWindows();
    store.count(read({ eventId: 'a', source: '198.51.100.7', userAgent: 'cli' }), range);
    expect(store.count(read({ eventId: 'b', source: '198.51.100.7', userAgent: 'cli' }), range)[0]).toMatchObject({ sources: ['198.51.100.7'], userAgents: ['cli'] });
    const [bare] = store.count(read({ eventId: 'c', bucket: 'other' }), range);
    expect(bare.sources).toStrictEqual([]);
    expect(bare.userAgents).toStrictEqual([]);
  });
  it('keeps the last source and agent seen when a later read of the slot has none', () => {
    const store = new MemoryWindows();
    store.count(read({ eventId: 'a', source: '198.51.100.7', userAgent: 'first' }), range);
    store.count(read({ eventId: 'b', source: '203.0.113.9', userAgent: 'second' }), range);
    expect(store.count(read({ eventId: 'c' }), range)[0]).toMatchObject({ sources: ['198.51.100.7', '203.0.113.9'], userAgents: ['first', 'second'] });
  });
});

describe('mass download memory store: incidents', () => {
  it('opens one incident per window; a retry of its event before publishing gets the finding back, then nothing', () => {
    const store = new MemoryWindows();
    expect(store.claim(claimOf('e-1', 20))).toEqual({ kind: 'opened' });
    expect(store.claim(claimOf('e-1', 20))).toEqual({ kind: 'unpublished', finding: claimOf('e-1', 20).finding });
    expect(store.claim(claimOf('e-2', 21))).toEqual({ kind: 'covered', endSlot: 29 });
    store.published('md-e-1');
    expect(() => store.published('md-unknown')).not.toThrow();
    expect(store.claim(claimOf('e-1', 20))).toEqual({ kind: 'covered', endSlot: 29 });
    // A window starting on the last one's end overlaps it; one starting after it opens the next incident.
    expect(store.claim(claimOf('e-3', 29))).toEqual({ kind: 'covered', endSlot: 29 });
    expect(store.claim(claimOf('e-4', 30))).toEqual({ kind: 'opened' });
  });

  it('keys a finding without an id by its event', () => {
    const store = new MemoryWindows();
    const claim = { ...claimOf('e-9', 0), finding: { rule: 'mass-download' } as unknown as Finding };
    expect(store.claim(claim)).toEqual({ kind: 'opened' });
    expect(store.claim(claim)).toEqual({ kind: 'unpublished', finding: claim.finding });
    store.published('e-9');
    expect(store.claim(claim)).toEqual({ kind: 'covered', endSlot: 9 });
  });

  it("behind the asynchronous interface, remembers a published finding as the Lambda's table does", async () => {
    const store = new MemoryWindows().asStore();
    expect(await store.claim(claimOf('e-1', 20))).toEqual({ kind: 'opened' });
    await store.published('md-e-1');
    expect(await store.claim(claimOf('e-1', 20))).toEqual({ kind: 'covered', endSlot: 29 });
  });
});
