// The health picture of one collector, as the host and the health panel see it, and the
// small bounded counters it is built from. Plain JSON: it crosses IPC as is.

import type { DataType } from './types.js';

export type CollectorState = 'stopped' | 'starting' | 'running' | 'reconnecting' | 'stale' | 'error';

export interface CollectorErrorEntry {
  readonly at: number;
  /** Error class, e.g. `SubscriptionError`. */
  readonly kind: string;
  readonly message: string;
  /** The exchange's code, when it sent one. */
  readonly code: string | null;
}

/** One subscribed stream (`orderbook`, `trade`, `ticker`, `candles:1m` …), judged on its own. */
export interface StreamStats {
  readonly messages: number;
  /** Last message of any kind, keep-alives included. */
  readonly lastMessageAt: number | null;
  /** Last message that carried data (for a book: its last change). */
  readonly lastDataAt: number | null;
  /** `waiting`: nothing yet; `live`; `stale`: silent beyond its threshold, or contradicted by another stream. */
  readonly state: 'waiting' | 'live' | 'stale';
  /** The silence that makes it stale, learned from its cadence and capped by the venue; null while unknown. */
  readonly thresholdMs: number | null;
  /** Why it is stale, in words. */
  readonly reason: string | null;
}

/** Automatic restarts of a collector in `error`. */
export interface AutoRestartStatus {
  /** Restarts tried in a row without the collector coming back. */
  readonly attempts: number;
  /** When the next one runs; null when none is scheduled. */
  readonly nextAt: number | null;
  /** Set once the fast retries are used up: the steady interval, e.g. 60 000 ("retrying every 60 s"). */
  readonly everyMs: number | null;
}

export interface CollectorStatus {
  readonly id: string;
  readonly status: CollectorState;
  readonly exchange: string;
  readonly symbol: string;
  readonly dataTypes: readonly DataType[];
  /** Time since the collector last became running; 0 when not running. */
  readonly uptimeMs: number;
  /** Normalized data messages since the collector was created. */
  readonly messagesReceived: number;
  /** Over the last few seconds. */
  readonly messagesPerSecond: number;
  readonly lastMessageAt: number | null;
  readonly lastMessageAgeMs: number | null;
  /** Local receive time minus exchange time of the latest message. */
  readonly exchangeLagMs: number | null;
  readonly reconnects: number;
  readonly restarts: number;
  /** Order books rebuilt from a fresh snapshot after a gap or checksum failure. */
  readonly resyncs: number;
  readonly sequenceGaps: number;
  readonly checksumFailures: number;
  /** Most recent errors, newest last. */
  readonly errors: readonly CollectorErrorEntry[];
  readonly queueDepth: number;
  readonly droppedMessages: number;
  /** Every subscribed stream by key: `trade`, `orderbook`, `ticker`, `candles:<timeframe>`. */
  readonly streams: Readonly<Record<string, StreamStats>>;
  /** Keys of the streams judged stale now (the collector is `stale` while any is). */
  readonly staleStreams: readonly string[];
  /** Automatic restarts after errors; null when none are pending. */
  readonly autoRestart: AutoRestartStatus | null;
  /** Order-book health; null for collectors without a book. */
  readonly book: BookStatus | null;
  /** For a feed taken from a cluster: the collector node publishing it (null until one is heard). */
  readonly via?: string | null;
  /**
   * And how that node's own collector of the feed is doing, as it last said (`running`,
   * `reconnecting` …), or `silent` when it has said nothing for a few seconds.
   */
  readonly viaHealth?: string | null;
}

/** What a book's recovery is doing (see app/book/book-recovery.ts). */
export interface BookRecoveryInfo {
  readonly step: 'waiting' | 'resync' | 'resubscribe' | 'reconnect';
  readonly escalations: number;
  /** When the book stopped being valid. */
  readonly since: number;
  /** When the next escalation happens if the book is still not valid. */
  readonly deadline: number;
  readonly reason: string;
}

/** Order-book health, for collectors that maintain a book. */
export interface BookStatus {
  /**
   * `valid`: consistent, current and published; `stale`: consistent but not current (silent,
   * or contradicted by trades) — shown with its age, never as live; `syncing`: waiting for a
   * snapshot; `invalid`: broken, resync pending; `stopped`: the collector is not running.
   */
  readonly state: 'valid' | 'stale' | 'syncing' | 'invalid' | 'stopped';
  readonly seqId: number | null;
  readonly bids: number;
  readonly asks: number;
  readonly crossed: boolean;
  /** Documented exchange sequence resets seen (not errors). */
  readonly sequenceResets: number;
  /** When the book last changed (an applied snapshot or update), null before the first. */
  readonly lastChangeAt: number | null;
  /** The recovery under way while the book is not valid. */
  readonly recovery: BookRecoveryInfo | null;
}

/** Counts events into one-second buckets to give a rate over a short sliding window. */
export class RateWindow {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(private readonly seconds = 5) {
    this.buckets = new Array<number>(seconds).fill(0);
    this.stamps = new Array<number>(seconds).fill(-1);
  }

  add(now: number, count = 1): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.seconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] ?? 0) + count;
  }

  /** Events per second over the completed seconds of the window plus the current one. */
  rate(now: number): number {
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < this.seconds; i += 1) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp > second - this.seconds && stamp <= second) total += this.buckets[i] ?? 0;
    }
    const fraction = (now % 1000) / 1000;
    return total / (this.seconds - 1 + Math.max(fraction, 0.001));
  }

  reset(): void {
    this.buckets.fill(0);
    this.stamps.fill(-1);
  }
}
