#!/usr/bin/env node
// `npm start` (and `npm run demo` with --demo): builds, then launches the desktop app.
// Electron 42+ fetches its binary on first launch; when that cannot work (offline, or no
// display to show a window on) this says why in one line and starts serve mode instead,
// printing the URL to open in a browser. --demo first starts the loopback simulators of every
// venue (OKX, Binance, Bybit, Coinbase, Kraken) and points the host at them, so live data flows
// without any network.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const demo = args.includes('--demo');
const forceServe = args.includes('--serve');
const passThrough = args.filter((a) => a !== '--demo' && a !== '--serve');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const children = [];

function say(line) {
  process.stdout.write(`${line}\n`);
}

function build() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say('Ticker Deck: the build failed (see above).');
    process.exit(1);
  }
}

function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const full = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(full) ? full : undefined;
}

/** The reason the desktop app cannot run here, or undefined when it can. */
function whyNoElectron() {
  if (forceServe) return 'serve mode requested';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display ($DISPLAY is not set)';
  if (electronBinary() !== undefined) return undefined;
  const install = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (install.status === 0 && electronBinary() !== undefined) return undefined;
  const detail = `${install.stderr ?? ''}`.match(/(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|HTTPError[^\n]*)/)?.[1];
  return `the Electron binary could not be downloaded (${detail ?? 'offline?'})`;
}

/** Starts one simulator and resolves with the groups its ready line matched. */
function startSimulator(script, pattern, name) {
  return new Promise((resolve, reject) => {
    const sim = spawn(bin('tsx'), [path.join(root, script)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(sim);
    let buffered = '';
    sim.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const match = pattern.exec(buffered);
      if (match) resolve(match);
    });
    sim.on('exit', (code) => reject(new Error(`the ${name} simulator exited (${code})`)));
  });
}

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  child.on('exit', (code) => {
    for (const other of children) if (other !== child) other.kill('SIGTERM');
    process.exit(code ?? 0);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

build();
const env = {};
if (demo) {
  // Every venue of the registry runs as a simulator on this machine.
  const [okx, binance, bybit, coinbase, kraken] = await Promise.all([
    startSimulator('test/sim/okx/cli.ts', /ws (\S+) rest (\S+)/, 'OKX'),
    startSimulator('test/sim/binance/cli.ts', /spot (\S+) futures (\S+) rest (\S+)/, 'Binance'),
    startSimulator('test/sim/bybit/cli.ts', /ws (\S+) rest (\S+)/, 'Bybit'),
    startSimulator('test/sim/coinbase/cli.ts', /ws (\S+) rest (\S+)/, 'Coinbase'),
    startSimulator('test/sim/kraken/cli.ts', /ws (\S+) rest (\S+)/, 'Kraken'),
  ]);
  env.TICKER_DECK_OKX_WS_URL = okx[1];
  env.TICKER_DECK_OKX_REST_URL = okx[2];
  env.TICKER_DECK_BINANCE_WS_URL = binance[1];
  env.TICKER_DECK_BINANCE_FUTURES_WS_URL = binance[2];
  env.TICKER_DECK_BINANCE_REST_URL = binance[3];
  env.TICKER_DECK_BINANCE_FUTURES_REST_URL = binance[3];
  for (const prefix of ['TICKER_DECK_BYBIT', 'TICKER_DECK_BYBIT_SPOT']) {
    env[`${prefix}_WS_URL`] = bybit[1];
    env[`${prefix}_REST_URL`] = bybit[2];
  }
  env.TICKER_DECK_COINBASE_WS_URL = coinbase[1];
  env.TICKER_DECK_COINBASE_REST_URL = coinbase[2];
  env.TICKER_DECK_KRAKEN_WS_URL = kraken[1];
  env.TICKER_DECK_KRAKEN_REST_URL = kraken[2];
  // The demo keeps its watchlist apart from the real one unless told otherwise.
  env.TICKER_DECK_DATA_DIR = process.env.TICKER_DECK_DATA_DIR ?? path.join(os.tmpdir(), 'ticker-deck-demo');
  say(`Demo: all five venues (OKX, Binance, Bybit, Coinbase, Kraken) are simulated on this machine; nothing goes to the internet.`);
}
const reason = whyNoElectron();
if (reason === undefined) {
  run(electronBinary(), [root, ...passThrough], env);
} else {
  say(`Ticker Deck: cannot open the desktop window: ${reason}. Starting the browser version instead.`);
  run(bin('tsx'), [path.join(root, 'main/serve/cli.ts'), ...passThrough], env);
}
