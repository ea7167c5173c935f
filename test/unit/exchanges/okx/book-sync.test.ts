import { describe, expect, it } from 'vitest';
import { OkxBookSync } from '../../../../app/exchanges/okx/book-sync.js';
import { okxBookOf, type OkxBook } from '../../../../app/exchanges/okx/messages.js';

type Row = [string, string, string, string];

function msg(prevSeqId: number, seqId: number, bids: Row[] = [], asks: Row[] = []): OkxBook {
  return okxBookOf({ bids, asks, ts: '1786540000000', checksum: 0, prevSeqId, seqId });
}
const lvl = (px: string, sz: string): Row => [px, sz, '0', '1'];

describe('OkxBookSync sequence chain (checksum 0, seqId/prevSeqId)', () => {
  it('follows the documented example: snapshot, update, keep-alive, reset, normal', () => {
    const sync = new OkxBookSync();
    expect(sync.onMessage('snapshot', msg(-1, 10, [lvl('100', '1')], [lvl('101', '1')])).type).toBe('snapshot');
    expect(sync.onMessage('update', msg(10, 15, [lvl('99.5', '2')])).type).toBe('update');
    expect(sync.onMessage('update', msg(15, 15)).type).toBe('keepalive');
    expect(sync.onMessage('update', msg(15, 3, [], [lvl('101', '0'), lvl('102', '4')]))).toEqual({ type: 'reset', from: 15, to: 3 });
    expect(sync.onMessage('update', msg(3, 5, [lvl('100', '0')])).type).toBe('update');
    expect(sync.state).toBe('valid');
    expect(sync.seqId).toBe(5);
    expect(sync.book.bids.all().map((l) => l.priceStr)).toEqual(['99.5']);
    expect(sync.book.asks.all().map((l) => [l.priceStr, l.sizeStr])).toEqual([['102', '4']]);
  });

  it('chains on prevSeqId, not seqId + 1 (jumps are normal)', () => {
    const sync = new OkxBookSync();
    sync.onMessage('snapshot', msg(-1, 1000, [lvl('1', '1')], [lvl('2', '1')]));
    expect(sync.onMessage('update', msg(1000, 1093, [lvl('1', '3')])).type).toBe('update');
    expect(sync.onMessage('update', msg(1093, 1095)).type).toBe('update');
  });

  it('reports a gap, invalidates the book and ignores updates until a new snapshot', () => {
    const sync = new OkxBookSync();
    sync.onMessage('snapshot', msg(-1, 10, [lvl('100', '1')], [lvl('101', '1')]));
    sync.onMessage('update', msg(10, 12));
    expect(sync.onMessage('update', msg(14, 20))).toEqual({ type: 'gap', expected: 12, got: 14 });
    expect(sync.state).toBe('invalid');
    expect(sync.book.isEmpty()).toBe(true);
    expect(sync.onMessage('update', msg(20, 21)).type).toBe('ignored');
    expect(sync.onMessage('snapshot', msg(-1, 30, [lvl('100', '1')], [lvl('101', '1')])).type).toBe('snapshot');
    expect(sync.state).toBe('valid');
  });

  it('rejects malformed levels rather than publishing a wrong book', () => {
    const sync = new OkxBookSync();
    sync.onMessage('snapshot', msg(-1, 1, [lvl('100', '1')], [lvl('101', '1')]));
    expect(sync.onMessage('update', { ...msg(1, 2), bids: okxBookOf({ bids: [['abc', '1', '0', '1']], asks: [], ts: '0' }).bids }).type).toBe('malformed');
    expect(sync.state).toBe('invalid');
  });
});

describe('OkxBookSync REST snapshot splice', () => {
  it('buffers updates while waiting, then splices them onto the snapshot', () => {
    const sync = new OkxBookSync();
    expect(sync.onMessage('update', msg(100, 105, [lvl('10', '1')])).type).toBe('buffered');
    sync.onMessage('update', msg(105, 110, [lvl('9', '1')]));
    sync.onMessage('update', msg(110, 120, [lvl('10', '5')]));
    expect(sync.buffered).toBe(3);
    // Snapshot taken at 107: 105 is already in it, 110 straddles it.
    const rest = okxBookOf({ bids: [lvl('10', '1'), lvl('8', '2')], asks: [lvl('11', '1')], ts: '0', seqId: 107 });
    expect(sync.loadRest(rest)).toBe('loaded');
    expect(sync.state).toBe('valid');
    expect(sync.seqId).toBe(120);
    expect(sync.book.bids.all().map((l) => [l.priceStr, l.sizeStr])).toEqual([
      ['10', '5'],
      ['9', '1'],
      ['8', '2'],
    ]);
    expect(sync.onMessage('update', msg(120, 121)).type).toBe('update');
  });

  it('asks for a newer snapshot when the REST one predates the buffer', () => {
    const sync = new OkxBookSync();
    sync.onMessage('update', msg(100, 105));
    expect(sync.loadRest(okxBookOf({ bids: [], asks: [], ts: '0', seqId: 90 }))).toBe('stale');
    expect(sync.state).toBe('awaiting');
    expect(sync.buffered).toBe(1);
  });

  it('drops live updates already contained in the snapshot and checks the first one after it', () => {
    const sync = new OkxBookSync();
    expect(sync.loadRest(okxBookOf({ bids: [lvl('1', '1')], asks: [lvl('2', '1')], ts: '0', seqId: 50 }))).toBe('loaded');
    expect(sync.onMessage('update', msg(40, 50)).type).toBe('ignored');
    expect(sync.onMessage('update', msg(50, 55)).type).toBe('update');
    const other = new OkxBookSync();
    other.loadRest(okxBookOf({ bids: [], asks: [], ts: '0', seqId: 50 }));
    expect(other.onMessage('update', msg(52, 55)).type).toBe('gap');
  });

  it('prefers an in-band snapshot that arrives while waiting', () => {
    const sync = new OkxBookSync();
    sync.onMessage('update', msg(1, 2));
    expect(sync.onMessage('snapshot', msg(-1, 3, [lvl('1', '1')], [])).type).toBe('snapshot');
    expect(sync.buffered).toBe(0);
  });
});

describe('OkxBookSync truthfulness', () => {
  it('applies a documented reset that arrives right after a REST splice, and what follows it', () => {
    const sync = new OkxBookSync();
    expect(sync.loadRest(okxBookOf({ bids: [lvl('100', '1')], asks: [lvl('101', '1')], ts: '0', seqId: 500 }))).toBe('loaded');
    // The chain continues from the snapshot with a reset (seqId < prevSeqId): apply it.
    expect(sync.onMessage('update', msg(500, 3, [lvl('99', '2')]))).toEqual({ type: 'reset', from: 500, to: 3 });
    expect(sync.onMessage('update', msg(3, 7, [lvl('100', '0')])).type).toBe('update');
    expect(sync.state).toBe('valid');
    expect(sync.seqId).toBe(7);
    expect(sync.book.bids.all().map((l) => l.priceStr)).toEqual(['99']);
  });

  it('never stays valid on a reset it cannot place after a splice: that is a gap', () => {
    const sync = new OkxBookSync();
    sync.loadRest(okxBookOf({ bids: [lvl('100', '1')], asks: [lvl('101', '1')], ts: '0', seqId: 500 }));
    // A reset whose prevSeqId is not the snapshot's seqId: its step is unknown.
    expect(sync.onMessage('update', msg(480, 3, [lvl('99', '2')])).type).toBe('gap');
    expect(sync.state).toBe('invalid');
  });

  it('verifies the checksum of a keep-alive like any update', () => {
    const sync = new OkxBookSync();
    // The checksum of bids 3366.1:7 and asks 3366.8:9 … (docs vector, 2 levels aligned).
    sync.onMessage('snapshot', msg(-1, 10, [lvl('3366.1', '7'), lvl('3366', '6')], [lvl('3366.8', '9'), lvl('3368', '8')]));
    expect(sync.onMessage('update', { ...msg(10, 10), checksum: -1881014294 }).type).toBe('keepalive');
    expect(sync.verifiedChecksums).toBe(1);
    expect(sync.onMessage('update', { ...msg(10, 10), checksum: 12345 })).toEqual({ type: 'checksum', expected: 12345, computed: -1881014294 });
    expect(sync.state).toBe('invalid');
  });

  it('keeps a stale book showable until a change applies, which makes it valid again', () => {
    let now = 1000;
    const sync = new OkxBookSync({ now: () => now });
    sync.onMessage('snapshot', msg(-1, 10, [lvl('100', '1')], [lvl('101', '1')]));
    expect(sync.lastChangeAt).toBe(1000);
    sync.markStale();
    expect(sync.state).toBe('stale');
    expect(sync.displayable).toBe(true);
    now = 2000;
    expect(sync.onMessage('update', msg(10, 10)).type).toBe('keepalive');
    expect(sync.state).toBe('stale');
    expect(sync.onMessage('update', msg(10, 11, [lvl('100', '2')])).type).toBe('update');
    expect(sync.state).toBe('valid');
    expect(sync.lastChangeAt).toBe(2000);
  });
});
