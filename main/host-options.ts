// Host settings from the environment, shared by the Electron main process and serve mode.
// The demo uses them to point OKX at the loopback simulator.

import os from 'node:os';
import path from 'node:path';
import type { CustomParams } from '../app/core/config.js';

export interface HostEnvironment {
  readonly dataDir: string | undefined;
  readonly exchangeParams: Record<string, CustomParams>;
}

export function hostEnvironment(env: NodeJS.ProcessEnv = process.env): HostEnvironment {
  const okx: { wsUrl?: string; restUrl?: string } = {};
  const wsUrl = env['TICKER_DECK_OKX_WS_URL'];
  const restUrl = env['TICKER_DECK_OKX_REST_URL'];
  if (wsUrl !== undefined && wsUrl !== '') okx.wsUrl = wsUrl;
  if (restUrl !== undefined && restUrl !== '') okx.restUrl = restUrl;
  const dataDir = env['TICKER_DECK_DATA_DIR'];
  return {
    dataDir: dataDir === undefined || dataDir === '' ? undefined : dataDir,
    exchangeParams: Object.keys(okx).length === 0 ? {} : { okx },
  };
}

/** Where Electron would keep user data, for serve mode run without Electron. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ticker Deck');
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Ticker Deck');
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'Ticker Deck');
}
