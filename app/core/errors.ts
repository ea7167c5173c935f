// The ExchangeError family. Every failure a collector can meet is one of these classes,
// with a message a trader can act on and a `retryable` flag that withRetry honours.

export interface ExchangeErrorOptions {
  readonly exchange?: string;
  /** The exchange's own error code, when it sent one (e.g. OKX `60018`). */
  readonly exchangeCode?: string;
  readonly cause?: unknown;
}

export class ExchangeError extends Error {
  readonly exchange: string | undefined;
  readonly exchangeCode: string | undefined;
  /** Whether trying the same operation again may succeed. */
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, options: ExchangeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exchange = options.exchange;
    this.exchangeCode = options.exchangeCode;
    this.retryable = retryable;
  }
}

/** The configured exchange is not in the registry. */
export class ExchangeNotSupportedError extends ExchangeError {
  readonly requested: string;
  readonly supported: readonly string[];

  constructor(requested: string, supported: readonly string[]) {
    super(`Exchange "${requested}" is not supported. Supported exchanges: ${supported.join(', ') || 'none'}.`, false, { exchange: requested });
    this.requested = requested;
    this.supported = supported;
  }
}

/** A collector configuration failed validation; `problems` lists every reason. */
export class InvalidConfigurationError extends ExchangeError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], exchange?: string) {
    super(`Invalid collector configuration: ${problems.join('; ')}`, false, exchange === undefined ? {} : { exchange });
    this.problems = problems;
  }
}

/** The connection could not be opened or was lost. */
export class ExchangeConnectionError extends ExchangeError {
  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, true, options);
  }
}

/** The exchange sent something we cannot understand, or broke its own sequencing rules. */
export class ExchangeProtocolError extends ExchangeError {
  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, true, options);
  }
}

/** The exchange (or our own limiter) refused a request for going too fast. */
export class RateLimitError extends ExchangeError {
  /** How long to wait before trying again, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number, options: ExchangeErrorOptions = {}) {
    super(message, true, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The exchange rejected a subscription for a reason retrying will not fix
 * (unknown instrument, wrong endpoint, insufficient tier).
 */
export class SubscriptionError extends ExchangeError {
  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, false, options);
  }
}

/** The reason an AbortSignal was aborted, as an Error (for promise rejections). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'aborted');
}

/** A short, log- and UI-friendly description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
