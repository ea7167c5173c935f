import { describe, expect, it } from 'vitest';
import { BookRecovery } from '../../../app/book/book-recovery.js';

function setup(boundMs = 15_000) {
  let now = 0;
  const actions: string[] = [];
  const recovery = new BookRecovery(
    { resubscribe: (reason) => actions.push(`resubscribe: ${reason}`), reconnect: (reason) => actions.push(`reconnect: ${reason}`) },
    { boundMs, maxBoundMs: 60_000, now: () => now },
  );
  return { recovery, actions, at: (ms: number) => (now = ms) };
}

describe('BookRecovery', () => {
  it('resyncs a broken book at once, and only once while that resync runs', () => {
    const { recovery, actions } = setup();
    recovery.broken('gap');
    recovery.broken('another gap');
    expect(actions).toEqual(['resubscribe: gap']);
    expect(recovery.status()).toMatchObject({ step: 'resync', escalations: 0, since: 0, deadline: 15_000, reason: 'gap' });
  });

  it('escalates a resync that does not finish: resubscribe, reconnect, then reconnects at growing, capped intervals', () => {
    const { recovery, actions, at } = setup();
    recovery.broken('gap');
    at(14_999);
    recovery.tick();
    expect(actions).toHaveLength(1);
    at(15_000);
    recovery.tick();
    at(30_000);
    recovery.tick();
    expect(actions.slice(1)).toEqual(['resubscribe: not valid for 15 s (gap)', 'reconnect: not valid for 30 s (gap)']);
    const deadlines: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const deadline = recovery.status()?.deadline ?? 0;
      deadlines.push(deadline);
      at(deadline);
      recovery.tick();
    }
    expect(deadlines).toEqual([45_000, 75_000, 135_000, 195_000, 255_000, 315_000]);
    expect(actions.slice(3).every((a) => a.startsWith('reconnect: '))).toBe(true);
    expect(recovery.status()?.step).toBe('reconnect');
  });

  it('watches a book that waits for a snapshot and escalates it too; a valid book ends the episode', () => {
    const { recovery, actions, at } = setup(1000);
    recovery.waiting('waiting for the first snapshot');
    expect(actions).toEqual([]);
    at(1000);
    recovery.tick();
    expect(actions).toEqual(['resubscribe: not valid for 1 s (waiting for the first snapshot)']);
    recovery.valid();
    expect(recovery.status()).toBeUndefined();
    at(5000);
    recovery.tick();
    expect(actions).toHaveLength(1);
  });

  it('turns a wait into a resync when the book breaks meanwhile, keeping when it stopped being valid', () => {
    const { recovery, actions, at } = setup();
    recovery.waiting('snapshot');
    at(2000);
    recovery.broken('gap');
    expect(actions).toEqual(['resubscribe: gap']);
    expect(recovery.status()).toMatchObject({ step: 'resync', since: 0, stepStartedAt: 2000 });
  });
});
