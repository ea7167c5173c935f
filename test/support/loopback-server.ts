// A real `ws` server on 127.0.0.1 for tests: records every connection and frame it receives,
// and lets a test script its replies.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ServerConnection {
  readonly socket: WebSocket;
  readonly received: string[];
  readonly openedAt: number;
}

export class LoopbackServer {
  readonly connections: ServerConnection[] = [];
  private readonly server: WebSocketServer;
  private onText: (text: string, connection: ServerConnection) => void = () => undefined;
  private onConnect: (connection: ServerConnection) => void = () => undefined;

  private constructor(server: WebSocketServer) {
    this.server = server;
    server.on('connection', (socket) => {
      const connection: ServerConnection = { socket, received: [], openedAt: Date.now() };
      this.connections.push(connection);
      socket.on('message', (data) => {
        const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
        connection.received.push(text);
        this.onText(text, connection);
      });
      this.onConnect(connection);
    });
  }

  static start(): Promise<LoopbackServer> {
    return LoopbackServer.startOn(0);
  }

  /** Listens on a given port (0 = any), e.g. to bring a "lost" exchange back where it was. */
  static async startOn(port: number): Promise<LoopbackServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await once(server, 'listening');
    return new LoopbackServer(server);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}`;
  }

  /** Replies to frames; `ping` → `pong` unless the handler says otherwise. */
  handle(handler: (text: string, connection: ServerConnection) => void): void {
    this.onText = handler;
  }

  onConnection(handler: (connection: ServerConnection) => void): void {
    this.onConnect = handler;
  }

  latest(): ServerConnection {
    const last = this.connections.at(-1);
    if (last === undefined) throw new Error('no connection yet');
    return last;
  }

  openSockets(): number {
    return this.connections.filter((c) => c.socket.readyState === c.socket.OPEN).length;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

const GIVE_UP_MS = 300_000;

/**
 * Polls `predicate` until it holds. There is no guessed deadline: the condition is the event
 * waited for, and the test's own timeout is the only bound (a loaded machine is slow, not
 * wrong). The failure names what was awaited.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    // Only so a test that already timed out stops polling; far beyond any test's timeout.
    if (Date.now() - started > GIVE_UP_MS) throw new Error(`gave up waiting for ${what} after ${GIVE_UP_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
