// What every exchange folder provides to the registry: a static descriptor (cheap to import:
// names, rules, endpoints) and a lazily loaded collector class.

import type { BaseDataCollector, CollectorOptions } from '../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../core/config.js';
import type { OrderBook } from '../book/order-book.js';
import type { BookStatus } from '../core/collector-status.js';
import type { BookSnapshot, Candle, DataType, MarketEvent } from '../core/types.js';
import type { InstrumentInfo, SymbolCheck } from './info.js';

export type { ExchangeInfo, InstrumentInfo, SymbolCheck } from './info.js';

export type CollectorConstructor = new (config: ExchangeCollectorConfig, options?: CollectorOptions) => BaseDataCollector;

export interface ExchangeRules {
  /** Instrument ids this exchange accepts, after normalization. */
  readonly symbolPattern: RegExp;
  /** Shown to the trader when a symbol does not match. */
  readonly symbolHint: string;
  /** Canonical spelling of a symbol the user typed (e.g. upper case). */
  normalizeSymbol(symbol: string): string;
  /** Candle timeframes in our labels (`1m`, `1H`, `1D` …). */
  readonly candleTimeframes: readonly string[];
  readonly defaultCandleTimeframes: readonly string[];
  /** Order-book depths (levels per side) the exchange can stream; empty: it streams the whole book. */
  readonly bookDepths: readonly number[];
  readonly defaultBookDepth: number;
}

/** An exchange's instrument list, fetched and cached, for symbol validation and search. */
export interface InstrumentCatalog {
  /** True once a list was fetched; before that only the symbol pattern is checked. */
  readonly loaded: boolean;
  /** Why the last fetch failed, if it did. */
  readonly error: string | undefined;
  refresh(force?: boolean): Promise<void>;
  check(symbol: string): SymbolCheck;
  search(query: string, limit?: number): InstrumentInfo[];
  dispose(): void;
}

export type BookProblem = 'gap' | 'checksum' | 'malformed';

/** Where a venue's feed processor sends what it reads (the live collector, or a replay). */
export interface FeedSink {
  publish(event: MarketEvent): void;
  /** Something could not be read; the stream goes on. */
  problem(error: unknown): void;
  /** The book cannot be trusted any more: it must be rebuilt from a fresh snapshot. */
  bookBroken(kind: BookProblem | 'unreadable', reason: string): void;
  /** Updates are waiting for a snapshot (the live collector may fetch one over REST). */
  awaitingSnapshot(): void;
  /** A documented sequence reset happened (not an error). */
  sequenceReset(from: number, to: number): void;
  /** A book message that changed nothing arrived (keep-alive, buffered, already applied): a sign of life. */
  bookAlive(receivedAt: number): void;
}

/** What a replayed feed reports back. */
export interface ReplaySink {
  publish(event: MarketEvent): void;
  problem(error: unknown): void;
  /** The replay's clock (recorded time): the replayed book's change times are in it. */
  now(): number;
}

/** Replays one recorded feed's raw frames through the exchange's own parsers and book engine. */
export interface FeedReplayer {
  handleFrame(stream: string, text: string, receivedAt: number): void;
  /** The book as recorded when the recording began. */
  seed(snapshot: BookSnapshot): void;
  /** A book the live collector took from REST (venues without snapshots on the stream). */
  restSnapshot?(snapshot: BookSnapshot): void;
  getBook(): OrderBook | undefined;
  /** Levels that may be shown: valid, or stale and labelled so. */
  getDisplayBook(): OrderBook | undefined;
  bookStatus(): BookStatus | null;
}

/** Past market data over REST, to fill charts before live data accumulates. */
export interface MarketHistory {
  /** Recent candles of `timeframe`, oldest first. */
  candles(symbol: string, timeframe: string, limit?: number): Promise<Candle[]>;
  dispose(): void;
}

/** What a venue guarantees about a stream's silence (its liveness cap). */
export interface StreamGuarantee {
  /** Beyond this silence the stream is stale whatever its cadence (e.g. OKX books: keep-alive every ~60 s). */
  readonly maxSilenceMs: number;
}

export interface ExchangeDescriptor {
  /** Registry id, lower case. */
  readonly id: string;
  readonly displayName: string;
  /** Pairs offered by default (favourites) in the UI. */
  readonly defaultPairs: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly rules: ExchangeRules;
  /** Per data type, what the venue guarantees about silence. */
  readonly streamGuarantees?: Partial<Record<DataType, StreamGuarantee>>;
  /** Production endpoints; `customParams.wsUrl` / `restUrl` replace them. */
  readonly endpoints: { readonly wsUrl: string; readonly restUrl: string };
  loadCollector(): Promise<CollectorConstructor>;
  /** The instrument list over REST (`restUrl` replaces the production endpoint). */
  loadInstrumentCatalog?(restUrl?: string): Promise<InstrumentCatalog>;
  /** Candle history over REST (`restUrl` replaces the production endpoint). */
  loadMarketHistory?(restUrl?: string): Promise<MarketHistory>;
  /** Replay of recorded raw frames for one symbol. */
  loadReplayer?(symbol: string, dataTypes: readonly DataType[], sink: ReplaySink): Promise<FeedReplayer>;
  /** Environment variables naming this venue's endpoints (`TICKER_DECK_<VENUE>_WS_URL` …). */
  readonly envPrefix?: string;
}
