// Serve mode: one Node process serves the built renderer over HTTP and the contract over a
// WebSocket (`/api`). It binds 127.0.0.1 by default; binding anything else requires a token.
// Without a token, only the loopback names of our own port are accepted as Host
// (127.0.0.1:PORT, localhost:PORT, [::1]:PORT) on every request, which defeats DNS
// rebinding; with a token, every WebSocket and download must present it (compared in
// constant time). Cross-origin WebSocket upgrades are refused, sessions are capped, commands
// are size- and rate-limited per connection, and a slow browser gets coalesced frames.

import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { getLogger } from '../../app/core/logger.js';
import { RateLimiter } from '../../app/core/rate-limiter.js';
import type { MarketHost } from '../../app/host/market-host.js';
import { MAX_COMMAND_BYTES, type WsMessage } from '../contract.js';
import { wsRequestSchema } from '../contract-schemas.js';
import { HostSession } from '../host-session.js';
import { CONTENT_SECURITY_POLICY } from '../security.js';

const log = getLogger('serve');

/** Frames wait while this many bytes are still unsent to a browser. */
const BUSY_BYTES = 256 * 1024;
/** Anything larger closes the socket (1009) before it is even read. */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Browser tabs connected at once. */
export const MAX_SESSIONS = 16;

export interface ServeOptions {
  readonly host: MarketHost;
  /** Built renderer (index.html and assets). */
  readonly staticDir: string;
  readonly port?: number;
  readonly bindAddress?: string;
  /** Required when binding a non-loopback address. */
  readonly token?: string;
}

export interface ServeServer {
  readonly url: string;
  readonly port: number;
  readonly sessions: () => number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** The Host values a tokenless server accepts: the loopback names of its own port. */
export function loopbackHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** The request's path and query, or undefined when the URL cannot be read (a 400). */
function parseRequestUrl(raw: string | undefined): URL | undefined {
  try {
    const url = new URL(raw ?? '/', 'http://localhost');
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

export async function startServeServer(options: ServeOptions): Promise<ServeServer> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  if (!isLoopback(bindAddress) && (options.token === undefined || options.token.length < 16)) {
    throw new Error(`binding ${bindAddress} exposes the app beyond this machine: pass --token with at least 16 characters`);
  }
  const staticDir = path.resolve(options.staticDir);
  const token = options.token;
  let allowedHosts: ReadonlySet<string> = new Set();
  /** Without a token only our own loopback names may be the Host (no DNS rebinding). */
  const hostAllowed = (host: string | undefined): boolean => token !== undefined || (host !== undefined && allowedHosts.has(host.toLowerCase()));
  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host)) {
      res
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end('This address is not allowed: open the app through 127.0.0.1, localhost or [::1].\n');
      return;
    }
    const url = parseRequestUrl(req.url);
    if (url === undefined) {
      res.writeHead(400).end();
      return;
    }
    const handler = url.pathname.startsWith('/exports/') ? serveExport(options, url, req, res) : serveStatic(staticDir, url, req, res);
    handler.catch((error: unknown) => {
      log.error({ err: String(error) }, 'static file failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sessions = new Set<HostSession>();

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    if (!hostAllowed(req.headers.host)) return refuse('403 Forbidden');
    const url = parseRequestUrl(req.url);
    if (url === undefined) return refuse('400 Bad Request');
    if (url.pathname !== '/api') return refuse('404 Not Found');
    // A page from another site must not drive the host through the user's browser.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return refuse('403 Forbidden');
    if (token !== undefined && !sameSecret(url.searchParams.get('token'), token)) return refuse('401 Unauthorized');
    if (sessions.size >= MAX_SESSIONS) return refuse('503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    const send = (message: WsMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const session = new HostSession(
      options.host,
      {
        emit: (event, payload) => send({ kind: 'event', event, payload } as WsMessage),
        busy: () => ws.bufferedAmount > BUSY_BYTES,
      },
      {
        downloadUrl: (name) => `/exports/${encodeURIComponent(name)}${options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`}`,
      },
    );
    sessions.add(session);
    const limiter = new RateLimiter({ capacity: 100, tokensPerInterval: 50, intervalMs: 1000, name: 'commands' });
    ws.on('message', (data: Buffer, isBinary) => {
      handle(data, isBinary).catch((error: unknown) => log.error({ err: String(error) }, 'command handling failed'));
    });
    async function handle(data: Buffer, isBinary: boolean): Promise<void> {
      // Frames are already capped at MAX_FRAME_BYTES by the socket, so reading the envelope is
      // bounded; an oversize command is then refused under its own id, so the caller hears why.
      let request;
      try {
        if (isBinary) throw new Error('binary');
        request = wsRequestSchema.parse(JSON.parse(data.toString('utf8')));
      } catch {
        send({ kind: 'result', id: null, result: { ok: false, error: { code: 'bad_request', message: 'not a valid command envelope', details: [] } } });
        return;
      }
      if (data.length > MAX_COMMAND_BYTES) {
        send({
          kind: 'result',
          id: request.id,
          result: { ok: false, error: { code: 'bad_request', message: `commands must be at most ${MAX_COMMAND_BYTES} bytes`, details: [] } },
        });
        return;
      }
      if (!limiter.tryAcquire()) {
        send({ kind: 'result', id: request.id, result: { ok: false, error: { code: 'limit', message: 'too many commands; slow down', details: [] } } });
        return;
      }
      const result = await session.call(request.command, request.input);
      send({ kind: 'result', id: request.id, result });
    }
    ws.on('close', () => {
      session.close();
      sessions.delete(session);
      limiter.dispose();
    });
    ws.on('error', () => undefined);
  }

  const wanted = options.port ?? 0;
  server.listen(wanted, bindAddress);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `port ${wanted} is already in use (another Ticker Deck?). Pick another one with --port, e.g. \`npm run serve -- --port ${wanted + 1}\` or \`npm start -- --port ${wanted + 1}\``,
        { cause: error },
      );
    }
    if (code === 'EACCES') throw new Error(`port ${wanted} needs special rights on this system; pick one above 1024 with --port`, { cause: error });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  allowedHosts = loopbackHosts(port);
  const shownHost = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
  const url = `http://${shownHost}:${port}/${options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`}`;
  log.info({ url: url.replace(/token=[^&]+/, 'token=…') }, 'serving the UI');
  return {
    url,
    port,
    sessions: () => sessions.size,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      for (const session of sessions) session.close();
      sessions.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A file the host exported for this browser: GET or HEAD, only names inside the exports folder, token-checked. */
async function serveExport(options: ServeOptions, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (options.token !== undefined && !sameSecret(url.searchParams.get('token'), options.token)) {
    res.writeHead(401).end();
    return;
  }
  const name = decodeURIComponent(url.pathname.slice('/exports/'.length));
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(name) || name.startsWith('.')) {
    res.writeHead(404).end();
    return;
  }
  const file = path.join(options.host.recordings.exportsDir, name);
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': info.size,
    'content-disposition': `attachment; filename="${name}"`,
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  pipeFile(file, res);
}

/** Streams a file; a read error ends the response instead of the process. */
function pipeFile(file: string, res: http.ServerResponse): void {
  const stream = createReadStream(file);
  stream.on('error', (error) => {
    log.warn({ file, err: error.message }, 'file could not be read');
    res.destroy();
  });
  stream.pipe(res);
}

async function serveStatic(root: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(url.pathname);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    if (pathname === '/' || pathname === '/index.html') {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The UI is not built yet: run `npm run build` (npm run serve does it for you).\n');
      return;
    }
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  pipeFile(file, res);
}
