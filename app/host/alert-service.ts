// AlertService: runs the alerts of every workspace against the live feeds on the host, so
// they fire whether or not a page is open (the desktop app shows them as system
// notifications, pages in the app and through the browser's Notification API). Keeps the
// last fired ones for pages that connect later.

import { EventEmitter } from 'node:events';
import type { BaseDataCollector } from '../core/base-collector.js';
import type { CollectorStatus } from '../core/collector-status.js';
import type { MarketEvent } from '../core/types.js';
import { AlertEngine, MAX_FIRED, type FeedTerms, type FiredAlert } from './alert-engine.js';
import type { WorkspacesState } from './workspace-types.js';

export type { FiredAlert } from './alert-engine.js';

export interface AlertEvents {
  fired: [alert: FiredAlert];
}

/** Whether a feed is live, judged as the page judges it: running, no stream stale, its book valid. */
export function feedLiveness(status: CollectorStatus): { live: boolean; reason: string } {
  if (status.status !== 'running') return { live: false, reason: status.status };
  if (status.staleStreams.length > 0) return { live: false, reason: `stale: ${status.staleStreams.join(', ')}` };
  if (status.book !== null && status.book.state !== 'valid') return { live: false, reason: `book ${status.book.state}` };
  return { live: true, reason: 'live' };
}

export class AlertService extends EventEmitter<AlertEvents> {
  private readonly engine: AlertEngine;
  private readonly fired: FiredAlert[] = [];
  private readonly attached = new Map<string, { collector: BaseDataCollector; off: () => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(terms: (symbol: string) => FeedTerms | undefined) {
    super();
    this.setMaxListeners(64);
    this.engine = new AlertEngine((alert) => {
      this.fired.push(alert);
      if (this.fired.length > MAX_FIRED) this.fired.splice(0, this.fired.length - MAX_FIRED);
      this.emit('fired', alert);
    }, terms);
    // Staleness is a matter of time passing: looked at every second.
    this.timer = setInterval(() => this.tick(Date.now()), 1000);
    this.timer.unref();
  }

  setAlerts(state: WorkspacesState): void {
    this.engine.setAlerts(state);
  }

  /** The alerts fired lately, oldest first. */
  recent(): FiredAlert[] {
    return [...this.fired];
  }

  /** Watches a feed's trades and prices. */
  attach(id: string, collector: BaseDataCollector): void {
    this.detach(id);
    const onData = (event: MarketEvent): void => {
      if (event.kind === 'trade') {
        this.engine.trade(id, event.side, event.price, event.size, event.receivedAt);
        this.engine.price(id, event.price, event.receivedAt);
      } else if (event.kind === 'ticker') this.engine.price(id, event.last, event.receivedAt);
    };
    collector.on('data', onData);
    this.attached.set(id, { collector, off: () => collector.off('data', onData) });
  }

  detach(id: string): void {
    this.attached.get(id)?.off();
    this.attached.delete(id);
  }

  /** Checks every watched feed's liveness (stale-feed alerts). */
  tick(now: number): void {
    for (const [id, { collector }] of this.attached) {
      const { live, reason } = feedLiveness(collector.getStatus());
      this.engine.liveness(id, live, reason, now);
    }
    this.engine.tick(now);
  }

  close(): void {
    clearInterval(this.timer);
    for (const id of [...this.attached.keys()]) this.detach(id);
  }
}
