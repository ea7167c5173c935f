// The cluster's NATS subjects and the node command line.
import { describe, expect, it } from 'vitest';
import { feedKey, feedOfKey } from '../../../app/cluster/feed-leases.js';
import { eventSubject, feedOfSubject, feedWildcard, rawSubject, snapshotSubject, subjectToken, unescapeText } from '../../../app/cluster/subjects.js';
import { hostEnvironment, natsReplicas } from '../../../main/host-options.js';
import { parseNodeArgs } from '../../../main/node/cli.js';
import { parseServeArgs } from '../../../main/serve/cli.js';

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

  it('give back the feed of any subject, whatever characters follow an escape', () => {
    for (const feed of ['okx:BTC-USDT', 'kraken:BTC/USD', 'x:BTC.ab', 'x:a=b', 'x:é.中', 'x:=2e']) {
      expect(feedOfSubject(eventSubject(feed, 'book'))).toEqual({ kind: 'md', feed, stream: 'book' });
      expect(feedOfSubject(rawSubject(feed))).toEqual({ kind: 'raw', feed, stream: 'raw' });
      expect(feedOfKey(feedKey(feed))).toBe(feed);
    }
    // A dot followed by hex letters once decoded as one code point (U+2EAB).
    expect(unescapeText(subjectToken('BTC.ab'))).toBe('BTC.ab');
    expect(feedOfSubject('snap.okx.BTC-USDT')).toBeUndefined();
    expect(feedOfSubject('md.okx')).toBeUndefined();
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

describe('serve and desktop cluster settings', () => {
  it('take the NATS servers from --nats or TICKER_DECK_NATS, and the copies of each recording from TICKER_DECK_NATS_REPLICAS', () => {
    expect(parseServeArgs(['--nats', 'nats://a:4222'], {})).toMatchObject({ nats: ['nats://a:4222'] });
    expect(parseServeArgs(['--nats', 'nats://a:4222'], {}).natsReplicas).toBeUndefined();
    expect(parseServeArgs(['--nats', 'nats://a:4222'], { TICKER_DECK_NATS_REPLICAS: '3' }).natsReplicas).toBe(3);
    expect(hostEnvironment({ TICKER_DECK_NATS: 'nats://a:4222,nats://b:4222', TICKER_DECK_NATS_REPLICAS: '3' }).nats).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      replicas: 3,
    });
    expect(hostEnvironment({}).nats).toBeUndefined();
    expect(() => natsReplicas({ TICKER_DECK_NATS_REPLICAS: 'three' })).toThrow(/whole number from 1 to 5/);
    expect(() => natsReplicas({ TICKER_DECK_NATS_REPLICAS: '9' })).toThrow(/whole number from 1 to 5/);
  });
});
