// Replays the real 2022 OKX capture (books with real checksums, trades, tickers) on the
// simulator's clock, looping at the end. Keeps each book's state so a client that subscribes
// mid-stream gets a snapshot consistent with the updates that follow.

import { readCapture } from './capture.js';
import { simChecksum, type Level, type SimInstrument } from '../core/market.js';

interface ReplayFrame {
  readonly offsetMs: number;
  readonly channel: string;
  readonly instId: string;
  readonly text: string;
  readonly book?: { readonly action: string; readonly bids: Level[]; readonly asks: Level[] };
}

export interface OutFrame {
  readonly channel: string;
  readonly instId: string;
  readonly text: string;
}

/** Frames per simulator tick when replaying at maximum speed. */
const MAX_SPEED_BATCH = 400;

export class ReplayFeed {
  private readonly frames: ReplayFrame[] = [];
  private readonly books = new Map<string, { bids: Map<string, Level>; asks: Map<string, Level> }>();
  private cursor = 0;
  private startedAt: number | undefined;
  private loops = 0;

  constructor(private readonly speed: number) {
    const captured = readCapture();
    const first = captured[0]?.receivedAt ?? 0;
    for (const frame of captured) {
      if (frame.payload === 'pong' || frame.payload.includes('"event"')) continue;
      const message = JSON.parse(frame.payload) as { arg: { channel: string; instId: string }; action?: string; data: { bids?: Level[]; asks?: Level[] }[] };
      const data = message.data[0];
      this.frames.push({
        offsetMs: frame.receivedAt - first,
        channel: message.arg.channel,
        instId: message.arg.instId,
        text: frame.payload,
        ...(message.arg.channel === 'books' && data !== undefined
          ? { book: { action: message.action ?? 'update', bids: data.bids ?? [], asks: data.asks ?? [] } }
          : {}),
      });
    }
  }

  /** The capture's instruments, as the simulator lists them. */
  instruments(): SimInstrument[] {
    const ids = [...new Set(this.frames.map((f) => f.instId))];
    return ids.map((instId) => ({
      instId,
      instType: instId.endsWith('-SWAP') ? 'SWAP' : /-\d{6}$/.test(instId) ? 'FUTURES' : 'SPOT',
      price: 0,
      tickSz: instId.startsWith('UNI') ? '0.001' : '0.1',
      lotSz: instId === 'BTC-USDT' ? '0.00000001' : '1',
    }));
  }

  get completedLoops(): number {
    return this.loops;
  }

  /** Frames due by `now`. */
  advance(now: number): OutFrame[] {
    this.startedAt ??= now;
    const out: OutFrame[] = [];
    const limit = Number.isFinite(this.speed) ? (now - this.startedAt) * this.speed : Infinity;
    while (out.length < (Number.isFinite(this.speed) ? Infinity : MAX_SPEED_BATCH)) {
      const frame = this.frames[this.cursor];
      if (frame === undefined) {
        this.cursor = 0;
        this.loops += 1;
        this.startedAt = now;
        break;
      }
      if (frame.offsetMs > limit) break;
      this.cursor += 1;
      if (frame.book !== undefined) this.apply(frame.instId, frame.book);
      out.push({ channel: frame.channel, instId: frame.instId, text: frame.text });
    }
    return out;
  }

  /** Current book of `instId` as an OKX snapshot entry with a real checksum. */
  snapshot(instId: string): { asks: Level[]; bids: Level[]; ts: string; checksum: number } {
    const book = this.books.get(instId);
    const bids = [...(book?.bids.values() ?? [])].sort((a, b) => Number(b[0]) - Number(a[0]));
    const asks = [...(book?.asks.values() ?? [])].sort((a, b) => Number(a[0]) - Number(b[0]));
    return { asks, bids, ts: String(Date.now()), checksum: simChecksum(bids, asks) };
  }

  private apply(instId: string, update: { action: string; bids: Level[]; asks: Level[] }): void {
    let book = this.books.get(instId);
    if (book === undefined || update.action === 'snapshot') {
      book = { bids: new Map(), asks: new Map() };
      this.books.set(instId, book);
    }
    for (const [side, rows] of [
      [book.bids, update.bids],
      [book.asks, update.asks],
    ] as const) {
      for (const row of rows) {
        if (row[1] === '0') side.delete(row[0]);
        else side.set(row[0], row);
      }
    }
  }
}
