// AlertEngine: decides when the trader's alerts fire, from what the feeds say: the last price
// crossing a level (once per crossing: it must go back across before it fires again), a print
// at or above a notional (at most one notice per alert every few seconds, the others counted),
// a feed not live for so many seconds (once per outage). Pure: the time and the events are
// given to it, so that it is tested without a market.

import { notionalValue, type SizeTerms } from '../exchanges/info.js';
import type { Alert, AlertKind, WorkspacesState } from './workspace-types.js';

/** Prints of one alert are reported at most this often; the rest are counted into the next. */
export const PRINT_EVERY_MS = 5_000;
/** Fired alerts kept for the page. */
export const MAX_FIRED = 50;

export interface FiredAlert {
  /** Increasing, unique per host run. */
  readonly seq: number;
  readonly at: number;
  readonly workspace: string;
  readonly alertId: string;
  readonly symbol: string;
  readonly kind: AlertKind;
  /** In words, for a notification: `BTC/USDT · OKX crossed above 70,000 (last 70,012.5)`. */
  readonly message: string;
}

/** What the engine needs to know of a feed: its name and how its sizes are counted. */
export interface FeedTerms extends SizeTerms {
  readonly label: string;
}

interface Watch {
  readonly workspace: string;
  readonly alert: Alert;
  /** price: which side of the level the last price was on. */
  side?: 'above' | 'below';
  /** print: when it last fired, and prints held back since. */
  lastFired?: number;
  heldBack: number;
  /** stale: since when the feed has not been live, and whether this outage was reported. */
  notLiveSince?: number;
  reported: boolean;
  reason?: string;
}

const key = (workspace: string, alert: Alert): string => `${workspace}/${alert.id}`;

function plain(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}K`;
  return value.toFixed(2);
}

export class AlertEngine {
  private watches = new Map<string, Watch>();
  private seq = 0;

  constructor(
    private readonly fire: (alert: FiredAlert) => void,
    private readonly terms: (symbol: string) => FeedTerms | undefined,
  ) {}

  /** The enabled alerts of every workspace; what is known of those kept stays. */
  setAlerts(state: WorkspacesState): void {
    const next = new Map<string, Watch>();
    for (const workspace of state.workspaces) {
      for (const alert of workspace.alerts) {
        if (!alert.enabled) continue;
        const k = key(workspace.id, alert);
        const old = this.watches.get(k);
        // The same alert unchanged keeps its state; a changed one starts afresh.
        next.set(
          k,
          old !== undefined && JSON.stringify(old.alert) === JSON.stringify(alert) ? old : { workspace: workspace.id, alert, heldBack: 0, reported: false },
        );
      }
    }
    this.watches = next;
  }

  get size(): number {
    return this.watches.size;
  }

  /** The feed's last price. */
  price(symbol: string, price: number, at: number): void {
    if (!Number.isFinite(price)) return;
    for (const watch of this.watches.values()) {
      const { alert } = watch;
      if (alert.kind !== 'price' || alert.symbol !== symbol || alert.price === undefined) continue;
      const side = price >= alert.price ? 'above' : 'below';
      const crossed = watch.side !== undefined && watch.side !== side && side === alert.direction;
      watch.side = side;
      if (crossed) this.emit(watch, at, `${this.name(symbol)} crossed ${side} ${plain(alert.price)} (last ${plain(price)})`);
    }
  }

  /** A trade of the feed. */
  trade(symbol: string, side: 'buy' | 'sell', price: number, size: number, at: number): void {
    let notional: number | undefined;
    for (const watch of this.watches.values()) {
      const { alert } = watch;
      if (alert.kind !== 'print' || alert.symbol !== symbol || alert.notional === undefined) continue;
      notional ??= notionalValue(this.terms(symbol) ?? {}, price, size);
      if (!(notional >= alert.notional)) continue;
      if (watch.lastFired !== undefined && at - watch.lastFired < PRINT_EVERY_MS) {
        watch.heldBack += 1;
        continue;
      }
      const more = watch.heldBack > 0 ? ` (and ${watch.heldBack} more since the last notice)` : '';
      watch.heldBack = 0;
      watch.lastFired = at;
      const quote = this.terms(symbol)?.quote ?? '';
      this.emit(watch, at, `${this.name(symbol)}: ${side} of ${compact(notional)}${quote === '' ? '' : ` ${quote}`} at ${plain(price)}${more}`);
    }
  }

  /** Whether the feed is live now, and if not, why. */
  liveness(symbol: string, live: boolean, reason: string, at: number): void {
    for (const watch of this.watches.values()) {
      if (watch.alert.kind !== 'stale' || watch.alert.symbol !== symbol) continue;
      if (live) {
        delete watch.notLiveSince;
        watch.reported = false;
      } else {
        watch.notLiveSince ??= at;
        watch.reason = reason;
      }
    }
    this.tick(at);
  }

  /** Reports feeds not live for their alert's seconds (called every second or so). */
  tick(now: number): void {
    for (const watch of this.watches.values()) {
      const { alert } = watch;
      if (alert.kind !== 'stale' || watch.reported || watch.notLiveSince === undefined || alert.seconds === undefined) continue;
      if (now - watch.notLiveSince < alert.seconds * 1000) continue;
      watch.reported = true;
      this.emit(
        watch,
        now,
        `${this.name(alert.symbol)} has not been live for ${Math.round((now - watch.notLiveSince) / 1000)} s (${watch.reason ?? 'not live'})`,
      );
    }
  }

  private name(symbol: string): string {
    return this.terms(symbol)?.label ?? symbol;
  }

  private emit(watch: Watch, at: number, message: string): void {
    this.seq += 1;
    this.fire({ seq: this.seq, at, workspace: watch.workspace, alertId: watch.alert.id, symbol: watch.alert.symbol, kind: watch.alert.kind, message });
  }
}
