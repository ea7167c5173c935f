// Backpressure: a burst arriving faster than it is applied must wait in TCP, not be dropped.
// The server sends as fast as the socket accepts (it only waits when its own send buffer is
// full); the consumer is slower than the wire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ExchangeWebSocketClient, type WsClientOptions } from '../../../app/core/ws-client.js';
import { LoopbackServer, waitFor } from '../../support/loopback-server.js';

let server: LoopbackServer;
const clients: ExchangeWebSocketClient<string>[] = [];

beforeEach(async () => {
  server = await LoopbackServer.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await server.close();
});

/** Sends `count` numbered frames at full socket speed. */
async function burst(socket: WebSocket, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    socket.send(`{"i":${i},"b":[["64000.1","0.5"]]}`);
    // Only the sender's own buffer limits it: the reader's pace reaches it through TCP.
    while (socket.bufferedAmount > 1 << 20 && socket.readyState === socket.OPEN) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function slowClient(overrides: Partial<WsClientOptions<string>> = {}) {
  let seen = -1;
  let outOfOrder = 0;
  let count = 0;
  const client = new ExchangeWebSocketClient<string>({
    url: server.url,
    name: 'test/burst',
    subscriptions: { key: (a) => a, encode: () => [] },
    keepAlive: { kind: 'control', idleMs: 200, timeoutMs: 200 },
    onMessage: (text) => {
      const i = (JSON.parse(text) as { i: number }).i;
      if (i !== seen + 1) outOfOrder += 1;
      seen = i;
      count += 1;
      // Slower than loopback TCP: about 5 µs of work per frame.
      const until = performance.now() + 0.005;
      while (performance.now() < until);
    },
    ...overrides,
  });
  clients.push(client);
  return { client, received: () => count, outOfOrder: () => outOfOrder };
}

describe('backpressure', () => {
  it('takes a 200,000-frame burst at full socket speed without dropping one: reading pauses and resumes', async () => {
    let done = false;
    server.onConnection((connection) => {
      burst(connection.socket, 200_000)
        .then(() => {
          done = true;
        })
        .catch(() => undefined);
    });
    const { client, received, outOfOrder } = slowClient();
    await client.connect();
    await waitFor(() => received() === 200_000, 'every frame');
    expect(done).toBe(true);
    const stats = client.stats();
    expect(stats.dropped).toBe(0);
    expect(outOfOrder()).toBe(0);
    expect(stats.pauses).toBeGreaterThan(0);
    // The keep-alive did not take our own slowness for a dead venue.
    expect(stats.reconnects).toBe(0);
  });

  it('without the water marks the same burst overflows the queue and loses frames (what backpressure prevents)', async () => {
    server.onConnection((connection) => {
      burst(connection.socket, 60_000).catch(() => undefined);
    });
    const { client, received } = slowClient({ queueCapacity: 5_000, highWaterMark: Number.POSITIVE_INFINITY });
    await client.connect();
    // Every frame is either applied or dropped: count them all in.
    await waitFor(() => received() + client.stats().dropped === 60_000, 'the whole burst accounted for');
    expect(client.stats().dropped).toBeGreaterThan(0);
  });
});
