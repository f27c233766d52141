import { busiestWindow, EVENT_MEMORY_SECONDS, isoTime, type SlotCount, slotExpiry, slotsAround, verdict, windowEvidence, windowTimes } from '../../functions/detector/mass-download/window';

/*
 * The edges of the sliding window's arithmetic, pure: which slots a read can change, which window it is judged
 * against, when a bucket's size decides, how long a count is kept and what a finding says the window was.
 */

const slot = (at: number, reads: number, extra: Partial<SlotCount> = {}): SlotCount => ({ slot: at, reads, deniedReads: 0, sources: [], userAgents: [], ...extra });

describe('mass download window: the slots a read can change', () => {
  it('reaches from the first window holding the slot to the last: nine slots either side', () => {
    expect(slotsAround(100)).toEqual({ from: 91, to: 109 });
  });

  it('judges a read by the window that ends nine slots after it, and no further', () => {
    // A window starting at the read's slot holds nine slots after it; the tenth belongs to no window holding the read.
    expect(busiestWindow([slot(100, 1), slot(109, 40)], 100)).toEqual({ startSlot: 100, endSlot: 109, reads: 41, deniedReads: 0 });
    expect(busiestWindow([slot(100, 1), slot(110, 40)], 100).reads).toBe(1);
    // Nine slots before it, the same.
    expect(busiestWindow([slot(91, 40), slot(100, 1)], 100)).toEqual({ startSlot: 91, endSlot: 100, reads: 41, deniedReads: 0 });
    expect(busiestWindow([slot(90, 40), slot(100, 1)], 100).reads).toBe(1);
  });

  it('adds up reads and denied reads of the window it chose, not of another', () => {
    const slots = [slot(95, 3, { deniedReads: 2 }), slot(100, 4, { deniedReads: 1 }), slot(106, 9, { deniedReads: 0 })];
    expect(busiestWindow(slots, 100)).toEqual({ startSlot: 97, endSlot: 106, reads: 13, deniedReads: 1 });
  });
});

describe('mass download window: the verdict', () => {
  const thresholds = { readThreshold: 100, sharePercent: 20, minimumReadsForShare: 10 };

  it('never fires by share for a bucket whose object count is zero', () => {
    expect(verdict(50, { ...thresholds, objectCount: 0 })).toEqual({ fires: false, byCount: false, byShare: false });
  });

  it('fires by share at the minimum reads exactly, not one below', () => {
    expect(verdict(9, { ...thresholds, minimumReadsForShare: 10, objectCount: 9 }).byShare).toBe(false);
    expect(verdict(10, { ...thresholds, minimumReadsForShare: 10, objectCount: 10 }).byShare).toBe(true);
  });

  it('reports the share to one decimal, rounded', () => {
    expect(verdict(1, { ...thresholds, objectCount: 3 }).sharePercent).toBe(33.3);
    expect(verdict(2, { ...thresholds, objectCount: 3 }).sharePercent).toBe(66.7);
  });
});

describe('mass download window: how long a count is kept', () => {
  it('keeps a slot past the last window holding it and the retries of a late event', () => {
    // Slot 1000 of a 600 s window (60 s slots) is in windows up to slot 1009; kept until slot 1011 begins, plus two days.
    expect(slotExpiry(1000, 600)).toBe(1011 * 60 + EVENT_MEMORY_SECONDS);
    expect(EVENT_MEMORY_SECONDS).toBe(172_800);
    // A slot length that is not a whole second rounds up, never down.
    expect(slotExpiry(1, 15)).toBe(Math.ceil(12 * 1.5) + EVENT_MEMORY_SECONDS);
    expect(slotExpiry(2, 15)).toBe(20 + EVENT_MEMORY_SECONDS);
  });
});

describe('mass download window: what the finding says', () => {
  it('gives the window from the start of its first slot to the end of its last', () => {
    expect(windowTimes({ startSlot: 10, endSlot: 19, reads: 0, deniedReads: 0 }, 600)).toEqual({ start: '1970-01-01T00:10:00Z', end: '1970-01-01T00:20:00Z' });
    expect(isoTime(1500)).toBe('1970-01-01T00:00:01.500Z');
  });

  it("takes the evidence of the window's slots only: earliest first time, latest last time, sorted unique samples", () => {
    const window = { startSlot: 10, endSlot: 19, reads: 0, deniedReads: 0 };
    const slots = [
      slot(9, 1, { firstTime: '2026-01-01T00:00:00Z', lastTime: '2026-01-01T00:00:01Z', sources: ['9.9.9.9'], userAgents: ['before'] }),
      slot(12, 1, { firstTime: '2026-01-01T00:12:00Z', lastTime: '2026-01-01T00:12:30Z', sources: ['203.0.113.9', '198.51.100.7'], userAgents: ['z-agent'] }),
      slot(19, 1, { firstTime: '2026-01-01T00:19:00Z', lastTime: '2026-01-01T00:19:59Z', sources: [], userAgents: ['a-agent'] }),
      slot(10, 1, { firstTime: '2026-01-01T00:10:05Z', lastTime: '2026-01-01T00:10:50Z', sources: ['198.51.100.7'], userAgents: ['a-agent'] }),
      slot(15, 1, { sources: [], userAgents: [] }),
      slot(20, 1, { firstTime: '2026-01-01T00:20:00Z', lastTime: '2026-01-01T00:20:01Z', sources: ['8.8.8.8'], userAgents: ['after'] }),
    ];
    expect(windowEvidence(slots, window)).toEqual({
      firstTime: '2026-01-01T00:10:05Z',
      lastTime: '2026-01-01T00:19:59Z',
      sources: ['198.51.100.7', '203.0.113.9'],
      userAgents: ['a-agent', 'z-agent'],
    });
    expect(windowEvidence([slot(15, 1)], window)).toEqual({ firstTime: undefined, lastTime: undefined, sources: [], userAgents: [] });
  });
});
