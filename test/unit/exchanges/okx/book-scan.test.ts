import { describe, expect, it } from 'vitest';
import { ExchangeProtocolError } from '../../../../app/core/errors.js';
import { scanOkxBookPush } from '../../../../app/exchanges/okx/book-scan.js';
import { okxBookOf, okxBookSchema, okxPushSchema } from '../../../../app/exchanges/okx/messages.js';
import { readCapture, readSamples } from '../../../sim/okx/capture.js';

/** The general path: JSON.parse and the schemas. */
function slow(text: string) {
  const push = okxPushSchema.parse(JSON.parse(text));
  return { arg: { channel: push.arg.channel, instId: push.arg.instId }, action: push.action, book: okxBookOf(okxBookSchema.parse(push.data[0])) };
}

describe('OKX book scanner', () => {
  it('reads every book push of the 2022 capture and the 2026 samples exactly as JSON.parse and the schemas do', () => {
    const texts = [...readCapture().map((f) => f.payload), ...readSamples().map((s) => JSON.stringify(s.msg))].filter((t) =>
      t.startsWith('{"arg":{"channel":"books'),
    );
    expect(texts.length).toBeGreaterThan(290);
    for (const text of texts) {
      const fast = scanOkxBookPush(text);
      expect(fast).toBeDefined();
      expect({ arg: fast?.arg, action: fast?.action, book: fast?.book }).toEqual(slow(text));
    }
  });

  it('reads the members in any order and with spaces', () => {
    const text =
      '{"arg":{"channel":"books","instId":"BTC-USDT"}, "data" : [ { "seqId":7,"ts":"1","bids":[["1.5","2","0","3"]], "prevSeqId":6, "asks" : [ ] ,"checksum":0 } ], "action":"update"}';
    expect(scanOkxBookPush(text)?.book).toEqual({
      asks: [],
      bids: [{ price: 1.5, priceStr: '1.5', size: 2, sizeStr: '2', orders: 3 }],
      ts: 1,
      checksum: 0,
      prevSeqId: 6,
      seqId: 7,
    });
  });

  it('leaves texts that are not book pushes to the general path', () => {
    expect(scanOkxBookPush('{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[]}')).toBeUndefined();
    expect(scanOkxBookPush('{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}')).toBeUndefined();
  });

  it('refuses a level that is not a decimal, a missing field, two entries, and a cut text', () => {
    const head = '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[';
    const entry = (bids: string) => `{"asks":[],"bids":${bids},"ts":"1","checksum":0,"prevSeqId":1,"seqId":2}`;
    for (const [text, message] of [
      [`${head}${entry('[["1e5","1","0","1"]]')}]}`, /malformed order book/],
      [`${head}${entry('[["-1","1","0","1"]]')}]}`, /malformed order book/],
      [`${head}${entry('[["1","abc","0","1"]]')}]}`, /malformed order book/],
      [`${head}${entry('[[1,"1","0","1"]]')}]}`, /malformed order book/],
      [`${head}{"asks":[],"bids":[],"checksum":0}]}`, /without asks, bids and ts/],
      [`${head}${entry('[]')},${entry('[]')}]}`, /more than one entry/],
      [`${head}${entry('[]')}]`, /not JSON/],
      [`${head}{"asks":[["1`, /not JSON/],
    ] as const) {
      expect(() => scanOkxBookPush(text), text).toThrow(ExchangeProtocolError);
      expect(() => scanOkxBookPush(text), text).toThrow(message);
    }
  });
});
