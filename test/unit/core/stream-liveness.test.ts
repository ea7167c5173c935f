import { describe, expect, it } from 'vitest';
import { StreamLiveness } from '../../../app/core/stream-liveness.js';

const policy = { cadenceFactor: 20, minStaleMs: 3000, minSamples: 8 };

function feed(liveness: StreamLiveness, from: number, gapMs: number, count: number): number {
  let at = from;
  for (let i = 0; i < count; i += 1) {
    liveness.mark(at);
    at += gapMs;
  }
  return at - gapMs;
}

describe('StreamLiveness', () => {
  it('learns a threshold from the stream’s own cadence, never below the floor', () => {
    const fast = new StreamLiveness(policy);
    const last = feed(fast, 0, 100, 20);
    expect(fast.medianGapMs()).toBe(100);
    expect(fast.thresholdMs()).toBe(3000); // 20 × 100 ms = 2 s, floored at 3 s
    expect(fast.judge(last + 2999).state).toBe('live');
    expect(fast.judge(last + 3001)).toEqual({ state: 'stale', ageMs: 3001, thresholdMs: 3000 });

    const slow = new StreamLiveness(policy);
    const end = feed(slow, 0, 30_000, 20);
    expect(slow.thresholdMs()).toBe(600_000); // an illiquid market: 20 × 30 s
    expect(slow.judge(end + 300_000).state).toBe('live');
  });

  it('does not judge a stream by cadence before it has seen enough of it (a quiet market is not flagged)', () => {
    const liveness = new StreamLiveness(policy);
    feed(liveness, 0, 10, 3);
    expect(liveness.thresholdMs()).toBeNull();
    expect(liveness.judge(10_000_000).state).toBe('live');
    expect(new StreamLiveness(policy).judge(5).state).toBe('waiting');
  });

  it('caps the threshold with the venue’s guarantee, even before a cadence is learned', () => {
    const liveness = new StreamLiveness({ ...policy, maxSilenceMs: 90_000 });
    liveness.mark(0);
    expect(liveness.thresholdMs()).toBe(90_000);
    expect(liveness.judge(90_001).state).toBe('stale');
    const learned = new StreamLiveness({ ...policy, maxSilenceMs: 90_000 });
    const last = feed(learned, 0, 60_000, 10);
    expect(learned.thresholdMs()).toBe(90_000); // 20 × 60 s would be 20 min
    expect(learned.judge(last + 90_001).state).toBe('stale');
  });

  it('counts keep-alives as signs of life, not as data, and ignores same-instant events as cadence', () => {
    const liveness = new StreamLiveness(policy);
    liveness.mark(1000);
    liveness.mark(1000);
    liveness.mark(1000);
    expect(liveness.medianGapMs()).toBeUndefined();
    liveness.mark(61_000, false);
    expect(liveness.lastMessageAt).toBe(61_000);
    expect(liveness.lastDataAt).toBe(1000);
    expect(liveness.messages).toBe(4);
  });

  it('forgets its cadence when told to relearn (after a resubscribe)', () => {
    const liveness = new StreamLiveness(policy);
    feed(liveness, 0, 100, 20);
    liveness.relearn();
    expect(liveness.thresholdMs()).toBeNull();
  });
});
