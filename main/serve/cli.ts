// `npm run serve`: the host and the UI in one Node process, for a browser on this machine
// (or, with --host and --token, elsewhere). Flags: --port N (default 8787), --host ADDR
// (default 127.0.0.1), --token T, --data-dir DIR, --static DIR (the built renderer), --nats URL
// (a cluster of collector nodes to take feeds from; repeat for several servers).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError } from '../../app/core/errors.js';
import { enableFileLogging, flushLogs, getLogger, setConsoleLevel } from '../../app/core/logger.js';
import { MarketHost } from '../../app/host/market-host.js';
import { defaultDataDir, hostEnvironment, natsReplicas } from '../host-options.js';
import { startServeServer, type ServeServer } from './server.js';

const log = getLogger('serve');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServeCliOptions {
  readonly port: number;
  readonly bindAddress: string;
  readonly token: string | undefined;
  readonly dataDir: string;
  readonly staticDir: string;
  /** NATS servers of a cluster of collector nodes to take feeds from (none: every feed direct). */
  readonly nats: readonly string[];
  /** Copies of each recording kept on the cluster (TICKER_DECK_NATS_REPLICAS). */
  readonly natsReplicas?: number;
}

export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
      static: { type: 'string' },
      nats: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port ?? env['TICKER_DECK_PORT'] ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port ?? ''}`);
  return {
    port,
    bindAddress: values.host ?? '127.0.0.1',
    token: values.token ?? env['TICKER_DECK_TOKEN'],
    dataDir: values['data-dir'] ?? hostEnvironment(env).dataDir ?? defaultDataDir(),
    staticDir: values.static ?? path.join(root, 'out', 'renderer'),
    nats: values.nats ?? hostEnvironment(env).nats?.servers ?? [],
    ...replicasOf(env),
  };
}

function replicasOf(env: NodeJS.ProcessEnv): { natsReplicas?: number } {
  const replicas = natsReplicas(env);
  return replicas === undefined ? {} : { natsReplicas: replicas };
}

/** Starts host and server; resolves with a function that shuts both down. */
export async function runServe(options: ServeCliOptions): Promise<{ server: ServeServer; host: MarketHost; stop: () => Promise<void> }> {
  const logProblem = await enableFileLogging(path.join(options.dataDir, 'logs')).then(
    () => undefined,
    (error: unknown) => `Logging to ${path.join(options.dataDir, 'logs')} is off: ${describeError(error)}. Logs go to the terminal only.`,
  );
  const host = new MarketHost({
    dataDir: options.dataDir,
    exchangeParams: hostEnvironment().exchangeParams,
    ...(options.nats.length === 0
      ? {}
      : { nats: { servers: options.nats, ...(options.natsReplicas === undefined ? {} : { replicas: options.natsReplicas }) } }),
  });
  if (logProblem !== undefined) host.notify('warning', logProblem);
  await host.start();
  const server = await startServeServer({
    host,
    staticDir: options.staticDir,
    port: options.port,
    bindAddress: options.bindAddress,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  return {
    server,
    host,
    stop: async () => {
      await server.close();
      await host.close();
      flushLogs();
    },
  };
}

async function main(): Promise<void> {
  // The terminal shows the URL and what needs attention; everything else goes to the log file.
  const chosen = process.env['TICKER_DECK_LOG_LEVEL'] ?? process.env['LOG_LEVEL'];
  if (chosen === undefined) setConsoleLevel('warn');
  const options = parseServeArgs(process.argv.slice(2));
  const { server, stop } = await runServe(options);
  process.stdout.write(`Ticker Deck is running at ${server.url}  (data: ${options.dataDir}; Ctrl+C stops)\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  keepRunningOnStrayErrors();
}

/**
 * A promise rejected with no handler anywhere, or a callback that throws, is a bug; it is
 * logged loudly, but a market monitor that watches 20 feeds must not end for it.
 */
export function keepRunningOnStrayErrors(): void {
  process.on('unhandledRejection', (reason) => log.error({ err: describeError(reason) }, 'unhandled promise rejection (a bug; the app keeps running)'));
  process.on('uncaughtException', (error) => log.error({ err: describeError(error), stack: error.stack }, 'uncaught exception (a bug; the app keeps running)'));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    log.fatal({ err: describeError(error) }, 'serve mode could not start');
    process.stderr.write(`Ticker Deck could not start: ${describeError(error)}\n`);
    process.exit(1);
  });
}
