// The first run without a network: the terminal and the UI say plainly that the exchange cannot
// be reached and how to see the app anyway; a busy port says which flag picks another.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXCHANGE_REGISTRY } from '../../../app/exchanges/registry.js';
import { MarketHost } from '../../../app/host/market-host.js';
import { startServeServer } from '../../../main/serve/server.js';
import { waitFor } from '../../support/loopback-server.js';

const root = path.resolve(import.meta.dirname, '../../..');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-first-run-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// Port 9 (discard) refuses connections on loopback: an exchange that cannot be reached.
const UNREACHABLE = { wsUrl: 'ws://127.0.0.1:9/ws/v5', restUrl: 'http://127.0.0.1:9' };

describe('first run without a network', () => {
  it('adds a symbol without hanging and says once, plainly, that the exchange cannot be reached and what to do', async () => {
    const host = new MarketHost({ dataDir: await tempDir(), exchangeParams: { okx: UNREACHABLE } });
    cleanup.push(() => host.close());
    await host.start();
    const added = await host.addSymbol('okx', 'ETH-USDT', ['ticker']);
    expect(added.id).toBe('okx:ETH-USDT');
    await waitFor(() => host.notices().some((n) => n.message.startsWith('OKX cannot be reached')), 'the unreachable notice');
    const notices = host.notices().filter((n) => n.message.startsWith('OKX cannot be reached'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toMatch(
      /^OKX cannot be reached from this machine: connection refused \(is the exchange reachable\?\)\. The app keeps trying\. To see it working without a connection, run `npm run demo`: it simulates OKX on this machine\.$/,
    );
    expect(notices[0]?.level).toBe('error');
  });

  it('prints the same, human-readable, on the terminal of serve mode', async () => {
    const dataDir = await tempDir();
    const child = spawn(
      path.join(root, 'node_modules/.bin/tsx'),
      [path.join(root, 'main/serve/cli.ts'), '--port', '0', '--data-dir', dataDir, '--static', dataDir],
      {
        cwd: root,
        env: {
          ...process.env,
          TICKER_DECK_LOG_LEVEL: '',
          // Every venue of the default watchlist points at a port that refuses connections.
          ...Object.fromEntries(
            [...EXCHANGE_REGISTRY.values()].flatMap((venue) => [
              [`${venue.envPrefix ?? ''}_WS_URL`, UNREACHABLE.wsUrl],
              [`${venue.envPrefix ?? ''}_REST_URL`, UNREACHABLE.restUrl],
            ]),
          ),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanup.push(async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stderr.includes('OKX cannot be reached') && stdout.includes('Ticker Deck is running'), 'the terminal lines');
    expect(stdout).toMatch(/^Ticker Deck is running at http:\/\/127\.0\.0\.1:\d+\//);
    const line = stderr.split('\n').find((l) => l.includes('OKX cannot be reached')) ?? '';
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR host: OKX cannot be reached from this machine: .*run `npm run demo`/);
    // Human-readable, not JSON.
    expect(stderr.trimStart().startsWith('{')).toBe(false);
  });

  it('says which flag picks another port when the port is busy', async () => {
    const dataDir = await tempDir();
    const host = new MarketHost({ dataDir, exchangeParams: { okx: UNREACHABLE } });
    cleanup.push(() => host.close());
    const first = await startServeServer({ host, staticDir: dataDir, port: 0 });
    cleanup.push(() => first.close());
    await expect(startServeServer({ host, staticDir: dataDir, port: first.port })).rejects.toThrow(
      `port ${first.port} is already in use (another Ticker Deck?). Pick another one with --port, e.g. \`npm run serve -- --port ${first.port + 1}\``,
    );
  });
});
