// MarketHost: the service the Electron main process and serve mode share. It owns the
// ExchangeFactory and every collector, keeps the watchlist (persisted, restored at start),
// answers the UI's commands and feeds each UI client its own coalesced frame stream.

import { EventEmitter } from 'node:events';
import type { BaseDataCollector } from '../core/base-collector.js';
import type { CollectorStatus } from '../core/collector-status.js';
import type { CustomParams } from '../core/config.js';
import { ExchangeError, describeError } from '../core/errors.js';
import { getLogger, onFileLoggingStopped } from '../core/logger.js';
import { UI_TIMEFRAMES, missingPeriods, timeframeMs } from '../core/timeframes.js';
import type { Candle, DataType } from '../core/types.js';
import { ExchangeFactory } from '../exchanges/factory.js';
import type { ExchangeInfo, InstrumentCatalog, InstrumentInfo, MarketHistory } from '../exchanges/types.js';
import { instrumentLabel } from '../exchanges/info.js';
import { ClientStream, type ClientStreamOptions, type FrameSink } from './client-stream.js';
import { CANDLE_HISTORY, SymbolFeed } from './symbol-feed.js';
import type { FlowSeries } from './trade-flow.js';
import type { HostNotice, WatchlistEntry, WatchlistItem } from './frames.js';
import { HostError } from './host-error.js';
import { RecordingService } from './recording-service.js';
import type { ReplayCollector } from '../recording/replay.js';
import { WatchlistStore } from './watchlist-store.js';
import { WorkspaceService } from './workspace-service.js';
import { AlertService } from './alert-service.js';
import os from 'node:os';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { clusterWatchlist, putClusterEntry } from '../cluster/collector-node.js';
import { feedKey } from '../cluster/feed-leases.js';
import { NatsFeedCollector, natsTransport } from '../cluster/nats-feed-collector.js';
import { ClusterRecordings } from '../cluster/cluster-recordings.js';
import { requestHistory } from '../cluster/cluster-history.js';

const log = getLogger('host');

export { HostError, type HostErrorCode } from './host-error.js';
export type { HostNotice, WatchlistItem } from './frames.js';

export interface MarketHostOptions {
  /** Where the watchlist (and later recordings) live. */
  readonly dataDir: string;
  readonly factory?: ExchangeFactory;
  /** Per exchange, customParams merged into every collector (e.g. the demo's simulator URLs). */
  readonly exchangeParams?: Readonly<Record<string, CustomParams>>;
  readonly healthCheckInterval?: number;
  /** Most symbols collected at once. */
  readonly maxSymbols?: number;
  /** Candle timeframes collected for every symbol (those the exchange has). */
  readonly candleTimeframes?: readonly string[];
  /** A cluster of collector nodes to take feeds from (NATS server URLs); none: every feed is direct. */
  readonly nats?: { readonly servers: readonly string[]; readonly replicas?: number };
}

export { UI_TIMEFRAMES } from '../core/timeframes.js';

export interface HostEvents {
  watchlist: [items: WatchlistItem[]];
  /** The current notices (after one was added or dismissed). */
  notices: [notices: HostNotice[]];
}

/** How long adding a symbol waits for its collector to start before answering. */
const ADD_WAIT_MS = 5_000;

/** Most notices kept; older ones are dropped. */
const MAX_NOTICES = 30;

export class MarketHost extends EventEmitter<HostEvents> {
  private readonly factory: ExchangeFactory;
  private readonly store: WatchlistStore;
  private readonly feedsById = new Map<string, SymbolFeed>();
  private readonly entries = new Map<string, WatchlistEntry>();
  private readonly catalogs = new Map<string, Promise<InstrumentCatalog | undefined>>();
  private readonly loadedCatalogs = new Map<string, InstrumentCatalog>();
  private readonly histories = new Map<string, Promise<MarketHistory | undefined>>();
  private readonly candleCache = new Map<string, { readonly fetchedAt: number; readonly candles: Promise<Candle[]> }>();
  private readonly clients = new Set<ClientStream>();
  private readonly maxSymbols: number;
  private readonly replayFeeds = new Map<string, { feed: SymbolFeed; label: string }>();
  /** Ids being added right now: a second add of the same symbol is a duplicate at once. */
  private readonly adding = new Set<string>();
  private readonly noticeList: HostNotice[] = [];
  private readonly statusWatchers = new Map<string, () => void>();
  /** Exchanges that answered since the start, and those reported unreachable. */
  private readonly reached = new Set<string>();
  private readonly unreachable = new Set<string>();
  private nextNoticeId = 1;
  private closed = false;
  private readonly offLogStop: () => void;
  /** Recorded sessions: record, replay, export. */
  readonly recordings: RecordingService;
  /** The trader's layouts and their alerts. */
  readonly workspaces: WorkspaceService;
  /** The alerts of every workspace, run against the live feeds. */
  readonly alerts: AlertService;
  /** The connection to the cluster, once a feed needs it. */
  private cluster: Promise<{ nc: NatsConnection; watchlist: KV; recordings: ClusterRecordings }> | undefined;
  /** The watchlist as last told to the clients, by id (names and size terms for alerts). */
  private itemsById = new Map<string, WatchlistItem>();

  constructor(private readonly options: MarketHostOptions) {
    super();
    // One listener per event for every connected UI client (at most MAX_SESSIONS browser tabs).
    this.setMaxListeners(64);
    this.factory = options.factory ?? new ExchangeFactory();
    this.store = new WatchlistStore(options.dataDir);
    this.maxSymbols = options.maxSymbols ?? 50;
    this.recordings = new RecordingService(options.dataDir, {
      factory: this.factory,
      liveCollectors: () => [...this.feedsById.values()].map((f) => f.collector),
      addReplayFeeds: (collectors) => this.addReplayFeeds(collectors),
      removeReplayFeeds: (ids) => this.removeReplayFeeds(ids),
      notify: (level, message) => this.notify(level, message),
      ...((options.nats?.servers.length ?? 0) > 0 ? { clusterRecordings: () => this.clusterLink().then((c) => c.recordings) } : {}),
    });
    this.workspaces = new WorkspaceService(options.dataDir, (level, message) => this.notify(level, message));
    this.alerts = new AlertService((id) => this.itemsById.get(id));
    this.workspaces.on('workspaces', (state) => this.alerts.setAlerts(state));
    this.offLogStop = onFileLoggingStopped((message) => this.notify('warning', message));
  }

  /** Things the trader must know that belong to no single command (a full disk, a damaged file). */
  notices(): HostNotice[] {
    return [...this.noticeList];
  }

  notify(level: HostNotice['level'], message: string): void {
    const last = this.noticeList.at(-1);
    // The same message again (e.g. every save on a full disk) refreshes the notice instead of piling up.
    if (last !== undefined && last.message === message) this.noticeList.pop();
    this.noticeList.push({ id: this.nextNoticeId++, at: Date.now(), level, message });
    if (this.noticeList.length > MAX_NOTICES) this.noticeList.splice(0, this.noticeList.length - MAX_NOTICES);
    (level === 'error' ? log.error : log.warn).call(log, message);
    this.emit('notices', this.notices());
  }

  dismissNotice(id: number): void {
    const index = this.noticeList.findIndex((n) => n.id === id);
    if (index < 0) return;
    this.noticeList.splice(index, 1);
    this.emit('notices', this.notices());
  }

  /** Restores the saved watchlist and starts its collectors (failures show in their status). */
  async start(): Promise<void> {
    await this.recordings.load();
    await this.workspaces.load();
    this.alerts.setAlerts(this.workspaces.state());
    const loaded = await this.store.load((entry) => this.checkEntry(entry));
    for (const problem of loaded.problems) this.notify('warning', problem);
    const saved = loaded.entries;
    for (const entry of saved) {
      try {
        const collector = await this.createCollector(entry);
        this.track(entry, collector);
        collector.start().catch((error: unknown) => log.warn({ id: collector.id, err: describeError(error) }, 'collector did not start'));
      } catch (error) {
        log.error({ entry, err: describeError(error) }, 'watchlist entry skipped');
      }
    }
    this.emitWatchlist();
    // Tick sizes arrive with the instrument lists; tell the UI once they are known.
    const exchanges = new Set(saved.map((e) => e.exchange));
    void Promise.all(
      [...exchanges].map((exchange) =>
        this.catalog(exchange)
          .then((c) => c?.refresh())
          .catch(() => undefined),
      ),
    ).then(() => {
      if (!this.closed) this.emitWatchlist();
    });
  }

  watchlist(): WatchlistItem[] {
    const item = (id: string, entry: WatchlistEntry, replayOf?: string): WatchlistItem => {
      const instrument = this.loadedCatalogs.get(entry.exchange)?.check(entry.symbol);
      const info = instrument?.ok === true ? instrument.instrument : undefined;
      const venue = this.factory.isSupported(entry.exchange) ? this.factory.descriptor(entry.exchange).displayName : entry.exchange;
      return {
        id,
        ...entry,
        venue,
        label: info === undefined ? `${entry.symbol} · ${venue}` : instrumentLabel(info, venue),
        ...(info === undefined
          ? {}
          : { base: info.base, quote: info.quote, kind: info.kind, tickSize: info.tickSize, lotSize: info.lotSize, ...sizeUnitOf(info) }),
        ...(replayOf === undefined ? {} : { replayOf }),
      };
    };
    const live = [...this.entries].map(([id, entry]) => item(id, entry));
    const replays = [...this.replayFeeds].map(([id, { feed, label }]) => {
      const { exchange, symbol, dataTypes } = feed.collector.config;
      return item(id, { exchange, symbol, dataTypes }, label);
    });
    return [...live, ...replays];
  }

  listExchanges(): ExchangeInfo[] {
    return this.factory.listExchanges();
  }

  statuses(): CollectorStatus[] {
    return [...this.feeds()].map((feed) => feed.collector.getStatus());
  }

  /** Live feeds, then the feeds of a replay in progress. */
  *feeds(): Iterable<SymbolFeed> {
    yield* this.feedsById.values();
    for (const { feed } of this.replayFeeds.values()) yield feed;
  }

  /** Instruments of `exchange` matching `query`; empty when the exchange offers no list. */
  /**
   * Instruments matching `query` on one exchange, or on every registered one (`exchange`
   * undefined), best matches of each venue first. `listLoaded`: every list asked was fetched.
   */
  async searchInstruments(exchange: string | undefined, query: string, limit = 20): Promise<{ instruments: InstrumentInfo[]; listLoaded: boolean }> {
    const ids = exchange === undefined ? this.factory.listExchanges().map((e) => e.id) : [exchange];
    const found = await Promise.all(
      ids.map(async (id) => {
        const catalog = await this.catalog(id);
        if (catalog === undefined) return { instruments: [], loaded: false };
        await catalog.refresh();
        return { instruments: catalog.search(query, limit), loaded: catalog.loaded };
      }),
    );
    // Interleave the venues so each one's best matches come first.
    const merged: InstrumentInfo[] = [];
    for (let rank = 0; merged.length < limit && found.some((f) => rank < f.instruments.length); rank += 1) {
      for (const f of found) {
        const instrument = f.instruments[rank];
        if (instrument !== undefined && merged.length < limit) merged.push(instrument);
      }
    }
    return { instruments: merged, listLoaded: found.every((f) => f.loaded) };
  }

  /**
   * Validates and adds a symbol, starts its collector and saves the watchlist. A symbol the
   * exchange refuses (unknown instrument) is not added; an exchange that is merely unreachable
   * is (the collector keeps retrying and shows why).
   */
  async addSymbol(exchange: string, symbol: string, dataTypes: readonly DataType[], source: 'exchange' | 'nats' = 'exchange'): Promise<WatchlistItem> {
    const validation = this.factory.validateConfig(this.configInput({ exchange, symbol, dataTypes }));
    if (!validation.valid) {
      const first = validation.errors[0] ?? 'invalid symbol';
      throw new HostError('invalid', first.charAt(0).toUpperCase() + first.slice(1), validation.errors);
    }
    const descriptor = this.factory.descriptor(exchange);
    const normalized = descriptor.rules.normalizeSymbol(symbol);
    const id = `${descriptor.id}:${normalized}`;
    // Checked and reserved before the first await: two adds of one symbol cannot both pass.
    if (this.entries.has(id) || this.adding.has(id)) throw new HostError('duplicate', `${normalized} is already in the watchlist.`);
    if (this.entries.size + this.adding.size >= this.maxSymbols) throw new HostError('limit', `At most ${this.maxSymbols} symbols can be watched at once.`);
    this.adding.add(id);
    try {
      return await this.addReserved(id, descriptor.id, normalized, dataTypes, source);
    } finally {
      this.adding.delete(id);
    }
  }

  private async addReserved(
    id: string,
    exchange: string,
    normalized: string,
    dataTypes: readonly DataType[],
    source: 'exchange' | 'nats',
  ): Promise<WatchlistItem> {
    const catalog = await this.catalog(exchange);
    // A feed from the cluster: the nodes reach the exchange, this host need not.
    if (catalog !== undefined && source === 'exchange') {
      await catalog.refresh();
      const check = catalog.check(normalized);
      if (!check.ok) throw new HostError('invalid', check.reason, [check.reason]);
    }
    const entry: WatchlistEntry = { exchange, symbol: normalized, dataTypes: [...dataTypes], ...(source === 'nats' ? { source: 'nats' as const } : {}) };
    // On the cluster's watchlist: a node takes it up.
    if (source === 'nats') await putClusterEntry((await this.clusterLink()).watchlist, { exchange, symbol: normalized, dataTypes: [...dataTypes] });
    const collector = await this.createCollector(entry);
    this.track(entry, collector);
    // An unknown instrument is refused at once; an exchange that cannot be reached must not
    // keep the trader waiting: after a few seconds the symbol is added and keeps trying.
    const started = await Promise.race([
      collector.start().then(
        () => undefined,
        (error: unknown) => error,
      ),
      new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ADD_WAIT_MS).unref()),
    ]);
    if (started instanceof ExchangeError && !started.retryable) {
      this.untrack(id);
      await collector.stop();
      throw new HostError('exchange', started.message, [started.message]);
    }
    if (started !== undefined)
      log.warn({ id, err: started === 'pending' ? 'still connecting' : describeError(started) }, 'added symbol could not start yet; it keeps retrying');
    await this.persist();
    const added = this.watchlist().find((item) => item.id === id);
    if (added === undefined) throw new HostError('not_found', `${entry.symbol} was removed while it was being added.`);
    return added;
  }

  /** Stops the collector, frees everything it held and saves the watchlist. */
  async removeSymbol(id: string): Promise<void> {
    // A replay's feeds go together: removing one stops the replay and removes them all.
    if (this.replayFeeds.has(id)) {
      await this.recordings.stopReplay();
      return;
    }
    const feed = this.feed(id);
    const source = this.entries.get(id)?.source;
    this.untrack(id);
    await feed.collector.stop();
    // Off the cluster's watchlist too: its node stops collecting it.
    if (source === 'nats')
      await this.clusterLink().then(
        (cluster) => cluster.watchlist.delete(feedKey(id)),
        () => undefined,
      );
    feed.collector.removeAllListeners();
    await this.persist();
  }

  async startCollector(id: string): Promise<CollectorStatus> {
    const { collector } = this.feed(id);
    await collector.start().catch((error: unknown) => log.warn({ id, err: describeError(error) }, 'start failed'));
    return collector.getStatus();
  }

  async stopCollector(id: string): Promise<CollectorStatus> {
    const { collector } = this.feed(id);
    await collector.stop();
    return collector.getStatus();
  }

  async restartCollector(id: string): Promise<CollectorStatus> {
    const { collector } = this.feed(id);
    await collector.restart('requested by the user').catch((error: unknown) => log.warn({ id, err: describeError(error) }, 'restart failed'));
    return collector.getStatus();
  }

  /**
   * Candles of `timeframe` for a chart, oldest first, bounded: REST history merged with every
   * candle seen live (live wins for the same open time). When the two leave a hole (minutes
   * that passed while nothing was collected), the history is fetched again, at most every few
   * seconds. Every candle followed by a later one is closed; only the newest may be forming.
   */
  async candles(id: string, timeframe: string): Promise<Candle[]> {
    const feed = this.feed(id);
    let past = await this.candleHistory(id, feed, timeframe, false);
    let merged = mergeCandles(past, feed.candleHistory(timeframe));
    if (
      missingPeriods(
        merged.map((c) => c.openTime),
        timeframe,
      ) > 0
    ) {
      past = await this.candleHistory(id, feed, timeframe, true);
      merged = mergeCandles(past, feed.candleHistory(timeframe));
    }
    const kept = merged.slice(-CANDLE_HISTORY);
    const last = kept.length - 1;
    return kept.map((candle, i) => (i < last && !candle.closed ? { ...candle, closed: true } : candle));
  }

  private candleHistory(id: string, feed: SymbolFeed, timeframe: string, refresh: boolean): Promise<Candle[]> {
    const key = `${id}|${timeframe}`;
    const cached = this.candleCache.get(key);
    const span = timeframeMs(timeframe) ?? 60_000;
    // A cache younger than a few seconds (or than the timeframe) is as good as a new fetch.
    if (cached !== undefined && (!refresh || Date.now() - cached.fetchedAt < Math.min(5_000, span))) return cached.candles;
    const { exchange, symbol } = feed.collector.config;
    // A feed from the cluster gets its history through a node: this host may not reach the exchange.
    const fetched =
      this.entries.get(id)?.source === 'nats'
        ? this.clusterLink().then((cluster) => requestHistory(cluster.nc, { exchange, symbol, timeframe, limit: 300 }))
        : this.history(exchange).then((h) => h?.candles(symbol, timeframe, 300) ?? []);
    const candles = fetched.catch((error: unknown) => {
      log.warn({ id, timeframe, err: describeError(error) }, 'no candle history');
      this.candleCache.delete(key);
      return [];
    });
    this.candleCache.set(key, { fetchedAt: Date.now(), candles });
    return candles;
  }

  /** Starts a frame stream for one UI client; close it when the client goes away. */
  openClient(sink: FrameSink, options?: ClientStreamOptions): ClientStream {
    if (this.closed) throw new HostError('limit', 'the host is shutting down');
    const stream = new ClientStream({ feeds: () => this.feeds(), statuses: () => this.statuses() }, sink, options);
    this.clients.add(stream);
    return stream;
  }

  closeClient(stream: ClientStream): void {
    stream.close();
    this.clients.delete(stream);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Stops every collector and client stream. */
  async close(): Promise<void> {
    this.closed = true;
    this.offLogStop();
    this.alerts.close();
    await this.recordings.close();
    for (const client of this.clients) client.close();
    this.clients.clear();
    const feeds = [...this.feedsById.values()];
    this.feedsById.clear();
    await Promise.all(
      feeds.map(async (feed) => {
        feed.dispose();
        await feed.collector.stop();
      }),
    );
    for (const pending of this.catalogs.values()) (await pending)?.dispose();
    this.catalogs.clear();
    this.loadedCatalogs.clear();
    for (const pending of this.histories.values()) (await pending)?.dispose();
    this.histories.clear();
    this.candleCache.clear();
    // Last: the feeds taken from the cluster are stopped by now.
    const cluster = this.cluster;
    this.cluster = undefined;
    await cluster?.then((c) => c.nc.drain()).catch(() => undefined);
  }

  /** The cluster of collector nodes this host can take feeds from; null without --nats. */
  clusterInfo(): { servers: string[] } | null {
    const servers = this.options.nats?.servers;
    return servers === undefined || servers.length === 0 ? null : { servers: [...servers] };
  }

  /** A feed's taker buy/sell volume per period of `timeframe` (see trade-flow.ts). */
  flow(id: string, timeframe: string, from?: number): FlowSeries {
    return this.feed(id).flow.series(timeframe, from);
  }

  private feed(id: string): SymbolFeed {
    const feed = this.feedsById.get(id) ?? this.replayFeeds.get(id)?.feed;
    if (feed === undefined) throw new HostError('not_found', `${id} is not in the watchlist.`);
    return feed;
  }

  private configInput(entry: WatchlistEntry): Record<string, unknown> {
    const exchange = entry.exchange.trim().toLowerCase();
    const supported = this.factory.isSupported(exchange) ? this.factory.descriptor(exchange).rules.candleTimeframes : [];
    const timeframes = (this.options.candleTimeframes ?? UI_TIMEFRAMES).filter((t) => supported.includes(t));
    return {
      exchange,
      symbol: entry.symbol,
      dataTypes: entry.dataTypes,
      ...(this.options.healthCheckInterval === undefined ? {} : { healthCheckInterval: this.options.healthCheckInterval }),
      customParams: { ...(timeframes.length > 0 ? { candleTimeframes: timeframes } : {}), ...(this.options.exchangeParams?.[exchange] ?? {}) },
    };
  }

  private async createCollector(entry: WatchlistEntry): Promise<BaseDataCollector> {
    if (entry.source !== 'nats') return this.factory.createCollector(this.configInput(entry));
    const cluster = await this.clusterLink();
    // The feed's venue and symbol as a direct collector would have them, its data from the node.
    return new NatsFeedCollector(this.factory.resolveConfig(this.configInput(entry)), { transport: natsTransport(cluster.nc) });
  }

  /** The cluster connection, opened once; a host started without --nats has none. */
  private clusterLink(): Promise<{ nc: NatsConnection; watchlist: KV; recordings: ClusterRecordings }> {
    const servers = this.options.nats?.servers;
    if (servers === undefined || servers.length === 0) {
      return Promise.reject(
        new HostError('unsupported', 'This host is not connected to a cluster: start it with --nats nats://HOST:4222 to take feeds from collector nodes.'),
      );
    }
    this.cluster ??= (async () => {
      // Waits for a server that is not up yet, and reconnects for ever: nodes and servers come and go.
      const nc = await connect({
        servers: [...servers],
        name: `ticker-deck-host-${process.pid}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        waitOnFirstConnect: true,
      });
      return {
        nc,
        watchlist: await clusterWatchlist(nc),
        recordings: await ClusterRecordings.open(nc, { host: os.hostname(), replicas: this.options.nats?.replicas ?? 1 }),
      };
    })();
    this.cluster.catch(() => {
      this.cluster = undefined;
    });
    return this.cluster;
  }

  private track(entry: WatchlistEntry, collector: BaseDataCollector): void {
    this.entries.set(collector.id, {
      exchange: collector.config.exchange,
      symbol: collector.config.symbol,
      dataTypes: entry.dataTypes,
      ...(entry.source === 'nats' ? { source: 'nats' as const } : {}),
    });
    this.feedsById.set(collector.id, new SymbolFeed(collector));
    const onStatus = (status: CollectorStatus): void => this.checkReachable(status);
    collector.on('status', onStatus);
    this.statusWatchers.set(collector.id, () => collector.off('status', onStatus));
    this.recordings.attach(collector);
    this.alerts.attach(collector.id, collector);
    this.emitWatchlist();
  }

  /**
   * An exchange that has not answered once since the start and whose connection fails is
   * unreachable (offline, blocked): say so plainly, once, with the way to see the app anyway.
   */
  private checkReachable(status: CollectorStatus): void {
    if (this.closed) return;
    const exchange = status.exchange;
    const name = this.factory.isSupported(exchange) ? this.factory.descriptor(exchange).displayName : exchange;
    if (status.status === 'running') {
      this.reached.add(exchange);
      if (this.unreachable.delete(exchange)) this.notify('info', `${name} can be reached again.`);
      return;
    }
    const last = status.errors.at(-1);
    if (this.reached.has(exchange) || this.unreachable.has(exchange) || last?.kind !== 'ExchangeConnectionError') return;
    this.unreachable.add(exchange);
    const reason = last.message.replace(/^[\w/]+: /, '').replace(/; reconnecting in \d+ ms$/, '');
    this.notify(
      'error',
      `${name} cannot be reached from this machine: ${reason}. The app keeps trying. To see it working without a connection, run \`npm run demo\`: it simulates ${name} on this machine.`,
    );
  }

  private addReplayFeeds(collectors: readonly ReplayCollector[]): void {
    const label = this.recordings.replay()?.sessionName ?? 'replay';
    for (const collector of collectors) this.replayFeeds.set(collector.id, { feed: new SymbolFeed(collector), label });
    this.emitWatchlist();
  }

  private removeReplayFeeds(ids: readonly string[]): void {
    for (const id of ids) {
      const replay = this.replayFeeds.get(id);
      replay?.feed.dispose();
      replay?.feed.collector.removeAllListeners();
      this.replayFeeds.delete(id);
    }
    this.emitWatchlist();
  }

  private untrack(id: string): void {
    this.statusWatchers.get(id)?.();
    this.statusWatchers.delete(id);
    this.recordings.detach(id);
    this.alerts.detach(id);
    this.feedsById.get(id)?.dispose();
    this.feedsById.delete(id);
    this.entries.delete(id);
    this.emitWatchlist();
  }

  private emitWatchlist(): void {
    const items = this.watchlist();
    this.itemsById = new Map(items.map((item) => [item.id, item]));
    this.emit('watchlist', items);
  }

  /**
   * Saves the watchlist as it is when the write runs. A failure (a full disk) is a notice, not a
   * failed command: the change is in effect and is saved by the next successful write.
   */
  private async persist(): Promise<void> {
    try {
      await this.store.save(() => [...this.entries.values()]);
    } catch (error) {
      this.notify('error', `${describeError(error)} The watchlist change is in effect but not saved yet.`);
    }
  }

  /** A saved entry as the factory sees it: its canonical id, or why it cannot be collected. */
  private checkEntry(entry: WatchlistEntry): { id: string; entry: WatchlistEntry } | { problem: string } {
    const validation = this.factory.validateConfig(this.configInput(entry));
    if (!validation.valid) return { problem: validation.errors.join('; ') };
    const descriptor = this.factory.descriptor(entry.exchange);
    const symbol = descriptor.rules.normalizeSymbol(entry.symbol);
    return {
      id: `${descriptor.id}:${symbol}`,
      entry: { exchange: descriptor.id, symbol, dataTypes: entry.dataTypes, ...(entry.source === 'nats' ? { source: 'nats' as const } : {}) },
    };
  }

  private catalog(exchange: string): Promise<InstrumentCatalog | undefined> {
    const id = exchange.trim().toLowerCase();
    let pending = this.catalogs.get(id);
    if (pending === undefined) {
      const descriptor = this.factory.descriptor(id);
      const restUrl = this.options.exchangeParams?.[id]?.restUrl;
      pending = (descriptor.loadInstrumentCatalog?.(restUrl) ?? Promise.resolve(undefined)).then((catalog) => {
        if (catalog !== undefined) this.loadedCatalogs.set(id, catalog);
        return catalog;
      });
      this.catalogs.set(id, pending);
    }
    return pending;
  }

  private history(exchange: string): Promise<MarketHistory | undefined> {
    let pending = this.histories.get(exchange);
    if (pending === undefined) {
      const restUrl = this.options.exchangeParams?.[exchange]?.restUrl;
      pending = this.factory.descriptor(exchange).loadMarketHistory?.(restUrl) ?? Promise.resolve(undefined);
      this.histories.set(exchange, pending);
    }
    return pending;
  }
}

/** History and live candles by open time, live winning, oldest first. */
function mergeCandles(past: readonly Candle[], live: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const candle of past) byTime.set(candle.openTime, candle);
  for (const candle of live) byTime.set(candle.openTime, candle);
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}

/** How sizes of an instrument are counted, for the UI's column headers. */
function sizeUnitOf(info: InstrumentInfo): { sizeUnit: string; contractValue?: string; contractUnit?: string } {
  // No contract, or one of exactly one base unit (Binance USDⓈ-M): sizes are in the base asset.
  if (info.contractSize === undefined || (Number(info.contractSize) === 1 && (info.contractUnit === undefined || info.contractUnit === info.base)))
    return { sizeUnit: info.base };
  return { sizeUnit: 'cont', contractValue: info.contractSize, ...(info.contractUnit === undefined ? {} : { contractUnit: info.contractUnit }) };
}
