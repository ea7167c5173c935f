// BookRecovery: makes sure a book that is not valid becomes valid again or says why not.
// A broken book (gap, checksum, stale, unreadable) is resynced at once; one that waits for a
// snapshot (after a subscribe or reconnect) is watched. If it is still not valid after a bound
// (15 s by default) the recovery escalates: resubscribe, then reconnect, then reconnect again
// at growing intervals (capped) for as long as it takes. Nothing is ever given up silently:
// every step is visible in the book's status. Venue-independent; a collector supplies the
// actions and calls `tick` from its health timer.

export type RecoveryStep = 'waiting' | 'resync' | 'resubscribe' | 'reconnect';

export interface RecoveryActions {
  /** Unsubscribe and subscribe the book again, so the venue sends a fresh snapshot. */
  resubscribe(reason: string): void;
  /** Replace the book's connection (every subscription on it is renewed). */
  reconnect(reason: string): void;
}

export interface RecoveryStatus {
  readonly step: RecoveryStep;
  /** Escalations so far in this episode (0: the first step is running). */
  readonly escalations: number;
  /** When the book stopped being valid. */
  readonly since: number;
  /** When the running step began, and when it escalates if the book is still not valid. */
  readonly stepStartedAt: number;
  readonly deadline: number;
  readonly reason: string;
}

export interface BookRecoveryOptions {
  /** How long a step may take before the next one (default 15 s). */
  readonly boundMs?: number;
  /** Longest wait between repeated reconnects (default 120 s). */
  readonly maxBoundMs?: number;
  readonly now?: () => number;
}

export class BookRecovery {
  private readonly boundMs: number;
  private readonly maxBoundMs: number;
  private readonly now: () => number;
  private current: { step: RecoveryStep; escalations: number; since: number; stepStartedAt: number; reason: string } | undefined;

  constructor(
    private readonly actions: RecoveryActions,
    options: BookRecoveryOptions = {},
  ) {
    this.boundMs = options.boundMs ?? 15_000;
    this.maxBoundMs = Math.max(this.boundMs, options.maxBoundMs ?? 120_000);
    this.now = options.now ?? Date.now;
  }

  /** The recovery under way, or undefined while the book is valid. */
  status(): RecoveryStatus | undefined {
    const current = this.current;
    if (current === undefined) return undefined;
    return { ...current, deadline: current.stepStartedAt + this.stepBound(current.escalations) };
  }

  get active(): boolean {
    return this.current !== undefined;
  }

  /** The book cannot be trusted: resync it now, unless a recovery step is already running. */
  broken(reason: string): void {
    const now = this.now();
    // A step is running: its deadline stands, and the episode keeps its first cause.
    if (this.current !== undefined && this.current.step !== 'waiting') return;
    const since = this.current?.since ?? now;
    const escalations = this.current?.escalations ?? 0;
    this.current = { step: 'resync', escalations, since, stepStartedAt: now, reason };
    this.actions.resubscribe(reason);
  }

  /** The book waits for a snapshot with no error (e.g. after a subscribe): start the clock. */
  waiting(reason: string): void {
    if (this.current !== undefined) return;
    const now = this.now();
    this.current = { step: 'waiting', escalations: 0, since: now, stepStartedAt: now, reason };
  }

  /** The book is valid again: the episode is over. */
  valid(): void {
    this.current = undefined;
  }

  /** Forget everything (the collector stopped). */
  reset(): void {
    this.current = undefined;
  }

  /** Escalates when the running step has outlived its bound. Call about once a second. */
  tick(): void {
    const current = this.current;
    if (current === undefined) return;
    const now = this.now();
    if (now - current.stepStartedAt < this.stepBound(current.escalations)) return;
    const waited = Math.round((now - current.since) / 1000);
    const reason = `not valid for ${waited} s (${current.reason})`;
    current.escalations += 1;
    current.stepStartedAt = now;
    // First a fresh resubscribe; when that does not help, a new connection, again and again.
    current.step = current.escalations === 1 && current.step !== 'resubscribe' ? 'resubscribe' : 'reconnect';
    if (current.step === 'resubscribe') this.actions.resubscribe(reason);
    else this.actions.reconnect(reason);
  }

  private stepBound(escalations: number): number {
    // Reconnects beyond the first back off: bound, 2×, 4× … up to the cap.
    const factor = escalations <= 2 ? 1 : 2 ** (escalations - 2);
    return Math.min(this.maxBoundMs, this.boundMs * factor);
  }
}
