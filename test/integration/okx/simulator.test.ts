// The simulator must speak OKX's protocol as the real exchange does, or the collector tests
// prove nothing. These talk to it with a bare WebSocket.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../support/loopback-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let sim: OkxSimulator | undefined;
const sockets: WebSocket[] = [];

async function connect(path: 'public' | 'business'): Promise<{ ws: WebSocket; frames: string[] }> {
  if (sim === undefined) throw new Error('no simulator');
  const ws = new WebSocket(`${sim.wsUrl}/${path}`);
  sockets.push(ws);
  const frames: string[] = [];
  ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  await once(ws, 'open');
  return { ws, frames };
}

const parsed = (frames: string[]): Record<string, unknown>[] => frames.filter((f) => f !== 'pong').map((f) => JSON.parse(f) as Record<string, unknown>);

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await sim?.close();
  sim = undefined;
});

describe('OKX simulator protocol', () => {
  it('acks every arg of a subscribe with the request id, then sends the book snapshot', async () => {
    sim = await OkxSimulator.start({ tickMs: 50 });
    const { ws, frames } = await connect('public');
    ws.send(
      JSON.stringify({
        id: '7',
        op: 'subscribe',
        args: [
          { channel: 'books', instId: 'BTC-USDT' },
          { channel: 'trades', instId: 'BTC-USDT' },
        ],
      }),
    );
    await waitFor(() => parsed(frames).some((m) => m['action'] === 'snapshot'), 'snapshot');
    const messages = parsed(frames);
    expect(messages.slice(0, 2)).toEqual([
      { id: '7', event: 'subscribe', arg: { channel: 'books', instId: 'BTC-USDT' }, connId: expect.any(String) as unknown },
      { id: '7', event: 'subscribe', arg: { channel: 'trades', instId: 'BTC-USDT' }, connId: expect.any(String) as unknown },
    ]);
    const snapshot = messages.find((m) => m['action'] === 'snapshot') as { data: { prevSeqId: number; checksum: number; bids: unknown[] }[] };
    expect(snapshot.data[0]).toMatchObject({ prevSeqId: -1, checksum: 0 });
    expect(snapshot.data[0]?.bids).toHaveLength(400);
  });

  it('answers ping with pong', async () => {
    sim = await OkxSimulator.start();
    const { ws, frames } = await connect('public');
    ws.send('ping');
    await waitFor(() => frames.includes('pong'), 'pong');
  });

  it('refuses unknown instruments (60018) and channels on the wrong endpoint (64001, 64002)', async () => {
    sim = await OkxSimulator.start();
    const pub = await connect('public');
    const biz = await connect('business');
    pub.ws.send(JSON.stringify({ id: '1', op: 'subscribe', args: [{ channel: 'trades', instId: 'FOO-BAR' }] }));
    pub.ws.send(JSON.stringify({ id: '2', op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT' }] }));
    biz.ws.send(JSON.stringify({ id: '3', op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] }));
    pub.ws.send('{not json');
    await waitFor(() => parsed(pub.frames).length === 3 && parsed(biz.frames).length === 1, 'errors');
    expect(parsed(pub.frames).map((m) => [m['id'], m['event'], m['code']])).toEqual([
      ['1', 'error', '60018'],
      ['2', 'error', '64001'],
      [undefined, 'error', '60012'],
    ]);
    expect(parsed(pub.frames)[0]?.['msg']).toBe("Wrong URL or channel:trades,instId:FOO-BAR doesn't exist");
    expect(parsed(biz.frames).map((m) => [m['id'], m['code']])).toEqual([['3', '64002']]);
  });

  it('closes an idle connection with 4004, as OKX does after 30 s', async () => {
    sim = await OkxSimulator.start({ idleTimeoutMs: 200, tickMs: 50 });
    const { ws } = await connect('public');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    expect(code).toBe(4004);
    expect(reason.toString()).toBe('No data received in 30s.');
  });

  it('sends notice 64008 before closing for a service upgrade', async () => {
    sim = await OkxSimulator.start();
    const { ws, frames } = await connect('public');
    sim.inject('notice');
    const [code] = (await once(ws, 'close')) as [number];
    expect(parsed(frames)[0]).toMatchObject({ event: 'notice', code: '64008' });
    expect(code).toBe(1012);
  });

  it('keeps a valid seqId chain for every subscriber of an instrument', async () => {
    sim = await OkxSimulator.start({ tickMs: 10 });
    const a = await connect('public');
    const b = await connect('public');
    for (const c of [a, b]) c.ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'ETH-USDT' }] }));
    await waitFor(() => a.frames.length > 40 && b.frames.length > 40, 'updates');
    for (const c of [a, b]) {
      const books = parsed(c.frames).filter((m) => 'data' in m) as { data: { prevSeqId: number; seqId: number }[] }[];
      for (let i = 1; i < books.length; i += 1) expect(books[i]?.data[0]?.prevSeqId).toBe(books[i - 1]?.data[0]?.seqId);
    }
  });

  it('serves REST book snapshots with seqId and instrument lists', async () => {
    sim = await OkxSimulator.start();
    const books = (await (await fetch(`${sim.restUrl}/api/v5/market/books?instId=BTC-USDT&sz=400`)).json()) as {
      code: string;
      data: { seqId: number; bids: unknown[] }[];
    };
    expect(books.code).toBe('0');
    expect(books.data[0]?.bids).toHaveLength(400);
    expect(books.data[0]?.seqId).toBeGreaterThan(0);
    const swaps = (await (await fetch(`${sim.restUrl}/api/v5/public/instruments?instType=SWAP`)).json()) as { data: { instId: string }[] };
    expect(swaps.data.map((i) => i.instId)).toEqual(['BTC-USDT-SWAP', 'ETH-USDT-SWAP']);
    const unknown = (await (await fetch(`${sim.restUrl}/api/v5/market/books?instId=NOPE-USDT`)).json()) as { code: string };
    expect(unknown.code).toBe('51001');
  });
});
