// NatsFeedCollector: a feed taken from the cluster instead of the exchange. It reads what a
// collector node publishes (app/cluster/node-publisher.ts) and is, for the rest of the host, a
// collector like any other. The book is rebuilt from the node's snapshot plus its updates with
// the same care as a direct feed: updates are buffered until a snapshot arrives, then applied
// in sequence; a sequence number skipped, or another node taking the feed over, makes the book
// invalid and asks the node for a new snapshot (said in the status, never silent). Skipped
// trades are reported as such. Every message is checked before use: it crossed the network.

import type { NatsConnection } from '@nats-io/transport-node';
import type { BookStatus } from '../core/collector-status.js';
import { BaseDataCollector, type CollectorOptions } from '../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../core/config.js';
import { ExchangeProtocolError } from '../core/errors.js';
import type { MarketEvent } from '../core/types.js';
import { OrderBook } from '../book/order-book.js';
import { feedWildcard, snapshotSubject, STREAMS, type FeedStream } from './subjects.js';
import type { FeedMessage, SnapshotMessage } from './node-publisher.js';

/** What the collector needs of NATS (a connection, or a fake in tests). */
export interface FeedTransport {
  subscribe(subject: string, onMessage: (subject: string, text: string) => void): () => void;
  request(subject: string, timeoutMs: number): Promise<string>;
}

/** The transport over a NATS connection. */
export function natsTransport(nc: NatsConnection): FeedTransport {
  const decoder = new TextDecoder();
  return {
    subscribe: (subject, onMessage) => {
      const subscription = nc.subscribe(subject, {
        callback: (error, message) => {
          if (error === null) onMessage(message.subject, decoder.decode(message.data));
        },
      });
      return () => subscription.unsubscribe();
    },
    request: async (subject, timeoutMs) => decoder.decode((await nc.request(subject, undefined, { timeout: timeoutMs })).data),
  };
}

export interface NatsFeedOptions extends CollectorOptions {
  readonly transport: FeedTransport;
}

/** Updates kept while waiting for a snapshot; more means the snapshot is asked again. */
const MAX_BUFFERED = 20_000;
const SNAPSHOT_TIMEOUT_MS = 5_000;
/** A node that has not said how it is for this long is reported silent. */
const NODE_SILENT_MS = 3_500;
const DECIMAL = /^\d+(\.\d+)?(e[+-]?\d+)?$/i;

type LevelText = { readonly priceStr: string; readonly sizeStr: string };

function levels(value: unknown): LevelText[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: LevelText[] = [];
  for (const level of value as unknown[]) {
    const l = level as { priceStr?: unknown; sizeStr?: unknown } | null;
    if (
      typeof l !== 'object' ||
      l === null ||
      typeof l.priceStr !== 'string' ||
      typeof l.sizeStr !== 'string' ||
      !DECIMAL.test(l.priceStr) ||
      !DECIMAL.test(l.sizeStr)
    )
      return undefined;
    out.push({ priceStr: l.priceStr, sizeStr: l.sizeStr });
  }
  return out;
}

/** A snapshot's `[price, size]` pairs, checked. */
function pairs(value: unknown): LevelText[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: LevelText[] = [];
  for (const pair of value as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [priceStr, sizeStr] = pair as unknown[];
    if (typeof priceStr !== 'string' || typeof sizeStr !== 'string' || !DECIMAL.test(priceStr) || !DECIMAL.test(sizeStr)) return undefined;
    out.push({ priceStr, sizeStr });
  }
  return out;
}

/** A published message's envelope, checked. */
function envelope(text: string): FeedMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = value as Partial<FeedMessage> | null;
  if (typeof m !== 'object' || m === null || !Number.isSafeInteger(m.seq) || typeof m.node !== 'string' || typeof m.event !== 'object' || m.event === null)
    return undefined;
  return m as FeedMessage;
}

/** A normalized event as published, checked field by field where the host relies on it. */
function marketEvent(value: unknown, exchange: string, symbol: string): MarketEvent | undefined {
  const e = value as Record<string, unknown>;
  if (e['exchange'] !== exchange || e['symbol'] !== symbol || typeof e['exchangeTs'] !== 'number' || typeof e['receivedAt'] !== 'number') return undefined;
  const finite = (key: string): boolean => typeof e[key] === 'number' && Number.isFinite(e[key]);
  switch (e['kind']) {
    case 'trade':
      return finite('price') && finite('size') && typeof e['tradeId'] === 'string' && (e['side'] === 'buy' || e['side'] === 'sell')
        ? (e as unknown as MarketEvent)
        : undefined;
    case 'ticker':
      return finite('last') && typeof e['lastStr'] === 'string' ? (e as unknown as MarketEvent) : undefined;
    case 'candle':
      return finite('openTime') && finite('open') && finite('close') && typeof e['timeframe'] === 'string' ? (e as unknown as MarketEvent) : undefined;
    case 'book_snapshot':
    case 'book_update':
      return levels(e['bids']) !== undefined && levels(e['asks']) !== undefined ? (e as unknown as MarketEvent) : undefined;
    default:
      return undefined;
  }
}

export class NatsFeedCollector extends BaseDataCollector {
  private readonly transport: FeedTransport;
  private readonly book = new OrderBook();
  private bookState: 'syncing' | 'valid' | 'invalid' = 'syncing';
  private bookSeq = 0;
  private bookNode: string | undefined;
  private buffered: { seq: number; node: string; event: MarketEvent }[] = [];
  private asking = false;
  private lastSeqs = new Map<FeedStream, { node: string; seq: number }>();
  private unsubscribe: (() => void) | undefined;
  private changedAt: number | null = null;
  private resyncs = 0;
  /** The node publishing the feed, and the status it last published. */
  node: string | undefined;
  nodeStatus: unknown;
  private nodeStatusAt: number | undefined;
  /** The node's present silence has been declared (its streams judged stale). */
  private silenceDeclared = false;

  constructor(config: ExchangeCollectorConfig, options: NatsFeedOptions) {
    super(config, options);
    this.transport = options.transport;
  }

  private get feed(): string {
    return `${this.config.exchange}:${this.config.symbol}`;
  }

  protected openSession(): Promise<void> {
    this.resetBook();
    this.unsubscribe = this.transport.subscribe(feedWildcard(this.feed), (subject, text) => this.onMessage(subject, text));
    if (this.config.dataTypes.includes('orderbook')) this.askSnapshot();
    return Promise.resolve();
  }

  protected closeSession(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.resetBook();
    return Promise.resolve();
  }

  override getBook(): OrderBook | undefined {
    return this.bookState === 'valid' ? this.book : undefined;
  }

  protected override bookStatus(): BookStatus | null {
    if (!this.config.dataTypes.includes('orderbook')) return null;
    return {
      state: this.bookState,
      seqId: this.bookSeq,
      bids: this.book.bids.size,
      asks: this.book.asks.size,
      crossed: this.book.isCrossed(),
      sequenceResets: 0,
      lastChangeAt: this.changedAt,
      recovery: null,
    };
  }

  protected override viaNode(): { via: string | null; viaHealth: string | null } {
    const said = (this.nodeStatus as { status?: unknown } | undefined)?.status;
    const health = typeof said === 'string' ? said : null;
    // The node says how it is once a second: a few seconds without a word is news in itself.
    const silent = this.nodeStatusAt !== undefined && this.now() - this.nodeStatusAt > NODE_SILENT_MS;
    return { via: this.node ?? null, viaHealth: silent ? 'silent' : health };
  }

  /** A node silent for longer than it ever is: nothing it published can be taken as live. */
  protected override onLivenessTick(): void {
    if (this.silenceDeclared || this.nodeStatusAt === undefined) return;
    const silence = this.now() - this.nodeStatusAt;
    if (silence <= NODE_SILENT_MS) return;
    this.silenceDeclared = true;
    const node = this.node ?? '?';
    // Said once per silence, whether or not its streams were already judged stale on their own.
    this.recordError(new ExchangeProtocolError(`node ${node} went silent (nothing for ${(silence / 1000).toFixed(1)} s)`, { exchange: this.config.exchange }));
    this.declareStale(`from node ${node}, which is silent`);
  }

  /** Book resyncs from the node's snapshot (after a gap or a takeover). */
  get bookResyncs(): number {
    return this.resyncs;
  }

  private resetBook(): void {
    this.book.loadSnapshot([], []);
    this.bookState = 'syncing';
    this.bookSeq = 0;
    this.bookNode = undefined;
    this.buffered = [];
  }

  private onMessage(subject: string, text: string): void {
    const stream = subject.slice(subject.lastIndexOf('.') + 1) as FeedStream;
    if (!(STREAMS as readonly string[]).includes(stream)) return;
    const message = envelope(text);
    if (message === undefined) {
      this.recordError(new ExchangeProtocolError(`an unreadable message on ${subject}`, { exchange: this.config.exchange }));
      return;
    }
    if (this.node !== undefined && message.node !== this.node) {
      // Whatever the node before published after its last message reached us is lost: said.
      this.recordError(new ExchangeProtocolError(`node ${message.node} took the feed over from ${this.node}`, { exchange: this.config.exchange }));
    }
    this.node = message.node;
    if (stream === 'status') {
      this.nodeStatus = message.event;
      this.nodeStatusAt = this.now();
      this.silenceDeclared = false;
      return;
    }
    const previous = this.lastSeqs.get(stream);
    this.lastSeqs.set(stream, { node: message.node, seq: message.seq });
    const event = marketEvent(message.event, this.config.exchange, this.config.symbol);
    if (event === undefined) {
      this.recordError(new ExchangeProtocolError(`a malformed ${stream} event from node ${message.node}`, { exchange: this.config.exchange }));
      if (stream === 'book') this.broken('a malformed book message');
      return;
    }
    if (stream === 'book') {
      this.onBook(message.seq, message.node, event);
      return;
    }
    if (previous !== undefined && previous.node === message.node && message.seq !== previous.seq + 1) {
      this.countSequenceGap();
      this.recordError(
        new ExchangeProtocolError(`${message.seq - previous.seq - 1} ${stream} messages from node ${message.node} were missed`, {
          exchange: this.config.exchange,
        }),
      );
    }
    this.publish(event);
  }

  private onBook(seq: number, node: string, event: MarketEvent): void {
    if (this.bookState !== 'valid') {
      if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
      this.buffered.push({ seq, node, event });
      return;
    }
    if (node !== this.bookNode || seq !== this.bookSeq + 1) {
      if (node === this.bookNode) this.countSequenceGap();
      this.broken(node !== this.bookNode ? `the feed moved to node ${node}` : `book message ${this.bookSeq + 1} from node ${node} missed`);
      this.buffered.push({ seq, node, event });
      return;
    }
    this.apply(seq, event);
  }

  private apply(seq: number, event: MarketEvent): void {
    if (event.kind !== 'book_snapshot' && event.kind !== 'book_update') return;
    if (event.kind === 'book_snapshot') this.book.loadSnapshot(event.bids, event.asks);
    else this.book.applyUpdate(event.bids, event.asks);
    this.bookSeq = seq;
    this.changedAt = this.now();
    this.publish(event);
  }

  /** The book cannot be trusted any more: invalid, and a snapshot is asked for. */
  private broken(reason: string): void {
    if (this.bookState === 'valid')
      this.recordError(new ExchangeProtocolError(`order book resynced from the node: ${reason}`, { exchange: this.config.exchange }));
    this.bookState = 'invalid';
    this.emitStatus();
    this.askSnapshot();
  }

  private askSnapshot(): void {
    if (this.asking || this.unsubscribe === undefined) return;
    this.asking = true;
    this.transport
      .request(snapshotSubject(this.feed), SNAPSHOT_TIMEOUT_MS)
      .then((text) => this.onSnapshot(text))
      .catch((error: unknown) => {
        // No node has the feed yet (just added, or being taken over): waited for, not an error.
        if (error instanceof Error && /no responders/i.test(error.message)) return;
        this.recordError(error);
      })
      .finally(() => {
        this.asking = false;
        // Not valid yet (no answer, a node without a valid book, a gap since): ask again.
        if (this.bookState !== 'valid' && this.unsubscribe !== undefined) setTimeout(() => this.askSnapshot(), 500).unref();
      });
  }

  private onSnapshot(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExchangeProtocolError('an unreadable book snapshot from the node', { exchange: this.config.exchange });
    }
    const s = value as Partial<SnapshotMessage> | null;
    const bids = pairs(s?.bids);
    const asks = pairs(s?.asks);
    if (s === null || typeof s !== 'object' || !Number.isSafeInteger(s.seq) || typeof s.node !== 'string' || bids === undefined || asks === undefined) {
      throw new ExchangeProtocolError('a malformed book snapshot from the node', { exchange: this.config.exchange });
    }
    if (s.valid !== true) return;
    const seq = s.seq ?? 0;
    const node = s.node;
    // The updates after the snapshot, from its node, must follow it without a hole.
    const after = this.buffered.filter((b) => b.node === node && b.seq > seq).sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < after.length; i += 1) if ((after[i]?.seq ?? 0) !== seq + i + 1) return;
    this.book.loadSnapshot(bids, asks);
    this.bookSeq = seq;
    this.bookNode = node;
    // The node feeding it, if none of its messages has come yet.
    this.node ??= node;
    this.bookState = 'valid';
    if (this.changedAt !== null) {
      this.resyncs += 1;
      this.countResync();
    }
    this.changedAt = this.now();
    this.buffered = [];
    const { bids: top, asks: topAsks } = this.book.top(this.book.bids.size + this.book.asks.size);
    this.publish({
      kind: 'book_snapshot',
      exchange: this.config.exchange,
      symbol: this.config.symbol,
      exchangeTs: this.now(),
      receivedAt: this.now(),
      bids: top,
      asks: topAsks,
    });
    for (const b of after) this.apply(b.seq, b.event);
    this.emitStatus();
  }
}
