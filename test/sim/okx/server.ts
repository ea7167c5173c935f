// The loopback OKX simulator: an HTTP server on 127.0.0.1 that speaks OKX v5 —
// WebSocket `/ws/v5/public` and `/ws/v5/business`, REST `/api/v5/market/books` and
// `/api/v5/public/instruments` — fed by a generated market (2026 mode: checksum 0, seqId
// chain, keep-alives, resets, optionally no in-band snapshot) or by replaying the real 2022
// capture. Faults can be injected per connection: drop, stall, corrupt, gap, malformed,
// slow-reader flood, service-upgrade notice. Control over HTTP: `POST /sim/fault?kind=…`.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { GeneratedMarket, type SimInstrument } from '../core/market.js';
import { ReplayFeed } from './replay.js';

export type FaultKind =
  | 'throttle' | 'outage' | 'drop' | 'stall' | 'resume' | 'corrupt' | 'gap' | 'malformed' | 'flood' | 'notice' | 'reset' | 'keepalive'
  /** Stop pushing one channel of an instrument on this connection until it is unsubscribed (a silently dead subscription). */
  | 'mute'
  /** Leave the next unsubscribe requests unanswered (no ack, nothing done). */
  | 'ignore-unsubscribe'
  /** Send a binary frame. */
  | 'binary';

export interface FaultOptions {
  /** `mute`: the channel to silence (default `books`). */
  readonly channel?: string;
  /** `throttle`: which requests to refuse with 60014 (default `subscribe`). */
  readonly op?: 'subscribe' | 'unsubscribe';
  /** `throttle`, `ignore-unsubscribe`: how many requests (default 1). */
  readonly count?: number;
}

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

const PUBLIC_CHANNELS = new Set(['tickers', 'trades', 'books', 'books5', 'bbo-tbt', 'books-l2-tbt', 'books50-l2-tbt']);

interface Sub {
  readonly channel: string;
  readonly instId: string;
}

export interface SimConnection {
  readonly id: string;
  readonly endpoint: 'public' | 'business';
  readonly socket: WebSocket;
  readonly subs: Map<string, Sub>;
  readonly received: string[];
  stalled: boolean;
  corruptNext: boolean;
  skipNext: boolean;
  resetNext: boolean;
  /** `channel:instId` keys whose pushes are withheld. */
  readonly muted: Set<string>;
  ignoreUnsubscribes: number;
  lastPushAt: number;
  lastClientAt: number;
}

export class OkxSimulator {
  readonly connections: SimConnection[] = [];
  private readonly http: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly options: Required<Omit<SimulatorOptions, 'port'>>;
  private readonly markets = new Map<string, GeneratedMarket>();
  private readonly replay: ReplayFeed | undefined;
  private readonly instruments: Map<string, SimInstrument>;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  /** Until this time new connections are refused (an exchange outage). */
  private downUntil = 0;
  /** Requests still to be refused with 60014 (too frequent), per op. */
  private readonly throttled = { subscribe: 0, unsubscribe: 0 };
  private nextConnId = 1;

  private constructor(options: SimulatorOptions) {
    this.options = {
      mode: options.mode ?? 'generated',
      checksum: options.checksum ?? 'zero',
      inBandSnapshot: options.inBandSnapshot ?? true,
      tickMs: options.tickMs ?? 100,
      keepAliveEvery: options.keepAliveEvery ?? 0,
      resetEvery: options.resetEvery ?? 0,
      replaySpeed: options.replaySpeed ?? 1,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      instruments: options.instruments ?? DEFAULT_INSTRUMENTS,
      seed: options.seed ?? 7,
    };
    this.replay = this.options.mode === 'replay' ? new ReplayFeed(this.options.replaySpeed) : undefined;
    const list = this.replay?.instruments() ?? this.options.instruments;
    this.instruments = new Map(list.map((i) => [i.instId, i]));
    this.http = http.createServer((req, res) => this.onHttp(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const endpoint = path === '/ws/v5/public' ? 'public' : path === '/ws/v5/business' ? 'business' : undefined;
      if (endpoint === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      if (Date.now() < this.downUntil) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, endpoint));
    });
  }

  static async start(options: SimulatorOptions = {}): Promise<OkxSimulator> {
    const sim = new OkxSimulator(options);
    sim.http.listen(options.port ?? 0, '127.0.0.1');
    await once(sim.http, 'listening');
    sim.timer = setInterval(() => sim.tick(), sim.options.tickMs);
    return sim;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Base for `customParams.wsUrl` (the collector appends `/public` and `/business`). */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws/v5`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open connections, optionally only those subscribed to `instId`. */
  open(instId?: string): SimConnection[] {
    return this.connections.filter(
      (c) => c.socket.readyState === c.socket.OPEN && (instId === undefined || [...c.subs.values()].some((s) => s.instId === instId)),
    );
  }

  /** Drops every connection and refuses new ones for `ms`. */
  outage(ms: number): number {
    this.downUntil = Date.now() + ms;
    return this.inject('drop');
  }

  /** Applies a fault to every open connection (subscribed to `instId`, when given). Returns how many. */
  inject(kind: FaultKind, instId?: string, options: FaultOptions = {}): number {
    if (kind === 'outage') return this.outage(3000);
    if (kind === 'throttle') {
      this.throttled[options.op ?? 'subscribe'] += options.count ?? 1;
      return 0;
    }
    const targets = this.open(instId);
    for (const connection of targets) this.applyFault(connection, kind, instId, options);
    return targets.length;
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ----- WebSocket -----

  private onConnection(socket: WebSocket, endpoint: 'public' | 'business'): void {
    const now = Date.now();
    const connection: SimConnection = {
      id: (this.nextConnId++).toString(16).padStart(8, '0'),
      endpoint,
      socket,
      subs: new Map(),
      received: [],
      stalled: false,
      corruptNext: false,
      skipNext: false,
      resetNext: false,
      muted: new Set(),
      ignoreUnsubscribes: 0,
      lastPushAt: now,
      lastClientAt: now,
    };
    this.connections.push(connection);
    if (this.connections.length > 1000) this.connections.splice(0, this.connections.length - 1000);
    socket.on('message', (data) => {
      const text = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      this.onClientFrame(connection, text.toString('utf8'));
    });
    socket.on('error', () => undefined);
  }

  private onClientFrame(connection: SimConnection, text: string): void {
    connection.received.push(text);
    if (connection.received.length > 500) connection.received.shift();
    connection.lastClientAt = Date.now();
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
    if (this.throttled[request.op] > 0) {
      this.throttled[request.op] -= 1;
      this.send(connection, { ...id, event: 'error', code: '60014', msg: 'Requests too frequent.', connId: connection.id });
      return;
    }
    if (request.op === 'unsubscribe' && connection.ignoreUnsubscribes > 0) {
      connection.ignoreUnsubscribes -= 1;
      return;
    }
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
    if (!this.instruments.has(arg.instId)) {
      return { code: '60018', msg: `Wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist` };
    }
    return undefined;
  }

  private onSubscribed(connection: SimConnection, arg: Sub): void {
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

  private sendBook(connection: SimConnection, arg: Sub, action: 'snapshot' | 'update' | undefined, data: object): void {
    this.send(connection, { arg: { channel: arg.channel, instId: arg.instId }, ...(action === undefined ? {} : { action }), data: [data] });
  }

  private send(connection: SimConnection, message: object | string): void {
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      // OKX: "server write buffer full" — a client that reads too slowly is cut off.
      socket.close(4005, 'write buffer full');
      return;
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    if (typeof message !== 'string' && 'data' in message) connection.lastPushAt = Date.now();
  }

  // ----- feed -----

  private market(instId: string): GeneratedMarket {
    let market = this.markets.get(instId);
    if (market === undefined) {
      const instrument = this.instruments.get(instId);
      if (instrument === undefined) throw new Error(`unknown instrument ${instId}`);
      market = new GeneratedMarket(instrument, this.options.seed + this.markets.size * 7919, this.options.checksum);
      this.markets.set(instId, market);
    }
    return market;
  }

  private tick(): void {
    const now = Date.now();
    this.ticks += 1;
    const live = this.connections.filter((c) => c.socket.readyState === c.socket.OPEN);
    for (const connection of live) {
      // OKX's idle rule: no subscription, or nothing pushed, for 30 s.
      if (now - connection.lastPushAt > this.options.idleTimeoutMs && now - connection.lastClientAt > this.options.idleTimeoutMs) {
        connection.socket.close(4004, 'No data received in 30s.');
      }
    }
    if (this.replay !== undefined) {
      for (const frame of this.replay.advance(now)) this.broadcast(live, frame.channel, frame.instId, (c) => this.send(c, frame.text));
      return;
    }
    const wanted = new Map<string, Set<string>>();
    for (const connection of live) {
      for (const sub of connection.subs.values()) {
        const set = wanted.get(sub.instId) ?? new Set<string>();
        set.add(sub.channel);
        wanted.set(sub.instId, set);
      }
    }
    for (const [instId, channels] of wanted) this.tickInstrument(instId, channels, live, now);
  }

  private tickInstrument(instId: string, channels: Set<string>, live: SimConnection[], now: number): void {
    const market = this.market(instId);
    const timeframes = [...channels].map((c) => /^candle(\d+[smHDWM])$/.exec(c)?.[1]).filter((t): t is string => t !== undefined);
    const { keepAliveEvery, resetEvery } = this.options;
    if (keepAliveEvery > 0 && this.ticks % keepAliveEvery === 0) {
      const keepAlive = market.keepAlive(now);
      this.broadcast(live, 'books', instId, (c) => this.sendBook(c, { channel: 'books', instId }, 'update', keepAlive));
      return;
    }
    const resetFor = live.some((c) => c.resetNext && c.subs.has(`books:${instId}`));
    const out = market.step(now, timeframes, resetFor || (resetEvery > 0 && this.ticks % resetEvery === 0));
    this.broadcast(live, 'books', instId, (c) => {
      c.resetNext = false;
      if (c.skipNext) {
        c.skipNext = false;
        return;
      }
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
      this.broadcast(live, 'books5', instId, (c) => this.sendBook(c, { channel: 'books5', instId }, undefined, five));
    }
    if (out.trades.length > 0) {
      const message = { arg: { channel: 'trades', instId }, data: out.trades };
      this.broadcast(live, 'trades', instId, (c) => this.send(c, message));
    }
    const ticker = { arg: { channel: 'tickers', instId }, data: [out.ticker] };
    this.broadcast(live, 'tickers', instId, (c) => this.send(c, ticker));
    // Candles are pushed at most once per second.
    if ((this.ticks * this.options.tickMs) % 1000 < this.options.tickMs) {
      for (const [timeframe, rows] of market.candleRows(now, timeframes)) {
        const message = { arg: { channel: `candle${timeframe}`, instId }, data: rows };
        this.broadcast(live, `candle${timeframe}`, instId, (c) => this.send(c, message));
      }
    }
  }

  private broadcast(live: SimConnection[], channel: string, instId: string, send: (c: SimConnection) => void): void {
    const key = `${channel}:${instId}`;
    for (const connection of live) if (!connection.stalled && connection.subs.has(key) && !connection.muted.has(key)) send(connection);
  }

  private applyFault(connection: SimConnection, kind: FaultKind, instId: string | undefined, options: FaultOptions): void {
    switch (kind) {
      case 'throttle':
      case 'outage':
      case 'drop':
        connection.socket.terminate();
        return;
      case 'stall':
        connection.stalled = true;
        return;
      case 'resume':
        connection.stalled = false;
        return;
      case 'corrupt':
        connection.corruptNext = true;
        return;
      case 'gap':
        connection.skipNext = true;
        return;
      case 'reset':
        connection.resetNext = true;
        return;
      case 'malformed':
        connection.socket.send(`{"arg":{"channel":"books","instId":"${instId ?? 'BTC-USDT'}"},"action":"update","data":[{"asks":[["1`);
        return;
      case 'keepalive': {
        const target = instId ?? [...connection.subs.values()].find((s) => s.channel === 'books')?.instId;
        if (target !== undefined && this.replay === undefined) {
          this.sendBook(connection, { channel: 'books', instId: target }, 'update', this.market(target).keepAlive(Date.now()));
        }
        return;
      }
      case 'mute': {
        const channel = options.channel ?? 'books';
        for (const sub of connection.subs.values()) {
          if (sub.channel === channel && (instId === undefined || sub.instId === instId)) connection.muted.add(`${sub.channel}:${sub.instId}`);
        }
        return;
      }
      case 'ignore-unsubscribe':
        connection.ignoreUnsubscribes += options.count ?? 1;
        return;
      case 'binary':
        connection.socket.send(Buffer.from([0x7b, 0x7d]), { binary: true });
        return;
      case 'notice':
        this.send(connection, { event: 'notice', code: '64008', msg: 'The connection will soon be closed for a service upgrade. Please reconnect.', connId: connection.id });
        setTimeout(() => connection.socket.close(1012, 'service upgrade'), 500).unref();
        return;
      case 'flood': {
        // A burst far beyond what a reader keeps up with: tickers for every subscribed instrument.
        const subs = [...connection.subs.values()].filter((s) => s.channel === 'tickers');
        for (let i = 0; i < 30_000 && connection.socket.readyState === connection.socket.OPEN; i += 1) {
          for (const sub of subs) this.send(connection, { arg: { channel: 'tickers', instId: sub.instId }, data: [this.market(sub.instId).ticker(Date.now())] });
        }
        return;
      }
    }
  }

  // ----- REST -----

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (status: number, body: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/sim/fault') {
      const kind = url.searchParams.get('kind') as FaultKind | null;
      const instId = url.searchParams.get('instId') ?? undefined;
      if (kind === null) return reply(400, { error: 'kind is required' });
      if (kind === 'outage') return reply(200, { applied: this.outage(Number(url.searchParams.get('ms') ?? '3000')) });
      const channel = url.searchParams.get('channel') ?? undefined;
      const op = url.searchParams.get('op');
      const count = url.searchParams.get('count');
      return reply(200, {
        applied: this.inject(kind, instId, {
          ...(channel === undefined ? {} : { channel }),
          ...(op === 'subscribe' || op === 'unsubscribe' ? { op } : {}),
          ...(count === null ? {} : { count: Number(count) }),
        }),
      });
    }
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
            instType: i.instType, instId: i.instId, baseCcy: i.instType === 'SPOT' ? base : '', quoteCcy: i.instType === 'SPOT' ? quote : '',
            settleCcy: i.instType === 'SPOT' ? '' : quote, ctVal: i.instType === 'SPOT' ? '' : '0.01', ctValCcy: i.instType === 'SPOT' ? '' : base,
            tickSz: i.tickSz, lotSz: i.lotSz, minSz: i.lotSz, state: 'live', instFamily: i.instType === 'SPOT' ? '' : `${base}-${quote}`,
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
