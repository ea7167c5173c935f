// Host settings from the environment, shared by the Electron main process and serve mode.
// The demo uses them to point OKX at the loopback simulator.

import os from 'node:os';
import path from 'node:path';
import type { CustomParams } from '../app/core/config.js';
import { EXCHANGE_REGISTRY, type ExchangeRegistry } from '../app/exchanges/registry.js';

export interface HostEnvironment {
  readonly dataDir: string | undefined;
  readonly exchangeParams: Record<string, CustomParams>;
  /**
   * `TICKER_DECK_NATS` (comma-separated NATS URLs): the cluster to take feeds from;
   * `TICKER_DECK_NATS_REPLICAS` (1–5, default 1): copies of each recording kept on it.
   */
  readonly nats: { readonly servers: string[]; readonly replicas?: number } | undefined;
}

/**
 * Endpoint overrides per venue from the environment: `TICKER_DECK_<VENUE>_WS_URL` and
 * `…_REST_URL`, with each venue's prefix taken from the registry (`TICKER_DECK_OKX`,
 * `TICKER_DECK_BINANCE`, `TICKER_DECK_BINANCE_FUTURES`).
 */
export function hostEnvironment(env: NodeJS.ProcessEnv = process.env, registry: ExchangeRegistry = EXCHANGE_REGISTRY): HostEnvironment {
  const exchangeParams: Record<string, CustomParams> = {};
  for (const descriptor of registry.values()) {
    const prefix = descriptor.envPrefix ?? `TICKER_DECK_${descriptor.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const wsUrl = env[`${prefix}_WS_URL`];
    const restUrl = env[`${prefix}_REST_URL`];
    const params: { wsUrl?: string; restUrl?: string } = {};
    if (wsUrl !== undefined && wsUrl !== '') params.wsUrl = wsUrl;
    if (restUrl !== undefined && restUrl !== '') params.restUrl = restUrl;
    if (Object.keys(params).length > 0) exchangeParams[descriptor.id] = params;
  }
  const dataDir = env['TICKER_DECK_DATA_DIR'];
  const servers = (env['TICKER_DECK_NATS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const replicas = natsReplicas(env);
  return {
    dataDir: dataDir === undefined || dataDir === '' ? undefined : dataDir,
    exchangeParams,
    nats: servers.length === 0 ? undefined : { servers, ...(replicas === undefined ? {} : { replicas }) },
  };
}

/** `TICKER_DECK_NATS_REPLICAS`: copies of each recording kept on the cluster (1–5); undefined when unset. */
export function natsReplicas(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env['TICKER_DECK_NATS_REPLICAS'];
  if (text === undefined || text === '') return undefined;
  const replicas = Number(text);
  if (!(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5))
    throw new Error(`TICKER_DECK_NATS_REPLICAS must be a whole number from 1 to 5, not ${text}`);
  return replicas;
}

/** Where Electron would keep user data, for serve mode run without Electron. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ticker Deck');
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Ticker Deck');
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'Ticker Deck');
}
