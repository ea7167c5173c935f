// The simulator core's server: one HTTP server on 127.0.0.1 carrying a venue's WebSocket
// routes and its REST calls, the market tick, connection bookkeeping and the faults every venue
// shares. A venue's simulator extends it with its codec: how a client frame is answered, what a
// tick pushes, how its REST calls reply, and its own faults (OKX's service-upgrade notice,
// Binance's serverShutdown, …).
//
// Shared faults, applied to each open connection (subscribed to a symbol, when one is given):
//   drop                terminate the socket without a close frame
//   stall / resume      stop / restart pushing (pings are not answered while stalled)
//   gap                 withhold the symbol's next book update (a sequence gap)
//   mute                stop one stream (default: the book) until it is unsubscribed
//   ignore-unsubscribe  leave the next `count` unsubscribe requests unanswered and undone
//   throttle            refuse the next `count` requests with the venue's rate-limit error
//   outage              drop everything and refuse new connections for `ms`
//   malformed, binary   one truncated JSON frame / one binary frame
//   flood               a burst of tickers far beyond what a reader keeps up with
// A venue may also limit what clients send (`inboundLimit`) and ping them (`serverPing`),
// closing a connection that sends too much or answers too late.
// Control over HTTP: `POST /sim/fault?kind=…&symbol=…&stream=…&count=…&ms=…`.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type CommonFault = 'drop' | 'stall' | 'resume' | 'gap' | 'mute' | 'ignore-unsubscribe' | 'throttle' | 'outage' | 'malformed' | 'binary' | 'flood';

export interface FaultOptions {
  /** `mute`: the stream (channel) to silence; the venue's book stream by default. */
  readonly stream?: string;
  /** `throttle`: which requests to refuse (default `subscribe`). */
  readonly op?: 'subscribe' | 'unsubscribe';
  /** `throttle`, `ignore-unsubscribe`: how many requests (default 1). */
  readonly count?: number;
  /** `outage`: how long new connections are refused (default 3000). */
  readonly ms?: number;
}

export interface SimConnection<R extends string> {
  readonly id: string;
  /** Which of the venue's WebSocket routes it came in on. */
  readonly route: R;
  readonly socket: WebSocket;
  /** The client's last frames, newest last (bounded). */
  readonly received: string[];
  stalled: boolean;
  /** Symbols whose next book update is withheld (`*`: whichever comes first). */
  readonly skipBook: Set<string>;
  /** Stream keys whose pushes are withheld. */
  readonly muted: Set<string>;
  ignoreUnsubscribes: number;
  lastPushAt: number;
  lastClientAt: number;
  /** Pongs the client sent to the server's pings. */
  pongs: number;
  /** When the server's unanswered ping went out, if one is pending. */
  pingSentAt: number | null;
  /** Arrival times of the client's recent messages (text, ping, pong), for `inboundLimit`. */
  readonly inbound: number[];
}

export interface SimServerOptions<R extends string> {
  readonly tickMs: number;
  /** Unsent bytes beyond which a client is cut off as a slow reader. */
  readonly maxBufferedBytes: number;
  /** The close code and reason the venue uses for a slow reader. */
  readonly slowReaderClose: readonly [number, string];
  /** WebSocket path → route name. */
  readonly routes: Readonly<Record<string, R>>;
  /** The server pings every `intervalMs` and closes a connection whose pong is `timeoutMs` late (Binance does). */
  readonly serverPing?: { readonly intervalMs: number; readonly timeoutMs: number } | undefined;
  /** At most `messages` client messages (text frames, pings and pongs) per `windowMs`, or the venue closes the connection (Binance: 5 per second). */
  readonly inboundLimit?: { readonly messages: number; readonly windowMs: number } | undefined;
}

type Reply = (status: number, body: unknown) => void;

const MAX_CONNECTIONS_KEPT = 1000;
const MAX_FRAMES_KEPT = 500;

export abstract class SimServer<R extends string, C extends SimConnection<R>, F extends string = never> {
  readonly connections: C[] = [];
  /** Connections closed for sending more than `inboundLimit` allows. */
  inboundLimitCloses = 0;
  protected ticks = 0;
  protected readonly tickMs: number;
  /** Requests still to be refused as too frequent, per op. */
  protected readonly throttled = { subscribe: 0, unsubscribe: 0 };
  private readonly http: http.Server;
  // Pings are answered here, not by `ws`, so that a stalled connection answers none.
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly maxBufferedBytes: number;
  private readonly slowReaderClose: readonly [number, string];
  private readonly serverPing: SimServerOptions<R>['serverPing'];
  private readonly inboundLimit: SimServerOptions<R>['inboundLimit'];
  private pingTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  /** Until this time new connections are refused (a venue outage). */
  private downUntil = 0;

  protected constructor(options: SimServerOptions<R>) {
    this.tickMs = options.tickMs;
    this.maxBufferedBytes = options.maxBufferedBytes;
    this.slowReaderClose = options.slowReaderClose;
    this.serverPing = options.serverPing;
    this.inboundLimit = options.inboundLimit;
    this.http = http.createServer((req, res) => this.onHttp(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      const route = options.routes[new URL(req.url ?? '/', 'http://x').pathname];
      if (route === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      if (Date.now() < this.downUntil) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, route));
    });
  }

  /** Listens on 127.0.0.1 and starts the market tick. */
  protected async listen(port = 0): Promise<void> {
    this.http.listen(port, '127.0.0.1');
    await once(this.http, 'listening');
    this.timer = setInterval(() => {
      this.ticks += 1;
      this.onTick(Date.now(), this.live());
    }, this.tickMs);
    const ping = this.serverPing;
    if (ping !== undefined) this.pingTimer = setInterval(() => this.pingAll(ping.timeoutMs), ping.intervalMs);
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected get wsBase(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Open connections, optionally only those subscribed to `symbol`. */
  open(symbol?: string): C[] {
    return this.live().filter((c) => symbol === undefined || this.subscribedTo(c, symbol));
  }

  /** Drops every connection and refuses new ones for `ms`. */
  outage(ms: number): number {
    this.downUntil = Date.now() + ms;
    return this.inject('drop');
  }

  /** Applies a fault to every open connection (subscribed to `symbol`, when given). Returns how many. */
  inject(kind: CommonFault | F, symbol?: string, options: FaultOptions = {}): number {
    if (kind === 'outage') return this.outage(options.ms ?? 3000);
    if (kind === 'throttle') {
      this.throttled[options.op ?? 'subscribe'] += options.count ?? 1;
      return 0;
    }
    const targets = this.open(symbol);
    for (const c of targets) this.applyFault(c, kind, symbol, options);
    return targets.length;
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.timer = undefined;
    this.pingTimer = undefined;
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ----- for the venue codec -----

  /** Sends unless the client reads too slowly, which closes it the venue's way. */
  protected send(c: C, message: object | string): void {
    const socket = c.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.maxBufferedBytes) {
      socket.close(this.slowReaderClose[0], this.slowReaderClose[1]);
      return;
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    c.lastPushAt = Date.now();
  }

  /** Sends to every live connection that wants `key` and is neither stalled nor muted on it. */
  protected broadcast(live: readonly C[], key: string, send: (c: C) => void): void {
    for (const c of live) if (!c.stalled && this.wants(c, key) && !c.muted.has(key)) send(c);
  }

  /** True (and counted) when this request is to be refused as too frequent. */
  protected takeThrottle(op: 'subscribe' | 'unsubscribe'): boolean {
    if (this.throttled[op] <= 0) return false;
    this.throttled[op] -= 1;
    return true;
  }

  /** True (and counted) when this unsubscribe is to be ignored. */
  protected takeIgnoredUnsubscribe(c: C): boolean {
    if (c.ignoreUnsubscribes <= 0) return false;
    c.ignoreUnsubscribes -= 1;
    return true;
  }

  /** True (and reset) when this connection's next book update of `symbol` is to be withheld. */
  protected takeSkippedBook(c: C, symbol: string): boolean {
    return c.skipBook.delete(symbol) || c.skipBook.delete('*');
  }

  protected live(): C[] {
    return this.connections.filter((c) => c.socket.readyState === c.socket.OPEN);
  }

  protected abstract createConnection(base: SimConnection<R>): C;
  /** Answers one text frame of a client. */
  protected abstract onMessage(c: C, text: string): void;
  /** One market tick: what every live connection receives. */
  protected abstract onTick(now: number, live: readonly C[]): void;
  /** The venue's REST calls. */
  protected abstract onRest(req: http.IncomingMessage, url: URL, reply: Reply): void;
  protected abstract subscribedTo(c: C, symbol: string): boolean;
  /** Whether `c` is subscribed to the stream `key` (the venue's own stream naming). */
  protected abstract wants(c: C, key: string): boolean;
  /** The stream keys of `c` matched by a `mute` fault. */
  protected abstract muteKeys(c: C, symbol: string | undefined, stream: string | undefined): string[];
  protected abstract malformedFrame(symbol: string | undefined): string;
  /** One burst frame of `flood` for `c`, or none when it has nothing to flood with. */
  protected abstract floodFrames(c: C): string[];
  /** The venue's own faults. */
  protected abstract venueFault(c: C, kind: F, symbol: string | undefined, options: FaultOptions): void;

  // ----- internals -----

  private onConnection(socket: WebSocket, route: R): void {
    const now = Date.now();
    const base: SimConnection<R> = {
      id: (this.nextId++).toString(16).padStart(8, '0'),
      route,
      socket,
      received: [],
      stalled: false,
      skipBook: new Set(),
      muted: new Set(),
      ignoreUnsubscribes: 0,
      lastPushAt: now,
      lastClientAt: now,
      pongs: 0,
      pingSentAt: null,
      inbound: [],
    };
    const c = this.createConnection(base);
    this.connections.push(c);
    if (this.connections.length > MAX_CONNECTIONS_KEPT) this.connections.splice(0, this.connections.length - MAX_CONNECTIONS_KEPT);
    socket.on('message', (data) => {
      const text = (Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)])).toString('utf8');
      c.received.push(text);
      if (c.received.length > MAX_FRAMES_KEPT) c.received.shift();
      c.lastClientAt = Date.now();
      if (this.overLimit(c)) return;
      this.onMessage(c, text);
    });
    socket.on('ping', (data) => {
      if (this.overLimit(c)) return;
      if (!c.stalled && socket.readyState === socket.OPEN) socket.pong(data);
    });
    socket.on('pong', () => {
      c.pongs += 1;
      c.pingSentAt = null;
      this.overLimit(c);
    });
    socket.on('error', () => undefined);
  }

  /** Counts one client message; closes the connection when it is one too many. */
  private overLimit(c: C): boolean {
    const limit = this.inboundLimit;
    if (limit === undefined) return false;
    const now = Date.now();
    c.inbound.push(now);
    while (c.inbound.length > 0 && (c.inbound[0] ?? now) <= now - limit.windowMs) c.inbound.shift();
    if (c.inbound.length <= limit.messages) return false;
    this.inboundLimitCloses += 1;
    c.socket.close(1008, 'Too many messages');
    return true;
  }

  private pingAll(timeoutMs: number): void {
    const now = Date.now();
    for (const c of this.live()) {
      if (c.pingSentAt !== null && now - c.pingSentAt > timeoutMs) {
        c.socket.close(1008, 'pong timeout');
        continue;
      }
      if (c.pingSentAt === null) {
        c.pingSentAt = now;
        c.socket.ping();
      }
    }
  }

  private applyFault(c: C, kind: CommonFault | F, symbol: string | undefined, options: FaultOptions): void {
    switch (kind) {
      case 'drop':
        c.socket.terminate();
        return;
      case 'stall':
        c.stalled = true;
        return;
      case 'resume':
        c.stalled = false;
        return;
      case 'gap':
        c.skipBook.add(symbol ?? '*');
        return;
      case 'mute':
        for (const key of this.muteKeys(c, symbol, options.stream)) c.muted.add(key);
        return;
      case 'ignore-unsubscribe':
        c.ignoreUnsubscribes += options.count ?? 1;
        return;
      case 'malformed':
        c.socket.send(this.malformedFrame(symbol));
        return;
      case 'binary':
        c.socket.send(Buffer.from([0x7b, 0x7d]), { binary: true });
        return;
      case 'flood': {
        const frames = this.floodFrames(c);
        for (let i = 0; i < 30_000 && frames.length > 0 && c.socket.readyState === c.socket.OPEN; i += 1) for (const frame of frames) this.send(c, frame);
        return;
      }
      case 'throttle':
      case 'outage':
        return;
      default:
        this.venueFault(c, kind, symbol, options);
    }
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply: Reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/sim/fault') {
      const kind = url.searchParams.get('kind') as CommonFault | F | null;
      if (kind === null) return reply(400, { error: 'kind is required' });
      const number = (name: string): number | undefined => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined);
      const stream = url.searchParams.get('stream') ?? url.searchParams.get('channel') ?? undefined;
      const op = url.searchParams.get('op');
      const count = number('count');
      const ms = number('ms');
      const options: FaultOptions = {
        ...(stream === undefined ? {} : { stream }),
        ...(op === 'subscribe' || op === 'unsubscribe' ? { op } : {}),
        ...(count === undefined ? {} : { count }),
        ...(ms === undefined ? {} : { ms }),
      };
      const symbol = url.searchParams.get('symbol') ?? url.searchParams.get('instId') ?? undefined;
      return reply(200, { applied: this.inject(kind, symbol, options) });
    }
    this.onRest(req, url, reply);
  }
}
