// The loopback OKX simulator: an HTTP server on 127.0.0.1 that speaks OKX v5 —
// WebSocket `/ws/v5/public` and `/ws/v5/business`, REST `/api/v5/market/books` and
// `/api/v5/public/instruments` — fed by a generated market (2026 mode: checksum 0, seqId
// chain, keep-alives, resets, optionally no in-band snapshot) or by replaying the real 2022
// capture. It runs on the simulator core (test/sim/core/server.ts), which brings the shared
// faults (drop, stall, gap, mute, malformed, flood, …); OKX adds its own: a corrupted update,
// a sequence reset, a no-change keep-alive and the 64008 service-upgrade notice.

import type http from 'node:http';
import { BookHistory, GeneratedMarket, type SimInstrument } from '../core/market.js';
import { SimServer, type FaultOptions, type SimConnection as CoreConnection } from '../core/server.js';
import { ReplayFeed } from './replay.js';

/** OKX's own faults, on top of the simulator core's. */
export type OkxFault = 'corrupt' | 'reset' | 'keepalive' | 'notice' | 'burst';

export type { FaultOptions };

export interface SimulatorOptions {
  readonly port?: number;
  readonly mode?: 'generated' | 'replay';
  /** Generated mode: real CRC32 checksums (pre-2026 behaviour) or 0 (since 2026-06-23). */
  readonly checksum?: 'real' | 'zero';
  /** Send the book snapshot on subscribe (current OKX) or not (the announced REST-snapshot path). */
  readonly inBandSnapshot?: boolean;
  /** Market tick, ms (OKX `books` pushes every 100 ms). */
  readonly tickMs?: number;
  /** Generated mode: every Nth tick of an instrument is a no-change keep-alive (0 = never). */
  readonly keepAliveEvery?: number;
  /** Generated mode: every Nth tick resets the sequence (0 = never). */
  readonly resetEvery?: number;
  /** Replay speed multiplier; `Infinity` replays as fast as the socket takes it. */
  readonly replaySpeed?: number;
  /** OKX closes connections idle for 30 s (code 4004). */
  readonly idleTimeoutMs?: number;
  /** Close with 4005 when a client's unsent data exceeds this (slow reader). */
  readonly maxBufferedBytes?: number;
  readonly instruments?: readonly SimInstrument[];
  readonly seed?: number;
  /** Keep each instrument's recent books by seqId (see `bookAt`), for tests that compare books. */
  readonly trackBooks?: boolean;
}

export const DEFAULT_INSTRUMENTS: readonly SimInstrument[] = [
  { instId: 'BTC-USDT', instType: 'SPOT', price: 64000, tickSz: '0.1', lotSz: '0.00000001' },
  { instId: 'ETH-USDT', instType: 'SPOT', price: 3100, tickSz: '0.01', lotSz: '0.000001' },
  { instId: 'SOL-USDT', instType: 'SPOT', price: 145, tickSz: '0.01', lotSz: '0.0001' },
  { instId: 'DOGE-USDT', instType: 'SPOT', price: 0.12, tickSz: '0.00001', lotSz: '0.01' },
  { instId: 'TON-USDT', instType: 'SPOT', price: 5.2, tickSz: '0.001', lotSz: '0.001' },
  { instId: 'XRP-USDT', instType: 'SPOT', price: 0.55, tickSz: '0.0001', lotSz: '0.01' },
  { instId: 'ADA-USDT', instType: 'SPOT', price: 0.4, tickSz: '0.0001', lotSz: '0.01' },
  { instId: 'LTC-USDT', instType: 'SPOT', price: 80, tickSz: '0.01', lotSz: '0.0001' },
  { instId: 'BTC-USDT-SWAP', instType: 'SWAP', price: 64010, tickSz: '0.1', lotSz: '0.01' },
  { instId: 'ETH-USDT-SWAP', instType: 'SWAP', price: 3101, tickSz: '0.01', lotSz: '0.1' },
  { instId: 'BTC-USD-261225', instType: 'FUTURES', price: 65000, tickSz: '0.1', lotSz: '1' },
];

const PUBLIC_CHANNELS = new Set([
  'tickers',
  'trades',
  'books',
  'books5',
  'bbo-tbt',
  'books-l2-tbt',
  'books50-l2-tbt',
  'mark-price',
  'index-tickers',
  'funding-rate',
  'open-interest',
]);
/** Channels of contracts only (funding of perpetuals only); `index-tickers` takes an index id. */
const CONTRACT_CHANNELS = new Set(['mark-price', 'open-interest']);
/** How often OKX pushes each derivative channel (ms): mark and index on change at most every 200 ms and 100 ms, open interest every 3 s, funding every 30–90 s. */
const DERIVATIVE_EVERY_MS: Readonly<Record<string, number>> = { 'mark-price': 200, 'index-tickers': 200, 'open-interest': 3000, 'funding-rate': 30_000 };
/** The index a contract tracks: `BTC-USDT` for `BTC-USDT-SWAP` and `BTC-USDT-261225`. */
const indexOf = (instId: string): string => instId.split('-').slice(0, 2).join('-');

interface Sub {
  readonly channel: string;
  readonly instId: string;
}

export interface SimConnection extends CoreConnection<'public' | 'business'> {
  readonly endpoint: 'public' | 'business';
  readonly subs: Map<string, Sub>;
  corruptNext: boolean;
  resetNext: boolean;
}

export class OkxSimulator extends SimServer<'public' | 'business', SimConnection, OkxFault> {
  private readonly options: Required<Omit<SimulatorOptions, 'port'>>;
  private readonly markets = new Map<string, GeneratedMarket>();
  private readonly histories = new Map<string, BookHistory>();
  private readonly replay: ReplayFeed | undefined;
  private readonly instruments: Map<string, SimInstrument>;

  private constructor(options: SimulatorOptions) {
    const tickMs = options.tickMs ?? 100;
    const maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    // OKX: "server write buffer full" — a client that reads too slowly is cut off with 4005.
    super({ tickMs, maxBufferedBytes, slowReaderClose: [4005, 'write buffer full'], routes: { '/ws/v5/public': 'public', '/ws/v5/business': 'business' } });
    this.options = {
      mode: options.mode ?? 'generated',
      checksum: options.checksum ?? 'zero',
      inBandSnapshot: options.inBandSnapshot ?? true,
      tickMs,
      keepAliveEvery: options.keepAliveEvery ?? 0,
      resetEvery: options.resetEvery ?? 0,
      replaySpeed: options.replaySpeed ?? 1,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      maxBufferedBytes,
      instruments: options.instruments ?? DEFAULT_INSTRUMENTS,
      seed: options.seed ?? 7,
      trackBooks: options.trackBooks ?? false,
    };
    this.replay = this.options.mode === 'replay' ? new ReplayFeed(this.options.replaySpeed) : undefined;
    const list = this.replay?.instruments() ?? this.options.instruments;
    this.instruments = new Map(list.map((i) => [i.instId, i]));
  }

  static async start(options: SimulatorOptions = {}): Promise<OkxSimulator> {
    const sim = new OkxSimulator(options);
    await sim.listen(options.port);
    return sim;
  }

  /** The book of `instId` right after seqId `seqId` (`trackBooks` only; recent ids only). */
  bookAt(instId: string, seqId: number): { bids: string[]; asks: string[] } | undefined {
    return this.histories.get(instId)?.at(seqId);
  }

  /** Base for `customParams.wsUrl` (the collector appends `/public` and `/business`). */
  get wsUrl(): string {
    return `${this.wsBase}/ws/v5`;
  }

  // ----- the codec -----

  protected createConnection(base: CoreConnection<'public' | 'business'>): SimConnection {
    return Object.assign(base, { endpoint: base.route, subs: new Map<string, Sub>(), corruptNext: false, resetNext: false });
  }

  protected subscribedTo(c: SimConnection, instId: string): boolean {
    for (const sub of c.subs.values()) if (sub.instId === instId) return true;
    return false;
  }

  protected wants(c: SimConnection, key: string): boolean {
    return c.subs.has(key);
  }

  protected muteKeys(c: SimConnection, instId: string | undefined, stream: string | undefined): string[] {
    const channel = stream ?? 'books';
    return [...c.subs.values()].filter((s) => s.channel === channel && (instId === undefined || s.instId === instId)).map((s) => `${s.channel}:${s.instId}`);
  }

  protected malformedFrame(instId: string | undefined): string {
    return `{"arg":{"channel":"books","instId":"${instId ?? 'BTC-USDT'}"},"action":"update","data":[{"asks":[["1`;
  }

  protected floodFrames(c: SimConnection): string[] {
    return [...c.subs.values()]
      .filter((s) => s.channel === 'tickers')
      .map((s) => JSON.stringify({ arg: { channel: 'tickers', instId: s.instId }, data: [this.market(s.instId).ticker(Date.now())] }));
  }

  protected venueFault(c: SimConnection, kind: OkxFault, instId: string | undefined, options: FaultOptions = {}): void {
    switch (kind) {
      case 'burst': {
        const target = instId ?? [...c.subs.values()].find((s) => s.channel === 'books')?.instId;
        if (target !== undefined && this.replay === undefined) this.burst(c, target, options.count ?? 200_000).catch(() => undefined);
        return;
      }
      case 'corrupt':
        c.corruptNext = true;
        return;
      case 'reset':
        c.resetNext = true;
        return;
      case 'keepalive': {
        const target = instId ?? [...c.subs.values()].find((s) => s.channel === 'books')?.instId;
        if (target !== undefined && this.replay === undefined) {
          this.sendBook(c, { channel: 'books', instId: target }, 'update', this.market(target).keepAlive(Date.now()));
        }
        return;
      }
      case 'notice':
        this.send(c, { event: 'notice', code: '64008', msg: 'The connection will soon be closed for a service upgrade. Please reconnect.', connId: c.id });
        setTimeout(() => c.socket.close(1012, 'service upgrade'), 500).unref();
        return;
    }
  }

  protected onMessage(connection: SimConnection, text: string): void {
    if (text === 'ping') {
      if (!connection.stalled) connection.socket.send('pong');
      return;
    }
    let request: { id?: unknown; op?: unknown; args?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.send(connection, { event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 100)}`, connId: connection.id });
      return;
    }
    const id = typeof request.id === 'string' ? { id: request.id } : {};
    if ((request.op !== 'subscribe' && request.op !== 'unsubscribe') || !Array.isArray(request.args)) {
      this.send(connection, { ...id, event: 'error', code: '60019', msg: `Invalid op: ${String(request.op)}`, connId: connection.id });
      return;
    }
    const args = (request.args as unknown[]).filter(
      (a): a is Sub => typeof a === 'object' && a !== null && typeof (a as Sub).channel === 'string' && typeof (a as Sub).instId === 'string',
    );
    if (this.takeThrottle(request.op)) {
      this.send(connection, { ...id, event: 'error', code: '60014', msg: 'Requests too frequent.', connId: connection.id });
      return;
    }
    if (request.op === 'unsubscribe' && this.takeIgnoredUnsubscribe(connection)) return;
    // Like OKX, a request with one bad argument is refused as a whole.
    for (const arg of args) {
      const problem = this.checkArg(connection.endpoint, arg);
      if (problem !== undefined) {
        this.send(connection, { ...id, event: 'error', code: problem.code, msg: problem.msg, connId: connection.id });
        return;
      }
    }
    // One ack per arg, all before any data (as in the recorded sessions).
    for (const arg of args) {
      const key = `${arg.channel}:${arg.instId}`;
      if (request.op === 'subscribe') {
        connection.subs.set(key, arg);
      } else {
        connection.subs.delete(key);
        connection.muted.delete(key);
      }
      this.send(connection, { ...id, event: request.op, arg: { channel: arg.channel, instId: arg.instId }, connId: connection.id });
    }
    if (request.op === 'subscribe') for (const arg of args) this.onSubscribed(connection, arg);
  }

  private checkArg(endpoint: 'public' | 'business', arg: Sub): { code: string; msg: string } | undefined {
    const isCandle = /^candle\d+[smHDWM](utc)?$/.test(arg.channel);
    if (endpoint === 'public' && isCandle) return { code: '64001', msg: `channel:${arg.channel} has been moved to /ws/v5/business` };
    if (endpoint === 'business' && PUBLIC_CHANNELS.has(arg.channel)) {
      return { code: '64002', msg: `channel:${arg.channel} is not supported by business URL` };
    }
    if (!isCandle && !PUBLIC_CHANNELS.has(arg.channel)) {
      return { code: '60018', msg: `Wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist` };
    }
    const missing = { code: '60018', msg: `Wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist` };
    if (arg.channel === 'index-tickers') return this.contractOfIndex(arg.instId) === undefined ? missing : undefined;
    const instrument = this.instruments.get(arg.instId);
    if (instrument === undefined) return missing;
    if (CONTRACT_CHANNELS.has(arg.channel) && instrument.instType === 'SPOT') return missing;
    if (arg.channel === 'funding-rate' && instrument.instType !== 'SWAP') return missing;
    return undefined;
  }

  /** A contract on the index `indexId`, whose market the index follows. */
  private contractOfIndex(indexId: string): string | undefined {
    return [...this.instruments.values()].find((i) => i.instType !== 'SPOT' && indexOf(i.instId) === indexId)?.instId;
  }

  /** The derivative channels' messages for a contract, as OKX writes them. */
  private derivativeMessages(instId: string, now: number): Record<string, object> {
    const instrument = this.instruments.get(instId);
    const d = this.market(instId).derivatives(now);
    const instType = instrument?.instType ?? 'SWAP';
    const ts = String(d.ts);
    const contracts = Number(d.openInterest) / 0.01;
    const index = indexOf(instId);
    return {
      'mark-price': { arg: { channel: 'mark-price', instId }, data: [{ instType, instId, markPx: d.mark, ts }] },
      'index-tickers': {
        arg: { channel: 'index-tickers', instId: index },
        data: [{ instId: index, idxPx: d.index, high24h: d.index, low24h: d.index, open24h: d.index, sodUtc0: d.index, sodUtc8: d.index, ts }],
      },
      'open-interest': {
        arg: { channel: 'open-interest', instId },
        data: [{ instType, instId, oi: contracts.toFixed(0), oiCcy: d.openInterest, oiUsd: (Number(d.openInterest) * Number(d.mark)).toFixed(2), ts }],
      },
      'funding-rate': {
        arg: { channel: 'funding-rate', instId },
        data: [
          {
            instType,
            instId,
            method: 'current_period',
            fundingRate: d.fundingRate,
            fundingTime: String(d.nextFundingTime),
            nextFundingRate: '',
            nextFundingTime: String(d.nextFundingTime + 8 * 3_600_000),
            minFundingRate: '-0.0075',
            maxFundingRate: '0.0075',
            settState: 'settled',
            settFundingRate: d.fundingRate,
            premium: '0.0001',
            ts,
          },
        ],
      },
    };
  }

  private onSubscribed(connection: SimConnection, arg: Sub): void {
    if (arg.channel in DERIVATIVE_EVERY_MS && this.replay === undefined) {
      // The current value at once, then at the channel's pace.
      const contract = arg.channel === 'index-tickers' ? this.contractOfIndex(arg.instId) : arg.instId;
      const message = contract === undefined ? undefined : this.derivativeMessages(contract, Date.now())[arg.channel];
      if (message !== undefined) this.send(connection, message);
      return;
    }
    if (arg.channel !== 'books' && arg.channel !== 'books5') return;
    const now = Date.now();
    if (this.replay !== undefined) {
      if (arg.channel === 'books') this.sendBook(connection, arg, 'snapshot', this.replay.snapshot(arg.instId));
      return;
    }
    const market = this.market(arg.instId);
    if (arg.channel === 'books5') this.sendBook(connection, arg, undefined, books5(market.snapshot(now, 5)));
    else if (this.options.inBandSnapshot) this.sendBook(connection, arg, 'snapshot', market.snapshot(now));
  }

  /**
   * `burst`: `count` consecutive book updates to one connection at full socket speed (waiting
   * only while its own send buffer is full), as after a reconnect in a fast market. The market
   * moves for everyone: other connections on this book see a gap.
   */
  private async burst(c: SimConnection, instId: string, count: number): Promise<void> {
    const market = this.market(instId);
    for (let i = 0; i < count && c.socket.readyState === c.socket.OPEN; i += 1) {
      const book = market.resizeLevel(Date.now(), i);
      c.socket.send(JSON.stringify({ arg: { channel: 'books', instId }, action: 'update', data: [book] }));
      while (c.socket.bufferedAmount > 1 << 20 && c.socket.readyState === c.socket.OPEN) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // The book as it stands after the burst (recording every step would cost more than the burst).
    this.histories.get(instId)?.record(market.seqId, market);
    this.bursts += 1;
  }

  /** Bursts sent to the end. */
  bursts = 0;

  private sendBook(connection: SimConnection, arg: Sub, action: 'snapshot' | 'update' | undefined, data: object): void {
    this.send(connection, { arg: { channel: arg.channel, instId: arg.instId }, ...(action === undefined ? {} : { action }), data: [data] });
  }

  private market(instId: string): GeneratedMarket {
    let market = this.markets.get(instId);
    if (market === undefined) {
      const instrument = this.instruments.get(instId);
      if (instrument === undefined) throw new Error(`unknown instrument ${instId}`);
      market = new GeneratedMarket(instrument, this.options.seed + this.markets.size * 7919, this.options.checksum);
      this.markets.set(instId, market);
      if (this.options.trackBooks) {
        const history = new BookHistory();
        history.record(market.seqId, market);
        this.histories.set(instId, history);
      }
    }
    return market;
  }

  protected onTick(now: number, live: readonly SimConnection[]): void {
    for (const connection of live) {
      // OKX's idle rule: no subscription, or nothing pushed, for 30 s.
      if (now - connection.lastPushAt > this.options.idleTimeoutMs && now - connection.lastClientAt > this.options.idleTimeoutMs) {
        connection.socket.close(4004, 'No data received in 30s.');
      }
    }
    if (this.replay !== undefined) {
      for (const frame of this.replay.advance(now)) this.broadcast(live, `${frame.channel}:${frame.instId}`, (c) => this.send(c, frame.text));
      return;
    }
    const wanted = new Map<string, Set<string>>();
    for (const connection of live) {
      for (const sub of connection.subs.values()) {
        // An index moves with its contract's market: it does not tick a market of its own.
        const instId = sub.channel === 'index-tickers' ? this.contractOfIndex(sub.instId) : sub.instId;
        if (instId === undefined) continue;
        const set = wanted.get(instId) ?? new Set<string>();
        set.add(sub.channel);
        wanted.set(instId, set);
      }
    }
    for (const [instId, channels] of wanted) this.tickInstrument(instId, channels, live, now);
  }

  private tickInstrument(instId: string, channels: Set<string>, live: readonly SimConnection[], now: number): void {
    const market = this.market(instId);
    const timeframes = [...channels].map((c) => /^candle(\d+[smHDWM])$/.exec(c)?.[1]).filter((t): t is string => t !== undefined);
    const { keepAliveEvery, resetEvery } = this.options;
    if (keepAliveEvery > 0 && this.ticks % keepAliveEvery === 0) {
      const keepAlive = market.keepAlive(now);
      this.broadcast(live, `books:${instId}`, (c) => this.sendBook(c, { channel: 'books', instId }, 'update', keepAlive));
      return;
    }
    const resetFor = live.some((c) => c.resetNext && c.subs.has(`books:${instId}`));
    const out = market.step(now, timeframes, resetFor || (resetEvery > 0 && this.ticks % resetEvery === 0));
    this.histories.get(instId)?.record(market.seqId, market);
    this.broadcast(live, `books:${instId}`, (c) => {
      c.resetNext = false;
      if (this.takeSkippedBook(c, instId)) return;
      if (c.corruptNext && (out.book.bids.length > 0 || out.book.asks.length > 0)) {
        c.corruptNext = false;
        const bids = out.book.bids.map((l) => [...l]);
        const asks = out.book.asks.map((l) => [...l]);
        const target = bids[0] ?? asks[0];
        if (target !== undefined) target[1] = `${target[1] === '0' ? '1' : target[1]}7`;
        this.sendBook(c, { channel: 'books', instId }, 'update', { ...out.book, bids, asks });
        return;
      }
      this.sendBook(c, { channel: 'books', instId }, 'update', out.book);
    });
    if (this.ticks % 2 === 0) {
      const five = books5(market.snapshot(now, 5));
      this.broadcast(live, `books5:${instId}`, (c) => this.sendBook(c, { channel: 'books5', instId }, undefined, five));
    }
    if (out.trades.length > 0) {
      const message = { arg: { channel: 'trades', instId }, data: out.trades };
      this.broadcast(live, `trades:${instId}`, (c) => this.send(c, message));
    }
    const ticker = { arg: { channel: 'tickers', instId }, data: [out.ticker] };
    this.broadcast(live, `tickers:${instId}`, (c) => this.send(c, ticker));
    const due = Object.entries(DERIVATIVE_EVERY_MS).filter(
      ([channel, every]) => channels.has(channel) && (this.ticks * this.options.tickMs) % every < this.options.tickMs,
    );
    if (due.length > 0) {
      const messages = this.derivativeMessages(instId, now);
      for (const [channel] of due) {
        const key = channel === 'index-tickers' ? `${channel}:${indexOf(instId)}` : `${channel}:${instId}`;
        const message = messages[channel];
        if (message !== undefined) this.broadcast(live, key, (c) => this.send(c, message));
      }
    }
    // Candles are pushed at most once per second.
    if ((this.ticks * this.options.tickMs) % 1000 < this.options.tickMs) {
      for (const [timeframe, rows] of market.candleRows(now, timeframes)) {
        const message = { arg: { channel: `candle${timeframe}`, instId }, data: rows };
        this.broadcast(live, `candle${timeframe}:${instId}`, (c) => this.send(c, message));
      }
    }
  }

  // ----- REST -----

  protected onRest(req: http.IncomingMessage, url: URL, reply: (status: number, body: object) => void): void {
    if (req.method !== 'GET') return reply(405, { code: '50000', msg: 'method not allowed', data: [] });
    if (url.pathname === '/api/v5/market/books') {
      const instId = url.searchParams.get('instId') ?? '';
      const size = Math.min(400, Number(url.searchParams.get('sz') ?? '1'));
      if (!this.instruments.has(instId)) return reply(200, { code: '51001', msg: "Instrument ID doesn't exist.", data: [] });
      const snap = this.replay !== undefined ? this.replay.snapshot(instId) : this.market(instId).snapshot(Date.now(), size);
      const { bids, asks, ts, seqId } = snap as { bids: unknown; asks: unknown; ts: string; seqId?: number };
      return reply(200, { code: '0', msg: '', data: [{ asks, bids, ts, ...(seqId === undefined ? {} : { seqId }) }] });
    }
    if (url.pathname === '/api/v5/market/candles') {
      const instId = url.searchParams.get('instId') ?? '';
      const bar = url.searchParams.get('bar') ?? '1m';
      const limit = Math.min(300, Number(url.searchParams.get('limit') ?? '100'));
      if (!this.instruments.has(instId) || this.replay !== undefined) return reply(200, { code: '51001', msg: "Instrument ID doesn't exist.", data: [] });
      return reply(200, { code: '0', msg: '', data: this.market(instId).history(bar, limit, Date.now()) });
    }
    if (url.pathname === '/api/v5/public/instruments') {
      const instType = url.searchParams.get('instType');
      const rows = [...this.instruments.values()]
        .filter((i) => i.instType === instType)
        .map((i) => {
          const [base = '', quote = ''] = i.instId.split('-');
          return {
            instType: i.instType,
            instId: i.instId,
            baseCcy: i.instType === 'SPOT' ? base : '',
            quoteCcy: i.instType === 'SPOT' ? quote : '',
            settleCcy: i.instType === 'SPOT' ? '' : quote,
            ctVal: i.instType === 'SPOT' ? '' : '0.01',
            ctValCcy: i.instType === 'SPOT' ? '' : base,
            tickSz: i.tickSz,
            lotSz: i.lotSz,
            minSz: i.lotSz,
            state: 'live',
            instFamily: i.instType === 'SPOT' ? '' : `${base}-${quote}`,
          };
        });
      return reply(200, { code: '0', msg: '', data: rows });
    }
    return reply(404, { code: '404', msg: 'not found', data: [] });
  }
}

function books5(snapshot: { asks: unknown[]; bids: unknown[]; ts: string; seqId: number }): object {
  return { asks: snapshot.asks, bids: snapshot.bids, ts: snapshot.ts, seqId: snapshot.seqId };
}
