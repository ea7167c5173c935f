// The contract, end to end through both transports (serve-mode WebSocket and Electron IPC),
// against a real MarketHost collecting from the loopback OKX simulator.
import { applyBookFrame } from '../../../renderer/src/lib/book-delta.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarketHost } from '../../../app/host/market-host.js';
import { DEFAULT_WORKSPACE, DEFAULT_WORKSPACES, type MarketFrame, type ShownBook } from '../../../main/contract.js';
import { MAX_SESSIONS, sameSecret, startServeServer, type ServeServer } from '../../../main/serve/server.js';
import { connectIpc, connectWebSocket, type TestClient } from '../../support/contract-clients.js';
import { waitFor } from '../../support/loopback-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let sim: OkxSimulator;
let host: MarketHost;
let dataDir: string;
let server: ServeServer | undefined;
let client: TestClient;

async function startHost(entries: object[] = []): Promise<void> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-contract-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries }));
  host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  await host.start();
}

/** A plain HTTP request with a Host header of our choosing (fetch will not let us set it). */
function rawRequest(port: number, options: { host?: string; path?: string; method?: string }): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function collectFrames(c: TestClient): MarketFrame[] {
  const frames: MarketFrame[] = [];
  c.on('frame', (frame) => {
    frames.push(frame);
    if (frames.length > 2000) frames.splice(0, 1000);
  });
  return frames;
}

/** The book as the page holds it after every frame so far (deltas applied as the page applies them). */
function latestBook(frames: MarketFrame[], id: string): ShownBook | undefined {
  let held: ShownBook | undefined;
  for (const frame of frames) {
    const book = frame.books.find((b) => b.id === id);
    if (book === undefined) continue;
    const whole = applyBookFrame(held, book, frame.at);
    if (whole === undefined) throw new Error(`a delta of ${id} did not apply to version ${held?.version ?? 'none'}`);
    held = whole;
  }
  return held;
}

const transports: [string, () => Promise<TestClient>][] = [
  [
    'serve-mode WebSocket',
    async () => {
      server = await startServeServer({ host, staticDir: path.join(dataDir, 'no-ui'), port: 0 });
      return connectWebSocket(`ws://127.0.0.1:${server.port}/api`);
    },
  ],
  ['Electron IPC', () => Promise.resolve(connectIpc(host))],
];

describe.each(transports)('contract over %s', (_name, connect) => {
  beforeEach(async () => {
    sim = await OkxSimulator.start({ tickMs: 25 });
    await startHost();
    client = await connect();
  });

  afterEach(async () => {
    await client.close();
    await server?.close();
    server = undefined;
    await host.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('adding a symbol brings frames with a valid book, bids below asks', async () => {
    const frames = collectFrames(client);
    const added = await client.call('addSymbol', { exchange: 'okx', symbol: 'eth-usdt' });
    expect(added).toEqual({
      ok: true,
      value: {
        id: 'okx:ETH-USDT',
        exchange: 'okx',
        symbol: 'ETH-USDT',
        dataTypes: ['trade', 'orderbook', 'ticker', 'candles'],
        base: 'ETH',
        quote: 'USDT',
        kind: 'spot',
        tickSize: '0.01',
        lotSize: '0.000001',
        sizeUnit: 'ETH',
        venue: 'OKX',
        label: 'ETH/USDT · OKX',
      },
    });
    await waitFor(() => latestBook(frames, 'okx:ETH-USDT')?.state === 'valid', 'valid book frame');
    const book = latestBook(frames, 'okx:ETH-USDT');
    expect(book?.bids).toHaveLength(50);
    expect(Number(book?.bids[0]?.[0])).toBeLessThan(Number(book?.asks[0]?.[0]));
    await waitFor(() => frames.some((f) => f.tickers.some((t) => t.id === 'okx:ETH-USDT')) && frames.some((f) => f.statuses !== null), 'tickers and statuses');
    const saved = JSON.parse(await readFile(path.join(dataDir, 'watchlist.json'), 'utf8')) as { entries: { symbol: string }[] };
    expect(saved.entries.map((e) => e.symbol)).toEqual(['ETH-USDT']);
  });

  it('removing a symbol stops its frames and frees its collector', async () => {
    const frames = collectFrames(client);
    await client.call('addSymbol', { exchange: 'okx', symbol: 'SOL-USDT' });
    await waitFor(() => latestBook(frames, 'okx:SOL-USDT')?.state === 'valid', 'book');
    expect(await client.call('removeSymbol', { id: 'okx:SOL-USDT' })).toEqual({ ok: true, value: { removed: 'okx:SOL-USDT' } });
    const cut = frames.length;
    // The next status frame lists no collector; nothing of SOL-USDT came after the removal.
    await waitFor(() => frames.slice(cut).some((f) => f.statuses !== null && f.statuses.length === 0), 'a status frame without the removed collector');
    const after = frames.slice(cut);
    expect(after.some((f) => f.books.some((b) => b.id === 'okx:SOL-USDT') || f.tickers.some((t) => t.id === 'okx:SOL-USDT'))).toBe(false);
    expect(host.statuses()).toEqual([]);
    expect(sim.open('SOL-USDT')).toEqual([]);
    const watchlist = await client.call('getWatchlist', {});
    expect(watchlist).toEqual({ ok: true, value: [] });
  });

  it('restart cycles the collector and it comes back running', async () => {
    await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['orderbook'] });
    const subscribesBefore = sim.connections.flatMap((c) => c.received).filter((t) => t.includes('"subscribe"')).length;
    const restarted = await client.call('restartCollector', { id: 'okx:BTC-USDT' });
    expect(restarted.ok && restarted.value).toMatchObject({ status: 'running', restarts: 1 });
    const subscribesAfter = sim.connections.flatMap((c) => c.received).filter((t) => t.includes('"subscribe"')).length;
    expect(subscribesAfter).toBeGreaterThan(subscribesBefore);
    const stopped = await client.call('stopCollector', { id: 'okx:BTC-USDT' });
    expect(stopped.ok && stopped.value.status).toBe('stopped');
    const started = await client.call('startCollector', { id: 'okx:BTC-USDT' });
    expect(started.ok && started.value.status).toBe('running');
  });

  it('an invalid symbol gives a clear error and leaves the watchlist unchanged', async () => {
    await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    const before = await readFile(path.join(dataDir, 'watchlist.json'), 'utf8');
    expect(await client.call('addSymbol', { exchange: 'okx', symbol: 'FOO-BAR' })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'OKX has no instrument FOO-BAR', details: ['OKX has no instrument FOO-BAR'] },
    });
    const malformed = await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC/USDT' });
    expect(!malformed.ok && malformed.error.message).toMatch(/"BTC\/USDT" is not a valid OKX instrument id/);
    const unknownExchange = await client.call('addSymbol', { exchange: 'binanse', symbol: 'BTC-USDT' });
    expect(!unknownExchange.ok && unknownExchange.error.message).toBe(
      'Exchange "binanse" is not supported. Supported exchanges: okx, binance, binance-futures, bybit, bybit-spot, coinbase, kraken.',
    );
    const duplicate = await client.call('addSymbol', { exchange: 'okx', symbol: 'btc-usdt' });
    expect(!duplicate.ok && duplicate.error).toMatchObject({ code: 'duplicate' });
    expect(await readFile(path.join(dataDir, 'watchlist.json'), 'utf8')).toBe(before);
    const watchlist = await client.call('getWatchlist', {});
    expect(watchlist.ok && watchlist.value.map((w) => w.id)).toEqual(['okx:BTC-USDT']);
    expect(host.statuses().map((s) => s.id)).toEqual(['okx:BTC-USDT']);
  });

  it('sends the book the page draws at the frame rate and the others at most twice a second', async () => {
    const frames = collectFrames(client);
    await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    await client.call('addSymbol', { exchange: 'okx', symbol: 'ETH-USDT' });
    await waitFor(() => latestBook(frames, 'okx:BTC-USDT')?.state === 'valid' && latestBook(frames, 'okx:ETH-USDT')?.state === 'valid', 'both books');
    expect(await client.call('setFocus', { ids: ['okx:BTC-USDT'] })).toEqual({ ok: true, value: { ids: ['okx:BTC-USDT'] } });
    const cut = frames.length;
    const sent = (id: string): MarketFrame[] => frames.slice(cut).filter((f) => f.books.some((b) => b.id === id));
    await waitFor(() => sent('okx:BTC-USDT').length >= 40, 'forty frames with the drawn book');
    const drawn = sent('okx:BTC-USDT');
    const span = drawn.at(-1)!.at - drawn[0]!.at;
    const other = sent('okx:ETH-USDT').filter((f) => f.at <= drawn.at(-1)!.at);
    expect(other.length).toBeLessThanOrEqual(Math.floor(span / 500) + 2);
    for (let i = 1; i < other.length; i += 1) expect(other[i]!.at - other[i - 1]!.at).toBeGreaterThanOrEqual(500);
    // The page holds both books whole and valid (the background one a little behind).
    expect(latestBook(frames, 'okx:ETH-USDT')?.state).toBe('valid');
    const badFocus = await client.sendRaw({ command: 'setFocus', input: { ids: 'okx:BTC-USDT' } });
    expect(!badFocus.ok && badFocus.error.code).toBe('bad_request');
    const tooMany = await client.sendRaw({ command: 'setFocus', input: { ids: Array.from({ length: 65 }, (_, i) => `okx:S${i}-USDT`) } });
    expect(!tooMany.ok && tooMany.error.code).toBe('bad_request');
  });

  it('rejects malformed and oversize commands and keeps working', async () => {
    const unknown = await client.sendRaw({ command: 'dropTables', input: {} });
    expect(!unknown.ok && unknown.error.code).toBe('bad_request');
    const badInput = await client.sendRaw({ command: 'addSymbol', input: { exchange: 'okx', symbol: 42 } });
    expect(!badInput.ok && badInput.error.message).toMatch(/^Symbol: /);
    // Words for a trader, not a validator's.
    const long = await client.call('addSymbol', { exchange: 'okx', symbol: 'X'.repeat(70) });
    expect(!long.ok && long.error).toMatchObject({ code: 'bad_request', message: 'Symbol is too long (max 64 characters)' });
    const empty = await client.call('addSymbol', { exchange: 'okx', symbol: '' });
    expect(!empty.ok && empty.error.message).toBe('Type a symbol, e.g. BTC-USDT');
    const blank = await client.call('addSymbol', { exchange: 'okx', symbol: '   ' });
    expect(!blank.ok && blank.error.message).toBe('Symbol must not be empty');
    const extraField = await client.sendRaw({ command: 'removeSymbol', input: { id: 'okx:BTC-USDT', rm: '-rf' } });
    expect(!extraField.ok && extraField.error.code).toBe('bad_request');
    const oversize = await client.sendRaw({ command: 'searchInstruments', input: { exchange: 'okx', query: 'x'.repeat(100_000) } });
    expect(!oversize.ok && oversize.error.code).toBe('bad_request');
    const notFound = await client.call('removeSymbol', { id: 'okx:NOPE-USDT' });
    expect(!notFound.ok && notFound.error).toMatchObject({ code: 'not_found', message: 'okx:NOPE-USDT is not in the watchlist.' });
    // The host is unaffected.
    const exchanges = await client.call('listExchanges', {});
    expect(exchanges.ok && exchanges.value.map((e) => e.id)).toEqual(['okx', 'binance', 'binance-futures', 'bybit', 'bybit-spot', 'coinbase', 'kraken']);
    const search = await client.call('searchInstruments', { exchange: 'okx', query: 'btc' });
    expect(search.ok && search.value.instruments.map((i) => i.symbol)).toEqual(['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-261225']);
  });

  it('gives candle history for every UI timeframe and the instrument tick size', async () => {
    const added = await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    expect(added.ok && added.value).toMatchObject({ tickSize: '0.1', lotSize: '0.00000001' });
    for (const timeframe of ['1m', '5m', '15m', '1H', '4H', '1D']) {
      const result = await client.call('getCandles', { id: 'okx:BTC-USDT', timeframe });
      const candles = result.ok ? result.value : [];
      expect(candles.length, timeframe).toBeGreaterThanOrEqual(300);
      const times = candles.map((c) => c.openTime);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(new Set(times).size).toBe(times.length);
      expect(candles.at(-1)?.closed).toBe(false);
      expect(candles.at(-2)?.closed).toBe(true);
    }
    const status = host.statuses()[0];
    expect(status?.streams.candles?.messages ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('gives the taker buy and sell flow per period for CVD, and only the newest periods when asked', async () => {
    const added = await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    expect(added.ok).toBe(true);
    const flowOf = async (from?: number) => {
      const result = await client.call('getFlow', { id: 'okx:BTC-USDT', timeframe: '1m', ...(from === undefined ? {} : { from }) });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    const frames = collectFrames(client);
    await waitFor(() => frames.reduce((n, f) => n + f.trades.reduce((k, t) => k + t.trades.length + t.skipped, 0), 0) > 5, 'trades sent');
    const flow = await flowOf();
    // Every trade sent was counted (and perhaps more: the flow counts those of the frame being built).
    const sent = frames.reduce((n, f) => n + f.trades.reduce((k, t) => k + t.trades.length + t.skipped, 0), 0);
    expect(flow.buckets.reduce((n, b) => n + b[5], 0)).toBeGreaterThanOrEqual(sent);
    const last = flow.buckets.at(-1);
    expect(flow.since).toBeLessThanOrEqual(flow.buckets[0]?.[0] ?? 0);
    expect((last?.[1] ?? 0) + (last?.[2] ?? 0)).toBeGreaterThan(0);
    expect(flow.holes).toEqual([]);
    expect((await flowOf((last?.[0] ?? 0) + 1)).buckets).toEqual([]);
    const bad = await client.sendRaw({ command: 'getFlow', input: { id: 'okx:BTC-USDT', timeframe: '2m' } });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
    const missing = await client.call('getFlow', { id: 'okx:NOPE', timeframe: '1m' });
    expect(!missing.ok && missing.error.code).toBe('not_found');
  });

  it('keeps the workspaces: the default first, a saved change told to every client and kept across a restart, a bad one refused', async () => {
    const first = await client.call('getWorkspaces', {});
    expect(first.ok && first.value).toEqual(DEFAULT_WORKSPACES);
    const other = connectIpc(host);
    const heard: unknown[] = [];
    other.on('workspaces', (state) => heard.push(state));
    const changed = { ...DEFAULT_WORKSPACES, workspaces: [{ ...DEFAULT_WORKSPACE, name: 'Mine' }] };
    const saved = await client.call('saveWorkspaces', { state: changed });
    expect(saved.ok && saved.value).toEqual(changed);
    await waitFor(() => heard.length > 0, 'the other client told');
    expect(heard[0]).toEqual(changed);
    await other.close();
    const bad = await client.sendRaw({ command: 'saveWorkspaces', input: { state: { ...changed, active: 'nowhere' } } });
    expect(!bad.ok && bad.error.code).toBe('bad_request');
    // A restarted host shows what was saved.
    await host.close();
    host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
    await host.start();
    expect(host.workspaces.state()).toEqual(changed);
  });

  it('fires the alerts of a workspace against the live feed: large prints and a stopped feed, told to the client and kept', async () => {
    await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    const fired: { kind: string; message: string }[] = [];
    client.on('alert', (alert) => fired.push(alert));
    const alerts = [
      { id: 'big', kind: 'print' as const, symbol: 'okx:BTC-USDT', notional: 1, enabled: true },
      { id: 'quiet', kind: 'stale' as const, symbol: 'okx:BTC-USDT', seconds: 1, enabled: true },
    ];
    expect((await client.call('saveWorkspaces', { state: { ...DEFAULT_WORKSPACES, workspaces: [{ ...DEFAULT_WORKSPACE, alerts }] } })).ok).toBe(true);
    await waitFor(() => fired.some((a) => a.kind === 'print'), 'a print alert');
    expect(fired.find((a) => a.kind === 'print')?.message).toMatch(/^BTC\/USDT · OKX: (buy|sell) of [\d.]+K? USDT at [\d,.]+/);
    await client.call('stopCollector', { id: 'okx:BTC-USDT' });
    await waitFor(() => fired.some((a) => a.kind === 'stale'), 'a stale-feed alert');
    expect(fired.find((a) => a.kind === 'stale')?.message).toMatch(/has not been live for \d+ s \(stopped\)/);
    const recent = await client.call('getAlerts', {});
    expect(recent.ok && recent.value.map((a) => a.kind)).toContain('stale');
  });

  it('records a session, lists and renames it, replays it labelled as a replay, exports and deletes it', async () => {
    expect(await client.call('startRecording', {})).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Nothing to record: add a symbol first.' } });
    expect(await client.call('stopRecording', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await client.call('addSymbol', { exchange: 'okx', symbol: 'BTC-USDT' });
    const recordingEvents: unknown[] = [];
    client.on('recording', (state) => recordingEvents.push(state));
    const started = await client.call('startRecording', { name: 'open' });
    expect(started.ok && started.value).toMatchObject({ name: 'open', state: 'recording' });
    await waitFor(() => recordingEvents.length >= 2 && (host.recordings.state().active?.counts.events ?? 0) > 10, 'recording progress');
    const stopped = await client.call('stopRecording', {});
    expect(stopped.ok && stopped.value.state).toBe('complete');
    expect(recordingEvents.length).toBeGreaterThanOrEqual(2);
    const id = stopped.ok ? stopped.value.id : '';
    const list = await client.call('listSessions', {});
    expect(list.ok && list.value.map((m) => [m.id, m.name, m.state])).toEqual([[id, 'open', 'complete']]);
    expect((await client.call('renameSession', { id, name: 'Tuesday' })).ok).toBe(true);
    const report = await client.call('getSessionReport', { id });
    expect(report.ok && report.value.feeds.map((f) => f.id)).toEqual(['okx:BTC-USDT']);

    const frames = collectFrames(client);
    const watchlists: { id: string; replayOf?: string }[][] = [];
    client.on('watchlist', (items) => watchlists.push(items));
    // At 1x the replayed book is live for as long as the recording was, so a frame shows it
    // (at max speed the replay may end, and its book say `stopped`, before the next frame).
    const replay = await client.call('startReplay', { id, speed: '1' });
    expect(replay.ok && replay.value).toMatchObject({ sessionName: 'Tuesday', speed: 1, state: 'playing' });
    await waitFor(() => watchlists.some((w) => w.some((i) => i.id === 'replay:okx:BTC-USDT' && i.replayOf === 'Tuesday')), 'replay in watchlist');
    await waitFor(() => latestBook(frames, 'replay:okx:BTC-USDT')?.state === 'valid', 'replayed book');
    expect(await client.call('getReplay', {})).toMatchObject({ ok: true, value: { sessionName: 'Tuesday' } });
    // Removing a replay feed stops the replay and removes all of its feeds.
    expect(await client.call('removeSymbol', { id: 'replay:okx:BTC-USDT' })).toEqual({ ok: true, value: { removed: 'replay:okx:BTC-USDT' } });
    expect(await client.call('getReplay', {})).toEqual({ ok: true, value: null });
    expect(await client.call('stopReplay', {})).toEqual({ ok: true, value: { stopped: false } });
    const after = await client.call('getWatchlist', {});
    expect(after.ok && after.value.map((i) => i.id)).toEqual(['okx:BTC-USDT']);

    const exported = await client.call('exportSession', { id, table: 'trades', format: 'csv' });
    expect(exported.ok && !exported.value.cancelled && exported.value.rows).toBeGreaterThan(0);
    if (exported.ok && !exported.value.cancelled && exported.value.downloadUrl !== null) {
      const download = await fetch(`http://127.0.0.1:${server?.port ?? 0}${exported.value.downloadUrl}`);
      expect(download.status).toBe(200);
      expect((await download.text()).split('\n')[0]).toBe('exchange,symbol,timestamp,local_timestamp,id,side,price,amount');
    }
    expect(await client.call('deleteSession', { id })).toEqual({ ok: true, value: { deleted: id } });
    expect(await client.call('listSessions', {})).toEqual({ ok: true, value: [] });
  });

  it('never takes a file path from the page: an export request naming one is refused', async () => {
    const result = await client.call('exportSession', { id: 'x', table: 'trades', format: 'csv', path: '/tmp/evil.csv' } as never);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('bad_request');
    expect(!result.ok && result.error.message).toMatch(/path/);
  });
});

describe('serve-mode WebSocket specifics', () => {
  beforeEach(async () => {
    sim = await OkxSimulator.start({ tickMs: 50 });
    await startHost();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await host.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers text that is not a command envelope, then goes on', async () => {
    server = await startServeServer({ host, staticDir: dataDir, port: 0 });
    const ws = await connectWebSocket(`ws://127.0.0.1:${server.port}/api`);
    const bad = await ws.sendRaw('{"kind":"call","id":');
    expect(!bad.ok && bad.error.message).toBe('not a valid command envelope');
    expect((await ws.call('getStatuses', {})).ok).toBe(true);
    await ws.close();
  });

  it('refuses cross-origin pages and, with a token, clients without it', async () => {
    server = await startServeServer({ host, staticDir: dataDir, port: 0, token: 'a-long-enough-secret-token' });
    await expect(connectWebSocket(`ws://127.0.0.1:${server.port}/api?token=a-long-enough-secret-token`, { origin: 'http://evil.example' })).rejects.toThrow(
      /403/,
    );
    await expect(connectWebSocket(`ws://127.0.0.1:${server.port}/api`)).rejects.toThrow(/401/);
    const ok = await connectWebSocket(`ws://127.0.0.1:${server.port}/api?token=a-long-enough-secret-token`, { origin: `http://127.0.0.1:${server.port}` });
    expect((await ok.call('listExchanges', {})).ok).toBe(true);
    await ok.close();
  });

  it('without a token accepts only its loopback names as Host, on HTTP and WebSocket (no DNS rebinding)', async () => {
    await writeFile(path.join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServeServer({ host, staticDir: dataDir, port: 0 });
    const port = server.port;
    for (const name of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawRequest(port, { host: name })).status, name).toBe(200);
    }
    for (const name of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', `attacker.127.0.0.1.nip.io:${port}`]) {
      expect((await rawRequest(port, { host: name })).status, name).toBe(403);
    }
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/api`, { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` })).rejects.toThrow(
      /403/,
    );
    const fine = await connectWebSocket(`ws://localhost:${port}/api`, { origin: `http://localhost:${port}` });
    expect((await fine.call('listExchanges', {})).ok).toBe(true);
    await fine.close();
  });

  it('answers a malformed URL with 400, serves exports to GET and HEAD only, and caps sessions', async () => {
    server = await startServeServer({ host, staticDir: dataDir, port: 0 });
    const port = server.port;
    expect((await rawRequest(port, { path: '/%zz' })).status).toBe(400);
    expect((await rawRequest(port, { path: '/exports/%E0%A4%A' })).status).toBe(400);
    expect((await rawRequest(port, { path: '/exports/x.csv', method: 'POST' })).status).toBe(405);
    expect((await rawRequest(port, { path: '/exports/x.csv', method: 'DELETE' })).status).toBe(405);
    expect((await rawRequest(port, { path: '/exports/missing.csv', method: 'HEAD' })).status).toBe(404);
    const clients = [];
    for (let i = 0; i < MAX_SESSIONS; i += 1) clients.push(await connectWebSocket(`ws://127.0.0.1:${port}/api`));
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/api`)).rejects.toThrow(/503/);
    await clients.pop()?.close();
    await waitFor(() => server?.sessions() === MAX_SESSIONS - 1, 'a session freed');
    clients.push(await connectWebSocket(`ws://127.0.0.1:${port}/api`));
    for (const c of clients) await c.close();
  });

  it('with a token checks it on every socket and download, whatever the Host', async () => {
    server = await startServeServer({ host, staticDir: dataDir, port: 0, token: 'a-long-enough-secret-token' });
    const port = server.port;
    expect(sameSecret('a-long-enough-secret-token', 'a-long-enough-secret-token')).toBe(true);
    expect(sameSecret('a-long-enough-secret-tokem', 'a-long-enough-secret-token')).toBe(false);
    expect(sameSecret(null, 'a-long-enough-secret-token')).toBe(false);
    expect((await rawRequest(port, { host: `desk.example:${port}`, path: '/exports/x.csv' })).status).toBe(401);
    expect((await rawRequest(port, { host: `desk.example:${port}`, path: '/exports/x.csv?token=wrong' })).status).toBe(401);
    expect((await rawRequest(port, { host: `desk.example:${port}`, path: '/exports/x.csv?token=a-long-enough-secret-token' })).status).toBe(404);
    const ok = await connectWebSocket(`ws://127.0.0.1:${port}/api?token=a-long-enough-secret-token`, {
      host: `desk.example:${port}`,
      origin: `http://desk.example:${port}`,
    });
    expect((await ok.call('listExchanges', {})).ok).toBe(true);
    await ok.close();
  });

  it('will not bind beyond loopback without a token', async () => {
    await expect(startServeServer({ host, staticDir: dataDir, port: 0, bindAddress: '0.0.0.0' })).rejects.toThrow(/pass --token/);
  });

  it('serves the UI with a strict CSP and never files outside its folder', async () => {
    await writeFile(path.join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServeServer({ host, staticDir: dataDir, port: 0 });
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*object-src 'none'/);
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(escape.status);
  });
});

describe('Electron IPC specifics', () => {
  beforeEach(async () => {
    sim = await OkxSimulator.start({ tickMs: 50 });
    await startHost();
  });
  afterEach(async () => {
    await host.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses calls from a frame that is not our UI', async () => {
    const intruder = connectIpc(host, 'https://evil.example/');
    const result = await intruder.call('listExchanges', {});
    expect(result).toEqual({ ok: false, error: { code: 'bad_request', message: 'sender not allowed', details: [] } });
    await intruder.close();
  });

  it('writes an export only where the main process’s own save dialog answered in that request', async () => {
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'ticker']);
    await waitFor(() => [...host.feeds()][0]?.tradeSeq !== 0, 'a trade');
    await host.recordings.start('dialog');
    await waitFor(() => (host.recordings.state().active?.counts.events ?? 0) > 5, 'recorded events');
    const { id } = await host.recordings.stop();
    const asked: string[] = [];
    let answer: string | null = null;
    const ipc = connectIpc(host, undefined, {
      chooseSavePath: (name) => {
        asked.push(name);
        return Promise.resolve(answer);
      },
    });
    // Cancelled: nothing is written.
    expect(await ipc.call('exportSession', { id, table: 'trades', format: 'csv' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(asked).toEqual(['dialog-trades.csv']);
    answer = path.join(dataDir, 'chosen.csv');
    const saved = await ipc.call('exportSession', { id, table: 'trades', format: 'csv' });
    expect(saved.ok && !saved.value.cancelled && saved.value.path).toBe(answer);
    expect((await readFile(answer, 'utf8')).split('\n')[0]).toBe('exchange,symbol,timestamp,local_timestamp,id,side,price,amount');
    // A path from the page is refused before anything runs.
    const forged = await ipc.sendRaw({ command: 'exportSession', input: { id, table: 'trades', format: 'csv', path: '/tmp/forged.csv' } });
    expect(!forged.ok && forged.error.code).toBe('bad_request');
    expect(asked).toHaveLength(2);
    await ipc.close();
  });

  it('coalesces frames while the page has not acknowledged them', async () => {
    await host.addSymbol('okx', 'BTC-USDT', ['orderbook', 'ticker']);
    const ipc = connectIpc(host);
    // Stop acknowledging: the page is stuck.
    ipc.ipcMain.listeners.clear();
    const frames: MarketFrame[] = [];
    ipc.on('frame', (f) => frames.push(f));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(frames.length).toBeLessThanOrEqual(2);
    await ipc.close();
    expect(host.clientCount).toBe(0);
  });
});
