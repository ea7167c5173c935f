// CollectorNode: a headless collector on NATS. The cluster's watchlist is a JetStream
// key-value bucket (feed id → exchange, symbol, data types) that hosts write; every node
// watches it, the feed leases decide which node collects which feed, and a node collects the
// feeds it holds through the same exchange factory and collectors as the desktop app,
// publishing them (NodePublisher). A feed it stops holding is stopped at once.

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import os from 'node:os';
import { z } from 'zod';
import type { BaseDataCollector } from '../core/base-collector.js';
import type { CustomParams } from '../core/config.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { DATA_TYPES } from '../core/types.js';
import { ExchangeFactory } from '../exchanges/factory.js';
import { FeedLeases, feedKey, feedOfKey, openBucket, type LeaseOptions } from './feed-leases.js';
import { NodePublisher } from './node-publisher.js';
import { CHECKPOINT_REQUEST } from './subjects.js';
import { serveHistory } from './cluster-history.js';
import type { MarketHistory } from '../exchanges/types.js';

const log = getLogger('cluster');

export const WATCHLIST_BUCKET = 'td-watchlist';

/** A cluster watchlist entry as stored (and checked when read: other hosts write it). */
export const clusterEntrySchema = z.strictObject({
  exchange: z.string().min(1).max(32),
  symbol: z.string().min(1).max(64),
  dataTypes: z.array(z.enum(DATA_TYPES)).min(1).max(DATA_TYPES.length),
});
export type ClusterEntry = z.infer<typeof clusterEntrySchema>;

export interface CollectorNodeOptions {
  readonly servers: string | string[];
  /** This node's name in the cluster (default: host name and process id). */
  readonly name?: string;
  readonly exchangeParams?: Readonly<Record<string, CustomParams>>;
  readonly leases?: LeaseOptions;
  readonly watchlistBucket?: string;
  /** How often each book goes out as a checkpoint for recordings (default every minute). */
  readonly checkpointEveryMs?: number;
}

/** Opens (or creates) the cluster watchlist bucket. */
export async function clusterWatchlist(nc: NatsConnection, bucket = WATCHLIST_BUCKET): Promise<KV> {
  return openBucket(new Kvm(nc), bucket, { history: 1 });
}

/** Adds (or replaces) a feed on the cluster's watchlist; its id is `exchange:symbol`. */
export async function putClusterEntry(kv: KV, entry: ClusterEntry): Promise<string> {
  const id = `${entry.exchange}:${entry.symbol}`;
  await kv.put(feedKey(id), JSON.stringify(clusterEntrySchema.parse(entry)));
  return id;
}

export class CollectorNode {
  private readonly collecting = new Map<string, { collector: BaseDataCollector; publisher: NodePublisher }>();
  private readonly entries = new Map<string, ClusterEntry>();
  private readonly factory = new ExchangeFactory();
  private stopWatching: (() => void) | undefined;
  private readonly offs: (() => void)[] = [];
  private readonly histories = new Map<string, Promise<MarketHistory | undefined>>();
  private closed = false;

  private constructor(
    readonly name: string,
    readonly nc: NatsConnection,
    private readonly leases: FeedLeases,
    private readonly options: CollectorNodeOptions,
  ) {}

  static async start(options: CollectorNodeOptions): Promise<CollectorNode> {
    const name = options.name ?? `${os.hostname()}-${process.pid}`;
    // Reconnects for ever: a restarted server is survived.
    const nc = await connect({ servers: options.servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const leases = await FeedLeases.open(nc, name, options.leases);
    const node = new CollectorNode(name, nc, leases, options);
    leases.on('acquired', (feed) => void node.collect(feed));
    leases.on('released', (feed) => void node.drop(feed));
    await node.watchWatchlist();
    // A recording starting on the cluster asks for every book as it stands now.
    const checkpoints = nc.subscribe(CHECKPOINT_REQUEST, {
      callback: (error) => {
        if (error === null) for (const { publisher } of node.collecting.values()) publisher.checkpoint();
      },
    });
    node.offs.push(() => checkpoints.unsubscribe());
    // Candle history for hosts that take feeds from the cluster (they may not reach the exchange).
    const history = serveHistory(nc, (exchange) => node.history(exchange));
    node.offs.push(() => history.unsubscribe());
    log.info({ node: name }, 'collector node started');
    return node;
  }

  /** The feeds this node collects now. */
  feeds(): string[] {
    return [...this.collecting.keys()].sort();
  }

  /** A feed's collector and publisher on this node (diagnostics and tests). */
  held(feed: string): { readonly collector: BaseDataCollector; readonly publisher: NodePublisher } | undefined {
    return this.collecting.get(feed);
  }

  private async watchWatchlist(): Promise<void> {
    const kv = await clusterWatchlist(this.nc, this.options.watchlistBucket);
    const watch = await kv.watch();
    this.stopWatching = () => watch.stop();
    void (async () => {
      for await (const entry of watch) {
        const feed = feedOfKey(entry.key);
        if (entry.operation !== 'PUT') this.entries.delete(feed);
        else {
          const parsed = clusterEntrySchema.safeParse(safeJson(entry.string()));
          if (parsed.success) this.entries.set(feed, parsed.data);
          else log.warn({ feed }, 'cluster watchlist entry unreadable; left out');
        }
        this.leases.want(this.entries.keys());
      }
    })().catch((error: unknown) => log.warn({ node: this.name, err: describeError(error) }, 'cluster watchlist watch ended'));
  }

  private async collect(feed: string): Promise<void> {
    const entry = this.entries.get(feed);
    if (entry === undefined || this.collecting.has(feed) || this.closed) return;
    try {
      const collector = await this.factory.createCollector({
        exchange: entry.exchange,
        symbol: entry.symbol,
        dataTypes: entry.dataTypes,
        storeRawData: true,
        customParams: { ...(this.options.exchangeParams?.[entry.exchange] ?? {}) },
      });
      const publisher = new NodePublisher(this.nc, this.name, feed, collector, this.options.checkpointEveryMs);
      this.collecting.set(feed, { collector, publisher });
      await collector.start();
      log.info({ node: this.name, feed }, 'collecting');
    } catch (error) {
      log.error({ node: this.name, feed, err: describeError(error) }, 'could not collect');
    }
  }

  private async drop(feed: string): Promise<void> {
    const held = this.collecting.get(feed);
    if (held === undefined) return;
    this.collecting.delete(feed);
    held.publisher.close();
    await held.collector.stop().catch(() => undefined);
    log.info({ node: this.name, feed }, 'no longer collecting');
  }

  /** A venue's REST candle history, made once. */
  private history(exchange: string): Promise<MarketHistory | undefined> {
    let pending = this.histories.get(exchange);
    if (pending === undefined) {
      const restUrl = this.options.exchangeParams?.[exchange]?.restUrl;
      pending = Promise.resolve()
        .then(() => this.factory.descriptor(exchange).loadMarketHistory?.(typeof restUrl === 'string' ? restUrl : undefined))
        .catch((error: unknown) => {
          this.histories.delete(exchange);
          throw error;
        });
      this.histories.set(exchange, pending);
    }
    return pending;
  }

  /** Stops collecting, hands every feed over at once, and leaves the cluster. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching?.();
    for (const off of this.offs.splice(0)) off();
    for (const pending of this.histories.values()) (await pending.catch(() => undefined))?.dispose();
    this.histories.clear();
    for (const feed of [...this.collecting.keys()]) await this.drop(feed);
    await this.leases.close();
    await this.nc.drain().catch(() => undefined);
  }
}

/** The value of a JSON text, undefined when it is not JSON (entries other machines wrote). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
