// OkxInstruments: the list of tradable OKX instruments (SPOT, SWAP, FUTURES) from
// `GET /api/v5/public/instruments`, cached for a while, for symbol validation and search.
// When OKX cannot be reached the registry's symbol pattern is the fallback.

import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logger.js';
import type { InstrumentCatalog, InstrumentInfo, SymbolCheck } from '../types.js';
import { okxDescriptor } from './descriptor.js';
import { OkxRestClient } from './rest.js';

const log = getLogger('okx');
const INST_TYPES = ['SPOT', 'SWAP', 'FUTURES'] as const;

type Instrument = InstrumentInfo & { readonly instType: (typeof INST_TYPES)[number] };

export interface OkxInstrumentsOptions {
  readonly restUrl?: string;
  /** How long a fetched list is trusted. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class OkxInstruments implements InstrumentCatalog {
  private readonly rest: OkxRestClient;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private byId = new Map<string, Instrument>();
  private loadedAt: number | undefined;
  private loading: Promise<void> | undefined;
  private lastError: string | undefined;
  private failedAt: number | undefined;

  constructor(options: OkxInstrumentsOptions = {}) {
    this.rest = new OkxRestClient({ baseUrl: (options.restUrl ?? okxDescriptor.endpoints.restUrl).replace(/\/+$/, '') });
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
    return this.byId.size;
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

  get(instId: string): Instrument | undefined {
    return this.byId.get(instId.trim().toUpperCase());
  }

  /** Checks a symbol: against the list when loaded, else against the id pattern. */
  check(symbol: string): SymbolCheck {
    const normalized = okxDescriptor.rules.normalizeSymbol(symbol);
    if (!okxDescriptor.rules.symbolPattern.test(normalized)) {
      return { ok: false, reason: `"${symbol}" is not a valid OKX instrument id (${okxDescriptor.rules.symbolHint})` };
    }
    if (!this.loaded) return { ok: true, instrument: undefined };
    const instrument = this.byId.get(normalized);
    if (instrument === undefined) return { ok: false, reason: `OKX has no instrument ${normalized}` };
    if (!instrument.live) return { ok: false, reason: `${normalized} is not trading on OKX right now` };
    return { ok: true, instrument };
  }

  /** Instruments whose id contains every word of `query`; exact and prefix matches first. */
  search(query: string, limit = 20): Instrument[] {
    const words = query.trim().toUpperCase().split(/[\s/]+/).filter((w) => w !== '');
    const q = words.join('-');
    const matches = [...this.byId.values()].filter((i) => words.every((w) => i.instId.includes(w)));
    const rank = (i: Instrument): number => (i.instId === q ? 0 : i.instId.startsWith(q) ? 1 : 2) * 10 + INST_TYPES.indexOf(i.instType);
    return matches.sort((a, b) => rank(a) - rank(b) || a.instId.localeCompare(b.instId)).slice(0, limit);
  }

  dispose(): void {
    this.rest.dispose();
  }

  private async fetchAll(): Promise<void> {
    try {
      const next = new Map<string, Instrument>();
      let skipped = 0;
      for (const instType of INST_TYPES) {
        const result = await this.rest.instruments(instType);
        skipped += result.skipped;
        for (const row of result.rows) {
          if (row.instType !== 'SPOT' && row.instType !== 'SWAP' && row.instType !== 'FUTURES') continue;
          const [base = '', quote = ''] = row.instId.split('-');
          next.set(row.instId, {
            instId: row.instId,
            instType: row.instType,
            base: row.baseCcy !== undefined && row.baseCcy !== '' ? row.baseCcy : base,
            quote: row.quoteCcy !== undefined && row.quoteCcy !== '' ? row.quoteCcy : quote,
            tickSize: row.tickSz,
            lotSize: row.lotSz,
            contractValue: row.ctVal === undefined || row.ctVal === '' ? undefined : row.ctVal,
            contractUnit: row.ctValCcy === undefined || row.ctValCcy === '' ? undefined : row.ctValCcy,
            live: row.state === 'live',
          });
        }
      }
      if (skipped > 0) log.warn({ skipped }, 'OKX instrument rows skipped as malformed');
      this.byId = next;
      this.loadedAt = this.now();
      this.lastError = undefined;
      this.failedAt = undefined;
    } catch (error) {
      this.lastError = describeError(error);
      this.failedAt = this.now();
      log.warn({ err: this.lastError }, 'could not load OKX instruments; using the symbol pattern only');
    }
  }
}
