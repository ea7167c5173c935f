// When alerts fire: a price crossing its level (once per crossing), a print at or above a
// notional (contracts valued by their terms; at most one notice every few seconds, the rest
// counted), a feed not live for its seconds (once per outage); disabled alerts never.

import { describe, expect, it } from 'vitest';
import { AlertEngine, PRINT_EVERY_MS, type FeedTerms, type FiredAlert } from '../../../app/host/alert-engine.js';
import { feedLiveness } from '../../../app/host/alert-service.js';
import type { CollectorStatus } from '../../../app/core/collector-status.js';
import { DEFAULT_WORKSPACE, type Alert, type WorkspacesState } from '../../../app/host/workspace-types.js';

const terms: Record<string, FeedTerms> = {
  'okx:BTC-USDT': { label: 'BTC/USDT · OKX', sizeUnit: 'BTC', quote: 'USDT' },
  'okx:BTC-USDT-SWAP': { label: 'BTC/USDT perp · OKX', sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC', quote: 'USDT' },
};

function engineWith(alerts: Alert[]): { engine: AlertEngine; fired: FiredAlert[] } {
  const fired: FiredAlert[] = [];
  const engine = new AlertEngine(
    (a) => fired.push(a),
    (id) => terms[id],
  );
  const state: WorkspacesState = { version: 1, active: 'trading', workspaces: [{ ...DEFAULT_WORKSPACE, alerts }] };
  engine.setAlerts(state);
  return { engine, fired };
}

describe('price alerts', () => {
  it('fire when the last price crosses the level in their direction, once per crossing', () => {
    const { engine, fired } = engineWith([
      { id: 'up', kind: 'price', symbol: 'okx:BTC-USDT', price: 70_000, direction: 'above', enabled: true },
      { id: 'down', kind: 'price', symbol: 'okx:BTC-USDT', price: 69_000, direction: 'below', enabled: true },
    ]);
    // The first price only says which side it is on: no crossing seen yet.
    engine.price('okx:BTC-USDT', 70_500, 1);
    expect(fired).toEqual([]);
    engine.price('okx:BTC-USDT', 69_990, 2);
    engine.price('okx:BTC-USDT', 70_000, 3);
    expect(fired.map((f) => [f.alertId, f.message])).toEqual([['up', 'BTC/USDT · OKX crossed above 70,000 (last 70,000)']]);
    // Still above: nothing more; back below and up again: once more.
    engine.price('okx:BTC-USDT', 70_100, 4);
    engine.price('okx:BTC-USDT', 69_999, 5);
    engine.price('okx:BTC-USDT', 70_001, 6);
    expect(fired.filter((f) => f.alertId === 'up')).toHaveLength(2);
    engine.price('okx:BTC-USDT', 68_000, 7);
    expect(fired.at(-1)).toMatchObject({ alertId: 'down', kind: 'price', symbol: 'okx:BTC-USDT', at: 7 });
    expect(fired.map((f) => f.seq)).toEqual([1, 2, 3]);
  });

  it('never fire when disabled, or for another symbol', () => {
    const { engine, fired } = engineWith([{ id: 'off', kind: 'price', symbol: 'okx:BTC-USDT', price: 1, direction: 'above', enabled: false }]);
    engine.price('okx:BTC-USDT', 0.5, 1);
    engine.price('okx:BTC-USDT', 2, 2);
    engine.price('okx:ETH-USDT', 0.5, 3);
    expect(fired).toEqual([]);
    expect(engine.size).toBe(0);
  });
});

describe('print alerts', () => {
  it('fire for a print at or above the notional, contracts valued by their terms', () => {
    const { engine, fired } = engineWith([
      { id: 'spot', kind: 'print', symbol: 'okx:BTC-USDT', notional: 100_000, enabled: true },
      { id: 'swap', kind: 'print', symbol: 'okx:BTC-USDT-SWAP', notional: 100_000, enabled: true },
    ]);
    engine.trade('okx:BTC-USDT', 'buy', 50_000, 1.9, 1);
    engine.trade('okx:BTC-USDT', 'sell', 50_000, 2, 2);
    // 150 contracts of 0.01 BTC at 50,000 = 75,000; 200 = 100,000.
    engine.trade('okx:BTC-USDT-SWAP', 'buy', 50_000, 150, 3);
    engine.trade('okx:BTC-USDT-SWAP', 'buy', 50_000, 200, 4);
    expect(fired.map((f) => f.message)).toEqual(['BTC/USDT · OKX: sell of 100.0K USDT at 50,000', 'BTC/USDT perp · OKX: buy of 100.0K USDT at 50,000']);
  });

  it(`say at most one print every ${PRINT_EVERY_MS / 1000} s per alert, counting the others into the next`, () => {
    const { engine, fired } = engineWith([{ id: 'p', kind: 'print', symbol: 'okx:BTC-USDT', notional: 10, enabled: true }]);
    for (let t = 0; t < PRINT_EVERY_MS; t += 1000) engine.trade('okx:BTC-USDT', 'buy', 100, 1, t);
    engine.trade('okx:BTC-USDT', 'buy', 100, 1, PRINT_EVERY_MS);
    expect(fired).toHaveLength(2);
    expect(fired[1]?.message).toMatch(/\(and 4 more since the last notice\)$/);
  });
});

describe('stale-feed alerts', () => {
  it('fire once a feed has not been live for their seconds, once per outage', () => {
    const { engine, fired } = engineWith([{ id: 's', kind: 'stale', symbol: 'okx:BTC-USDT', seconds: 10, enabled: true }]);
    engine.liveness('okx:BTC-USDT', true, 'live', 0);
    engine.liveness('okx:BTC-USDT', false, 'stopped', 1_000);
    engine.tick(10_999);
    expect(fired).toEqual([]);
    engine.tick(11_000);
    engine.tick(30_000);
    expect(fired.map((f) => f.message)).toEqual(['BTC/USDT · OKX has not been live for 10 s (stopped)']);
    // Live again, then out again: a new outage, a new notice.
    engine.liveness('okx:BTC-USDT', true, 'live', 31_000);
    engine.liveness('okx:BTC-USDT', false, 'reconnecting', 32_000);
    engine.tick(42_000);
    expect(fired).toHaveLength(2);
  });

  it('judge a feed live only when it runs, no stream is stale and its book is valid', () => {
    const status = (over: Partial<CollectorStatus>): CollectorStatus =>
      ({ status: 'running', staleStreams: [], book: null, ...over }) as unknown as CollectorStatus;
    expect(feedLiveness(status({}))).toEqual({ live: true, reason: 'live' });
    expect(feedLiveness(status({ status: 'stopped' }))).toEqual({ live: false, reason: 'stopped' });
    expect(feedLiveness(status({ staleStreams: ['trade'] }))).toEqual({ live: false, reason: 'stale: trade' });
    expect(feedLiveness(status({ book: { state: 'syncing' } as CollectorStatus['book'] }))).toEqual({ live: false, reason: 'book syncing' });
  });
});

describe('changing the alerts', () => {
  it('keeps what is known of an unchanged alert and starts a changed one afresh', () => {
    const up: Alert = { id: 'up', kind: 'price', symbol: 'okx:BTC-USDT', price: 100, direction: 'above', enabled: true };
    const { engine, fired } = engineWith([up]);
    engine.price('okx:BTC-USDT', 99, 1);
    engine.setAlerts({ version: 1, active: 'trading', workspaces: [{ ...DEFAULT_WORKSPACE, alerts: [up] }] });
    engine.price('okx:BTC-USDT', 101, 2);
    expect(fired).toHaveLength(1);
    engine.setAlerts({ version: 1, active: 'trading', workspaces: [{ ...DEFAULT_WORKSPACE, alerts: [{ ...up, price: 200 }] }] });
    engine.price('okx:BTC-USDT', 201, 3);
    // A changed alert has no side yet: the first price does not fire it.
    expect(fired).toHaveLength(1);
  });
});
