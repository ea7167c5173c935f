// OKX book pipelines side by side (see book-compare.ts): the real 2022 capture (3 books of 400
// levels, every message checksummed) and generated `books` streams of 25, 400 (with and without
// checksums) and 5,000 levels, through the feed processor the collector and replays use (scan +
// checks + BookSync + checksum + events), ccxt pro's OKX handler and bare JSON.parse.

import { OkxFeedProcessor } from '../../app/exchanges/okx/feed-processor.js';
import { decodeFrame } from '../../app/exchanges/okx/parser.js';
import { readCapture } from '../sim/okx/capture.js';
import { asReceived, parsePass, type BookStream } from './book-compare.js';
import { ccxtHarness, type CcxtMarket } from './ccxt-fake.js';
import { generateBookStream, okxChecksumOfRows, type GeneratedMessage, type Row } from './generated-book.js';
import { quietSink } from './quiet-sink.js';

interface Frame {
  readonly instId: string;
  readonly text: string;
}

const CAPTURE_MARKETS: readonly CcxtMarket[] = [
  { id: 'BTC-USDT', symbol: 'BTC/USDT', type: 'spot', base: 'BTC', quote: 'USDT' },
  { id: 'UNI-USD-SWAP', symbol: 'UNI/USD:UNI', type: 'swap', base: 'UNI', quote: 'USD', settle: 'UNI', linear: false },
  { id: 'BTC-USD-220527', symbol: 'BTC/USD:BTC-220527', type: 'future', base: 'BTC', quote: 'USD', settle: 'BTC', linear: false },
];

function stream(label: string, frames: readonly Frame[], markets: readonly CcxtMarket[]): BookStream {
  const instIds = [...new Set(frames.map((f) => f.instId))];
  const texts = frames.map((f) => f.text);
  return {
    label,
    messages: frames.length,
    ours: () => {
      const processors = new Map(instIds.map((id) => [id, new OkxFeedProcessor(id, 'books', quietSink())]));
      let t = 0;
      for (const frame of frames) processors.get(frame.instId)?.handleFrame(frame.text, (t += 1));
      for (const p of processors.values()) if (p.bookSync?.state !== 'valid') throw new Error(`${label}: book not valid after a pass`);
    },
    ccxt: () => {
      const harness = ccxtHarness(
        'okx',
        markets,
        markets.map((m) => `books:${m.symbol}`),
      );
      for (const text of texts) harness.feed(text);
      if (harness.client.resolved !== texts.length) throw new Error(`${label}: ccxt resolved ${harness.client.resolved} of ${texts.length}`);
    },
    parse: parsePass(texts),
  };
}

function captureFrames(): Frame[] {
  const frames: Frame[] = [];
  for (const frame of readCapture()) {
    if (!frame.payload.includes('"channel":"books"') || frame.payload.includes('"event"')) continue;
    const decoded = decodeFrame(frame.payload);
    if (decoded.kind === 'push') frames.push({ instId: decoded.push.arg.instId ?? '', text: asReceived(frame.payload) });
  }
  return frames;
}

/** A generated stream written as OKX `books` pushes (with real checksums, or 0 as OKX sends today). */
export function okxFrames(depth: number, updates: number, checksums: boolean, instId = 'BTC-USDT'): Frame[] {
  const generated = generateBookStream(depth, updates);
  let seqId = 1_000_000;
  const rows = (levels: readonly Row[]): string => `[${levels.map(([p, s]) => `["${p}","${s}","0","${s === '0' ? 0 : 1 + (p.length % 7)}"]`).join(',')}]`;
  const frame = (action: 'snapshot' | 'update', m: GeneratedMessage, prev: number): Frame => ({
    instId,
    text: asReceived(
      `{"arg":{"channel":"books","instId":"${instId}"},"action":"${action}","data":[{"asks":${rows(m.asks)},"bids":${rows(m.bids)},"ts":"${1_780_000_000_000 + seqId}","checksum":${checksums ? okxChecksumOfRows(m.topBids, m.topAsks) : 0},"prevSeqId":${prev},"seqId":${seqId}}]}`,
    ),
  });
  const out = [frame('snapshot', generated.snapshot, -1)];
  for (const m of generated.updates) {
    const prev = seqId;
    seqId += 1 + (seqId % 3);
    out.push(frame('update', m, prev));
  }
  return out;
}

export function okxBookStreams(): BookStream[] {
  const btc: readonly CcxtMarket[] = [CAPTURE_MARKETS[0] as CcxtMarket];
  return [
    stream('OKX 2022 capture (3 books of 400, checksums)', captureFrames(), CAPTURE_MARKETS),
    stream('OKX generated, 25 levels', okxFrames(25, 2000, false), btc),
    stream('OKX generated, 400 levels', okxFrames(400, 2000, false), btc),
    stream('OKX generated, 400 levels, checksums', okxFrames(400, 2000, true), btc),
    stream('OKX generated, 5000 levels', okxFrames(5000, 2000, false), btc),
  ];
}
