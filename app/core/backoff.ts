// Exponential backoff with jitter and a cap. `next()` gives the delay before the next
// attempt; `reset()` starts over (after a connection has been stable for a while).

export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, ms. */
  readonly maxMs: number;
  /** Growth per attempt (2 doubles). */
  readonly factor: number;
  /** Random spread as a fraction of the delay: 0.2 gives ±20 %. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    if (options.initialMs <= 0 || options.maxMs < options.initialMs || options.factor < 1) {
      throw new RangeError('backoff needs 0 < initialMs <= maxMs and factor >= 1');
    }
    if (options.jitter < 0 || options.jitter >= 1) throw new RangeError('backoff jitter must be in [0, 1)');
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay for the next attempt, and counts that attempt. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt += 1;
    const spread = base * jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.min(maxMs, Math.round(base + spread)));
  }

  reset(): void {
    this.attempt = 0;
  }
}
