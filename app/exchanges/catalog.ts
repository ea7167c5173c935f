// CachedCatalog: a venue's list of tradable instruments, fetched over REST and cached for a
// while, for symbol validation and search. When the venue cannot be reached the registry's
// symbol pattern is the fallback, and fetching is retried at most once a minute. A venue
// supplies only the fetch (its REST call mapped to the normalized InstrumentInfo).

import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { InstrumentCatalog, InstrumentInfo, SymbolCheck } from './types.js';

const log = getLogger('exchanges');
const KIND_ORDER = { spot: 0, perpetual: 1, future: 2 } as const;

export interface CatalogSource {
  readonly displayName: string;
  readonly symbolPattern: RegExp;
  readonly symbolHint: string;
  normalizeSymbol(symbol: string): string;
  /** Every instrument of the venue; throws when the venue cannot be asked. */
  fetch(): Promise<InstrumentInfo[]>;
  dispose?(): void;
}

export interface CachedCatalogOptions {
  /** How long a fetched list is trusted. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class CachedCatalog implements InstrumentCatalog {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private bySymbol = new Map<string, InstrumentInfo>();
  private loadedAt: number | undefined;
  private loading: Promise<void> | undefined;
  private lastError: string | undefined;
  private failedAt: number | undefined;

  constructor(
    private readonly source: CatalogSource,
    options: CachedCatalogOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether a fetched list is in use (false: only the pattern is known). */
  get loaded(): boolean {
    return this.loadedAt !== undefined;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  get size(): number {
    return this.bySymbol.size;
  }

  /** Fetches the list unless a fresh one is cached; never throws (keeps the old list on failure). */
  async refresh(force = false): Promise<void> {
    if (!force && this.loadedAt !== undefined && this.now() - this.loadedAt < this.ttlMs) return;
    // Offline: try again at most once a minute rather than delaying every request.
    if (!force && this.failedAt !== undefined && this.now() - this.failedAt < 60_000) return;
    this.loading ??= this.fetchAll().finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  get(symbol: string): InstrumentInfo | undefined {
    return this.bySymbol.get(this.source.normalizeSymbol(symbol));
  }

  /** Checks a symbol: against the list when loaded, else against the id pattern. */
  check(symbol: string): SymbolCheck {
    const { displayName, symbolPattern, symbolHint } = this.source;
    const normalized = this.source.normalizeSymbol(symbol);
    if (!symbolPattern.test(normalized)) return { ok: false, reason: `"${symbol}" is not a valid ${displayName} instrument id (${symbolHint})` };
    if (!this.loaded) return { ok: true, instrument: undefined };
    const instrument = this.bySymbol.get(normalized);
    if (instrument === undefined) return { ok: false, reason: `${displayName} has no instrument ${normalized}` };
    if (!instrument.live) return { ok: false, reason: `${normalized} is not trading on ${displayName} right now` };
    return { ok: true, instrument };
  }

  /** Instruments matching every word of `query` (symbol, base or quote); exact and prefix matches first. */
  search(query: string, limit = 20): InstrumentInfo[] {
    const words = query
      .trim()
      .toUpperCase()
      .split(/[\s/-]+/)
      .filter((w) => w !== '');
    const compact = words.join('');
    const matches = [...this.bySymbol.values()].filter((i) => {
      const text = `${i.symbol} ${i.base}/${i.quote} ${i.kind === 'perpetual' ? 'SWAP PERP' : i.kind === 'future' ? 'FUTURE' : 'SPOT'}`.toUpperCase();
      return words.every((w) => text.includes(w));
    });
    const rank = (i: InstrumentInfo): number => {
      const plain = i.symbol.replace(/[^A-Z0-9]/gi, '').toUpperCase();
      return (plain === compact ? 0 : plain.startsWith(compact) ? 1 : 2) * 10 + KIND_ORDER[i.kind];
    };
    return matches.sort((a, b) => rank(a) - rank(b) || a.symbol.localeCompare(b.symbol)).slice(0, limit);
  }

  dispose(): void {
    this.source.dispose?.();
  }

  private async fetchAll(): Promise<void> {
    try {
      const next = new Map<string, InstrumentInfo>();
      for (const instrument of await this.source.fetch()) next.set(instrument.symbol, instrument);
      this.bySymbol = next;
      this.loadedAt = this.now();
      this.lastError = undefined;
      this.failedAt = undefined;
    } catch (error) {
      this.lastError = describeError(error);
      this.failedAt = this.now();
      log.warn({ venue: this.source.displayName, err: this.lastError }, 'could not load the instrument list; using the symbol pattern only');
    }
  }
}
