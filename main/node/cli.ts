// `npm run node -- --nats nats://HOST:4222 [--name NAME]`: a headless collector node. It joins
// the cluster on that NATS server (JetStream on), collects the cluster watchlist's feeds it is
// given by the leases, and publishes them (see app/cluster/). Endpoints per venue come from the
// environment as for the app (`TICKER_DECK_<VENUE>_WS_URL` …). Stops cleanly on SIGINT or
// SIGTERM, handing its feeds to the other nodes at once.

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CollectorNode } from '../../app/cluster/collector-node.js';
import { describeError } from '../../app/core/errors.js';
import { flushLogs, getLogger } from '../../app/core/logger.js';
import { hostEnvironment } from '../host-options.js';

const log = getLogger('node');

export interface NodeCliOptions {
  readonly servers: string[];
  readonly name: string | undefined;
}

export function parseNodeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): NodeCliOptions {
  const { values } = parseArgs({ args: [...argv], options: { nats: { type: 'string', multiple: true }, name: { type: 'string' } }, strict: true });
  const servers = (values.nats ?? (env['TICKER_DECK_NATS'] ?? '').split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw new Error('Say which NATS server to join: --nats nats://HOST:4222 (several: repeat --nats).');
  for (const server of servers)
    if (!/^(nats|tls|wss?):\/\/[^\s]+$/.test(server)) throw new Error(`--nats must be a NATS URL such as nats://127.0.0.1:4222, not ${server}`);
  return { servers, name: values.name };
}

async function main(): Promise<void> {
  const options = parseNodeArgs(process.argv.slice(2));
  const node = await CollectorNode.start({
    servers: options.servers,
    ...(options.name === undefined ? {} : { name: options.name }),
    exchangeParams: hostEnvironment().exchangeParams,
  });
  const stop = (): void => {
    node
      .close()
      .catch((error: unknown) => log.error({ err: describeError(error) }, 'shutdown failed'))
      .finally(() => {
        flushLogs();
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    log.fatal({ err: describeError(error) }, 'collector node could not start');
    flushLogs();
    process.exit(1);
  });
}
