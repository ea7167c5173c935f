import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExchangeConnectionError } from '../../../app/core/errors.js';
import { ExchangeWebSocketClient, type WsClientOptions } from '../../../app/core/ws-client.js';
import { countResources, expectNoLeakedHandles, noLeakedHandles } from '../../support/handles.js';
import { LoopbackServer, waitFor } from '../../support/loopback-server.js';

interface Arg {
  readonly channel: string;
  readonly instId: string;
}

let server: LoopbackServer;
const clients: ExchangeWebSocketClient<Arg>[] = [];

function makeClient(overrides: Partial<WsClientOptions<Arg>> = {}): { client: ExchangeWebSocketClient<Arg>; messages: string[] } {
  const messages: string[] = [];
  const client = new ExchangeWebSocketClient<Arg>({
    url: server.url,
    name: 'test/public',
    subscriptions: {
      key: (arg) => `${arg.channel}:${arg.instId}`,
      encode: (op, args) => [JSON.stringify({ op, args })],
    },
    keepAlive: { kind: 'text', ping: 'ping', pong: 'pong', idleMs: 150, timeoutMs: 150 },
    backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 },
    maxReconnectAttempts: 10,
    onMessage: (text) => messages.push(text),
    ...overrides,
  });
  clients.push(client);
  return { client, messages };
}

function answerPings(): void {
  server.handle((text, connection) => {
    if (text === 'ping') connection.socket.send('pong');
  });
}

beforeEach(async () => {
  server = await LoopbackServer.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await server.close();
});

describe('ExchangeWebSocketClient', () => {
  it('delivers frames in order', async () => {
    server.onConnection((connection) => {
      for (let i = 0; i < 100; i += 1) connection.socket.send(JSON.stringify({ i }));
    });
    const { client, messages } = makeClient();
    await client.connect();
    await waitFor(() => messages.length === 100, '100 frames');
    expect(messages.map((m) => (JSON.parse(m) as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('reconnects after the server closes it, with growing delays', async () => {
    // The server drops every connection as soon as it opens.
    server.onConnection((connection) => connection.socket.close(1011, 'internal error'));
    const { client } = makeClient();
    const delays: number[] = [];
    const reasons: string[] = [];
    client.on('reconnecting', ({ delayMs, reason }) => {
      delays.push(delayMs);
      reasons.push(reason);
    });
    await client.connect();
    await waitFor(() => delays.length >= 4, 'four reconnects');
    expect(delays.slice(0, 4)).toEqual([50, 100, 200, 400]);
    expect(reasons[0]).toBe('closed by server (1011: internal error)');
    // The gaps between the server's accepted connections grow as well.
    const opened = server.connections.map((c) => c.openedAt);
    const gaps = opened.slice(1, 4).map((t, i) => t - (opened[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[2]).toBeGreaterThan(gaps[0] ?? Infinity);
  });

  it('resubscribes everything still subscribed after a reconnect', async () => {
    answerPings();
    const { client } = makeClient();
    await client.subscribe([
      { channel: 'books', instId: 'BTC-USDT' },
      { channel: 'trades', instId: 'BTC-USDT' },
    ]);
    await client.connect();
    await waitFor(() => server.latest().received.length === 1, 'first subscribe');
    expect(JSON.parse(server.latest().received[0] ?? '')).toEqual({
      op: 'subscribe',
      args: [
        { channel: 'books', instId: 'BTC-USDT' },
        { channel: 'trades', instId: 'BTC-USDT' },
      ],
    });
    await client.subscribe([{ channel: 'tickers', instId: 'ETH-USDT' }]);
    await client.unsubscribe([{ channel: 'trades', instId: 'BTC-USDT' }]);
    await waitFor(() => server.latest().received.length === 3, 'subscribe + unsubscribe');

    server.latest().socket.terminate();
    await waitFor(() => server.connections.length === 2 && server.latest().received.length === 1, 'resubscribe');
    expect(JSON.parse(server.latest().received[0] ?? '')).toEqual({
      op: 'subscribe',
      args: [
        { channel: 'books', instId: 'BTC-USDT' },
        { channel: 'tickers', instId: 'ETH-USDT' },
      ],
    });
    expect(client.stats().reconnects).toBe(1);
  });

  it('sends a text ping when idle, swallows the pong and keeps the connection', async () => {
    answerPings();
    const { client, messages } = makeClient();
    await client.connect();
    await waitFor(() => (server.latest().received.filter((t) => t === 'ping').length ?? 0) >= 3, 'three pings');
    expect(server.connections).toHaveLength(1);
    expect(messages).toEqual([]);
    expect(client.state).toBe('open');
  });

  it('does not ping while data flows', async () => {
    answerPings();
    let timer: NodeJS.Timeout | undefined;
    server.onConnection((connection) => {
      timer = setInterval(() => connection.socket.send('{"tick":1}'), 30);
    });
    // Data every 30 ms against a 2 s idle threshold: only a stall of seconds could justify a ping.
    const { client, messages } = makeClient({ keepAlive: { kind: 'text', ping: 'ping', pong: 'pong', idleMs: 2000, timeoutMs: 2000 } });
    await client.connect();
    await waitFor(() => messages.length >= 20, 'ticks');
    clearInterval(timer);
    expect(server.latest().received).not.toContain('ping');
  });

  it('reconnects when the keep-alive goes unanswered (a stalled server)', async () => {
    server.handle(() => undefined); // never answers
    const { client } = makeClient();
    const reasons: string[] = [];
    client.on('reconnecting', ({ reason }) => reasons.push(reason));
    await client.connect();
    await waitFor(() => reasons.length >= 1, 'keep-alive timeout');
    expect(reasons[0]).toBe('no reply to keep-alive within 150 ms');
    await waitFor(() => server.connections.length >= 2, 'new connection');
  });

  it('gives up after the allowed attempts, loudly', async () => {
    const url = server.url;
    await server.close();
    server = await LoopbackServer.start(); // a live server elsewhere, so afterEach can close it
    const { client } = makeClient({ url, maxReconnectAttempts: 3, backoff: { initialMs: 10, maxMs: 40, factor: 2, jitter: 0 } });
    const gaveUp: Error[] = [];
    client.on('giveUp', (error) => gaveUp.push(error));
    const closes: boolean[] = [];
    client.on('close', ({ willReconnect }) => closes.push(willReconnect));
    const attempt = client.connect();
    await expect(attempt).rejects.toBeInstanceOf(ExchangeConnectionError);
    await expect(attempt).rejects.toThrow(/gave up after 3 failed reconnect attempts \(last: connection refused/);
    expect(gaveUp).toHaveLength(1);
    expect(closes).toEqual([true, true, true, false]);
    expect(client.state).toBe('failed');
  });

  it('honours a fatal close code without reconnecting', async () => {
    server.onConnection((connection) => connection.socket.close(4001, 'login failed'));
    const { client } = makeClient({
      classifyClose: (code, reason) => (code === 4001 ? { action: 'fatal', reason: `login failed (${reason})` } : { action: 'reconnect', reason }),
    });
    const gaveUp: Error[] = [];
    client.on('giveUp', (error) => gaveUp.push(error));
    await client.connect();
    await waitFor(() => gaveUp.length === 1, 'give up');
    expect(gaveUp[0]?.message).toBe('test/public: login failed (login failed)');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.connections).toHaveLength(1);
  });

  it('reconnects at once when asked (service-upgrade notice)', async () => {
    answerPings();
    const { client } = makeClient({ backoff: { initialMs: 5000, maxMs: 5000, factor: 2, jitter: 0 } });
    const delays: number[] = [];
    client.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    await client.connect();
    client.reconnect('notice 64008: service upgrade');
    await waitFor(() => server.connections.length === 2 && client.state === 'open', 'second connection');
    // At once: the reconnect was scheduled with no backoff delay.
    expect(delays).toEqual([0]);
  });

  it('keeps a bounded inbound queue under a slow consumer and counts what it drops (the last resort, when one socket read holds more than the queue)', async () => {
    const sent = 3000;
    server.onConnection((connection) => {
      for (let i = 0; i < sent; i += 1) connection.socket.send(`{"i":${i}}`);
    });
    let handled = 0;
    let maxDepth = 0;
    const { client } = makeClient({
      queueCapacity: 200,
      maxBatchPerTick: 20,
      onMessage: () => {
        handled += 1;
        maxDepth = Math.max(maxDepth, client.stats().queueDepth);
        const until = Date.now() + 0.2;
        while (Date.now() < until) {
          // a slow parser
        }
      },
    });
    await client.connect();
    await waitFor(() => client.stats().framesReceived === sent && client.stats().queueDepth === 0, 'all frames');
    const stats = client.stats();
    expect(maxDepth).toBeLessThanOrEqual(200);
    // 3,000 tiny frames arrive in one read, far more than a 200-frame queue: reading pauses, but
    // what was already read can only be dropped, and is counted.
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(handled + stats.dropped).toBe(sent);
  });

  it('leaves no timers or sockets behind after close', async () => {
    answerPings();
    const baseline = countResources();
    const { client } = makeClient();
    await client.subscribe([{ channel: 'books', instId: 'BTC-USDT' }]);
    await client.connect();
    await waitFor(() => server.latest().received.length >= 1, 'subscribe');
    expect(countResources().TCPSocketWrap ?? 0).toBeGreaterThan(baseline.TCPSocketWrap ?? 0);
    await client.close();
    await waitFor(() => server.openSockets() === 0, 'server side closed');
    // Sockets and timers are released asynchronously once closed.
    await waitFor(() => noLeakedHandles(baseline), 'every handle released');
    expectNoLeakedHandles(baseline);
    expect(client.state).toBe('closed');
  });
});
