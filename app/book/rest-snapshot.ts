// RestSnapshotLoader: takes a book snapshot over REST and splices the buffered live updates onto
// it, for venues that send no snapshot on the stream (Binance) and as the fallback of those
// that do (OKX, when its in-band snapshot does not come). One load runs at a time; a snapshot
// older than the first buffered update is asked for again; failures are retried a bounded
// number of times, honouring a venue's retry-after, and then reported as `failed` so the book's
// recovery escalates. Nothing is left running after `cancel`.

import type { RestSpliceResult } from './book-sync.js';

export interface RestSnapshotSource<S> {
  /** Whether a snapshot is still wanted (the book is awaiting one, in the same session). */
  wanted(): boolean;
  fetch(signal: AbortSignal): Promise<S>;
  /** Splices the buffered updates onto `snapshot`. */
  splice(snapshot: S): RestSpliceResult;
}

export interface RestSnapshotEvents {
  loaded(): void;
  /** Loading gave up for this episode; `gap` when the snapshot could not be joined to the updates. */
  failed(reason: string, gap: boolean): void;
  /** A fetch failed (it is retried). */
  problem(error: unknown): void;
}

export interface RestSnapshotOptions {
  /** Fetches per episode (default 5). */
  readonly attempts?: number;
  /** Wait before attempt n+1 (default 500 ms × n). */
  readonly retryDelayMs?: (attempt: number) => number;
  /** A venue's "retry after" for an error, if it carries one (rate limits). */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
}

export class RestSnapshotLoader<S> {
  private readonly attempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly retryAfterMs: (error: unknown) => number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private running = false;

  constructor(
    private readonly source: RestSnapshotSource<S>,
    private readonly events: RestSnapshotEvents,
    options: RestSnapshotOptions = {},
  ) {
    this.attempts = options.attempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => 500 * attempt);
    this.retryAfterMs = options.retryAfterMs ?? (() => undefined);
  }

  /** True while a load is scheduled or running. */
  get pending(): boolean {
    return this.timer !== undefined || this.running;
  }

  /** Starts an episode after `delayMs` (e.g. a grace period for an in-band snapshot), unless one is pending. */
  request(delayMs = 0): void {
    if (this.pending) return;
    if (delayMs <= 0) this.attempt(1);
    else this.schedule(1, delayMs);
  }

  /** Stops whatever is scheduled or in flight; its result is ignored. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.running = false;
  }

  /** The source's fetch, a synchronous throw included, as one promise. */
  private async fetch(signal: AbortSignal): Promise<S> {
    return this.source.fetch(signal);
  }

  private schedule(attempt: number, delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt(attempt);
    }, delayMs);
  }

  private attempt(attempt: number): void {
    if (!this.source.wanted()) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = true;
    this.fetch(abort.signal).then(
      (snapshot) => {
        if (abort.signal.aborted) return;
        this.running = false;
        this.abort = undefined;
        if (!this.source.wanted()) return;
        const result = this.source.splice(snapshot);
        if (result === 'loaded') this.events.loaded();
        // The snapshot predates the first buffered update: ask again shortly.
        else if (result === 'stale' && attempt < this.attempts) this.schedule(attempt + 1, this.retryDelayMs(attempt));
        else this.events.failed(`REST snapshot could not be spliced onto the live updates (${result})`, true);
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        this.running = false;
        this.abort = undefined;
        this.events.problem(error);
        if (!this.source.wanted()) return;
        if (attempt < this.attempts) this.schedule(attempt + 1, this.retryAfterMs(error) ?? this.retryDelayMs(attempt));
        else this.events.failed(`no REST snapshot could be fetched in ${this.attempts} attempts`, false);
      },
    );
  }
}
