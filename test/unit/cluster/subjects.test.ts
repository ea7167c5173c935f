// The cluster's NATS subjects and the node command line.
import { describe, expect, it } from 'vitest';
import { eventSubject, feedWildcard, rawSubject, snapshotSubject, subjectToken } from '../../../app/cluster/subjects.js';
import { parseNodeArgs } from '../../../main/node/cli.js';

describe('cluster subjects', () => {
  it('name a feed’s streams, raw frames and snapshots, one token per symbol whatever its characters', () => {
    expect(eventSubject('okx:BTC-USDT', 'book')).toBe('md.okx.BTC-USDT.book');
    expect(eventSubject('kraken:BTC/USD', 'trade')).toBe('md.kraken.BTC/USD.trade');
    expect(feedWildcard('binance-futures:BTCUSDT')).toBe('md.binance-futures.BTCUSDT.>');
    expect(rawSubject('okx:BTC-USDT')).toBe('raw.okx.BTC-USDT');
    expect(snapshotSubject('okx:BTC-USDT')).toBe('snap.okx.BTC-USDT');
    // A dot, a wildcard or a space would break the subject into other tokens: escaped.
    expect(subjectToken('A.B *>')).toBe('A=2eB=20=2a=3e');
    expect(eventSubject('x:A.B', 'ticker').split('.')).toHaveLength(4);
  });
});

describe('npm run node arguments', () => {
  it('takes one or more NATS URLs and a name, from the flags or the environment', () => {
    expect(parseNodeArgs(['--nats', 'nats://10.0.0.1:4222', '--name', 'n1'])).toEqual({ servers: ['nats://10.0.0.1:4222'], name: 'n1' });
    expect(parseNodeArgs(['--nats', 'nats://a:4222', '--nats', 'nats://b:4222']).servers).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(parseNodeArgs([], { TICKER_DECK_NATS: 'nats://a:4222,nats://b:4222' }).servers).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(() => parseNodeArgs([], {})).toThrow(/--nats nats:\/\/HOST:4222/);
    expect(() => parseNodeArgs(['--nats', 'http://x'])).toThrow(/must be a NATS URL/);
    expect(() => parseNodeArgs(['--port', '1'])).toThrow();
  });
});
