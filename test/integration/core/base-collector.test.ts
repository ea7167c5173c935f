import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector, CollectorOptions } from '../../../app/core/base-collector.js';
import type { CollectorState } from '../../../app/core/collector-status.js';
import type { MarketEvent, RawMessage } from '../../../app/core/types.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { createRegistry } from '../../../app/exchanges/registry.js';
import { countResources, expectNoLeakedHandles, noLeakedHandles } from '../../support/handles.js';
import { LoopbackServer, waitFor, type ServerConnection } from '../../support/loopback-server.js';
import { testExchangeDescriptor } from '../../support/test-exchange.js';

let server: LoopbackServer;
const factory = new ExchangeFactory(createRegistry([testExchangeDescriptor]));
const collectors: BaseDataCollector[] = [];

function trade(connection: ServerConnection, px: string, id = '1'): void {
  connection.socket.send(JSON.stringify({ channel: 'trade', px, sz: '0.5', side: 'sell', ts: Date.now() - 5, id }));
}

async function makeCollector(overrides: Record<string, unknown> = {}, maxAutoRestarts?: number, options: CollectorOptions = {}) {
  const collector = await factory.createCollector(
    { exchange: 'testex', symbol: 'AAA-BBB', dataTypes: ['trade'], customParams: { wsUrl: server.url }, ...overrides },
    { ...(maxAutoRestarts === undefined ? {} : { maxAutoRestarts }), ...options },
  );
  collectors.push(collector);
  const states: CollectorState[] = [];
  const data: MarketEvent[] = [];
  const raw: RawMessage[] = [];
  collector.on('status', (s) => {
    if (states.at(-1) !== s.status) states.push(s.status);
  });
  collector.on('data', (e) => data.push(e));
  collector.on('raw', (m) => raw.push(m));
  return { collector, states, data, raw };
}

beforeEach(async () => {
  server = await LoopbackServer.start();
  server.handle((text, connection) => {
    if (text === 'ping') connection.socket.send('pong');
  });
});

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  await server.close();
});

describe('BaseDataCollector lifecycle', () => {
  it('goes start → running → stop → not running, and publishes normalized data', async () => {
    const { collector, states, data, raw } = await makeCollector();
    expect(collector.isRunning()).toBe(false);
    await collector.start();
    expect(collector.isRunning()).toBe(true);
    expect(collector.getStatus().status).toBe('running');
    await waitFor(() => server.latest().received.length > 0, 'subscribe');
    expect(JSON.parse(server.latest().received[0] ?? '')).toEqual({ op: 'subscribe', args: [{ channel: 'trade', symbol: 'AAA-BBB' }] });

    trade(server.latest(), '101.25');
    await waitFor(() => data.length === 1, 'a trade');
    expect(data[0]).toMatchObject({ kind: 'trade', exchange: 'testex', symbol: 'AAA-BBB', price: 101.25, priceStr: '101.25', side: 'sell' });
    expect(raw).toHaveLength(1);
    const status = collector.getStatus();
    expect(status.messagesReceived).toBe(1);
    expect(status.lastMessageAgeMs).not.toBeNull();
    expect(status.exchangeLagMs).toBeGreaterThanOrEqual(0);
    expect(status.streams.trade?.messages).toBe(1);

    await collector.stop();
    expect(collector.isRunning()).toBe(false);
    expect(collector.getStatus().status).toBe('stopped');
    expect(states).toEqual(['starting', 'running', 'stopped']);
  });

  it('emits no raw frames when storeRawData is off', async () => {
    const { collector, data, raw } = await makeCollector({ storeRawData: false });
    await collector.start();
    trade(server.latest(), '1');
    await waitFor(() => data.length === 1, 'a trade');
    expect(raw).toEqual([]);
  });

  it('shows reconnecting while the connection is re-established, then running', async () => {
    const { collector, states } = await makeCollector();
    await collector.start();
    server.latest().socket.terminate();
    await waitFor(() => server.connections.length === 2 && collector.getStatus().status === 'running', 'back up');
    expect(states).toEqual(['starting', 'running', 'reconnecting', 'running']);
    expect(collector.getStatus().reconnects).toBe(1);
  });

  it('never flags or restarts a quiet but healthy market: keep-alives are signs of life', async () => {
    const { collector, states } = await makeCollector({}, undefined, { livenessTickMs: 20, liveness: { minStaleMs: 100 } });
    await collector.start();
    // Three keep-alive round trips (idle 200 ms each) span dozens of liveness checks.
    await waitFor(() => server.latest().received.filter((t) => t === 'ping').length >= 3, 'three keep-alives');
    expect(states).toEqual(['starting', 'running']);
    const status = collector.getStatus();
    expect(status.restarts).toBe(0);
    expect(status.staleStreams).toEqual([]);
    expect(status.streams['trade']).toMatchObject({ state: 'waiting', thresholdMs: null });
    expect(server.connections).toHaveLength(1);
  });

  it('judges a stream by its own cadence: silent far beyond it, it is stale and named; data brings it back', async () => {
    const { collector, states, data } = await makeCollector({ autoRestart: false }, undefined, {
      livenessTickMs: 20,
      liveness: { minStaleMs: 200, minSamples: 5 },
    });
    await collector.start();
    for (let i = 0; i < 8; i += 1) {
      trade(server.latest(), '5', String(i));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await waitFor(() => data.length === 8, 'eight trades');
    await waitFor(() => collector.getStatus().status === 'stale', 'stale');
    const stale = collector.getStatus();
    expect(stale.staleStreams).toEqual(['trade']);
    expect(stale.streams['trade']?.state).toBe('stale');
    expect(stale.streams['trade']?.reason).toMatch(/^no trade for \d+\.\d s \(far beyond its usual pace\)$/);
    expect(stale.errors.at(-1)?.message).toMatch(/^AAA-BBB no trade for/);
    trade(server.latest(), '6', 'late');
    await waitFor(() => collector.getStatus().status === 'running', 'running again');
    expect(states).toEqual(['starting', 'running', 'stale', 'running']);
    expect(collector.getStatus().restarts).toBe(0);
  });

  it('keeps restarting after the fast retries, at a steady interval it shows, until the exchange returns', async () => {
    const { collector } = await makeCollector({ healthCheckInterval: 0.05 }, 2, { steadyRestartMs: 400 });
    await collector.start();
    const port = Number(new URL(server.url).port);
    await server.close();
    const steady = 'still failing after 2 automatic restarts; retrying every 0.4 s';
    await waitFor(() => collector.getStatus().errors.some((e) => e.message === steady), 'steady retries announced');
    const failing = collector.getStatus();
    expect(failing.status).toBe('error');
    expect(failing.autoRestart).toMatchObject({ attempts: 2, everyMs: 400 });
    const restartsBefore = failing.restarts;
    await waitFor(() => collector.getStatus().restarts >= restartsBefore + 2, 'two steady restarts');
    server = await LoopbackServer.startOn(port);
    server.handle((text, connection) => {
      if (text === 'ping') connection.socket.send('pong');
      else trade(connection, '9');
    });
    await waitFor(() => collector.getStatus().status === 'running' && collector.getStatus().messagesReceived > 0, 'recovered');
    expect(collector.getStatus().autoRestart).toBeNull();
  });

  it('reports a lost exchange as an error and recovers by auto-restart when it returns', async () => {
    const { collector } = await makeCollector({ healthCheckInterval: 0.5 });
    await collector.start();
    const url = server.url;
    const port = Number(new URL(url).port);
    await server.close();
    await waitFor(() => collector.getStatus().status === 'error', 'error');
    expect(collector.getStatus().errors.at(-1)?.message).toMatch(/gave up after 3 failed reconnect attempts/);
    server = await LoopbackServer.startOn(port);
    server.handle((text, connection) => {
      if (text === 'ping') connection.socket.send('pong');
      else trade(connection, '9');
    });
    await waitFor(() => collector.getStatus().status === 'running' && collector.getStatus().messagesReceived > 0, 'recovered');
  });

  it('restart() cycles the status and counts the restart', async () => {
    const { collector, states } = await makeCollector();
    await collector.start();
    await collector.restart();
    expect(states).toEqual(['starting', 'running', 'stopped', 'starting', 'running']);
    expect(collector.getStatus().restarts).toBe(1);
    expect(server.connections).toHaveLength(2);
  });

  it('stop() cancels a start that is still connecting', async () => {
    const url = server.url;
    await server.close();
    server = await LoopbackServer.start();
    const collector = await factory.createCollector({ exchange: 'testex', symbol: 'AAA-BBB', dataTypes: ['trade'], customParams: { wsUrl: url } });
    collectors.push(collector);
    const started = collector.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await collector.stop();
    await expect(started).resolves.toBeUndefined();
    expect(collector.getStatus().status).toBe('stopped');
  });

  it('leaves no timer, socket or listener behind after stop', async () => {
    const baseline = countResources();
    const { collector } = await makeCollector({ healthCheckInterval: 1 });
    await collector.start();
    trade(server.latest(), '3');
    await waitFor(() => collector.getStatus().messagesReceived === 1, 'a trade');
    expect(countResources().Timeout ?? 0).toBeGreaterThan(baseline.Timeout ?? 0);
    await collector.stop();
    await waitFor(() => server.openSockets() === 0, 'server side closed');
    // Sockets and timers are released asynchronously once closed.
    await waitFor(() => noLeakedHandles(baseline), 'every handle released');
    expectNoLeakedHandles(baseline);
    const client = (collector as unknown as { client?: unknown }).client;
    expect(client).toBeUndefined();
  });
});
